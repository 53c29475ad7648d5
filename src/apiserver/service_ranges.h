#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

// The address space Services draw from: the service CIDR (cluster IPs) and the node-port
// range. Set by --service-cidr and --service-node-port-range; k3s's defaults otherwise.
namespace tug::apiserver {

struct Ipv4Cidr {
  uint32_t base = 0;  // host byte order, host bits zero
  int prefix = 0;

  // "10.43.0.0/16"; the host bits must be zero (as upstream's ParseCIDR leaves them is not
  // what a user means). IPv4 only: the cluster is single-stack.
  static Result<Ipv4Cidr> parse(std::string_view text);
  uint64_t size() const { return uint64_t{1} << (32 - prefix); }
  bool contains(uint32_t ip) const;
  // The address at `offset` from the base.
  uint32_t at(uint64_t offset) const { return base + static_cast<uint32_t>(offset); }
  std::string text() const;
};

// "10.43.0.1" to a host-order address; nullopt when it is not dotted-quad IPv4.
std::optional<uint32_t> parseIpv4(std::string_view text);
std::string formatIpv4(uint32_t ip);

struct PortRange {
  int first = 30000, last = 32767;
  // "30000-32767" (or one port).
  static Result<PortRange> parse(std::string_view text);
  bool contains(int64_t port) const { return port >= first && port <= last; }
  std::string text() const { return std::to_string(first) + "-" + std::to_string(last); }
};

struct ServiceRanges {
  Ipv4Cidr clusterIps{(10u << 24) | (43u << 16), 16};
  PortRange nodePorts;

  // The `kubernetes` Service's address: the first one of the range (10.43.0.1).
  uint32_t apiServerIp() const { return clusterIps.at(1); }
  // Cluster DNS by convention: the tenth (10.43.0.10). Never handed out dynamically.
  uint32_t dnsIp() const { return clusterIps.at(10); }
};

}  // namespace tug::apiserver
