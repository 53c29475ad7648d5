#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tug::pki {

// Subject alternative names in a comparable form: DNS names lower-cased (they match without
// regard to case), IP addresses in canonical text ("::1", never "0:0::1"). No duplicates; order
// of first appearance.
struct SubjectAltNames {
  std::vector<std::string> dnsNames;
  std::vector<std::string> ipAddresses;

  // Adds `name` as an IP address when it parses as one, else as a DNS name. Empty is ignored.
  void add(std::string_view name);
  void addDns(std::string_view name);
  // Invalid when `ip` is not an IPv4 or IPv6 address.
  Status addIp(std::string_view ip);

  // True when every name in `wanted` is here; `missing` gets the first one that is not.
  bool covers(const SubjectAltNames& wanted, std::string* missing = nullptr) const;
};

// "10.0.0.1" or "fd00::1" in canonical form; nullopt when `text` is not an IP address.
std::optional<std::string> canonicalIp(std::string_view text);

// The first address of each comma-separated CIDR ("10.43.0.0/16" -> "10.43.0.1"), which the
// API server's "kubernetes" Service takes. Invalid on a malformed CIDR.
Result<std::vector<std::string>> firstServiceIps(std::string_view cidrs);

}  // namespace tug::pki
