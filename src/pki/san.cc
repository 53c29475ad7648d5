#include "pki/san.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace tug::pki {
namespace {

void addUnique(std::vector<std::string>& to, std::string value) {
  if (std::find(to.begin(), to.end(), value) == to.end()) {
    to.push_back(std::move(value));
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

Result<std::string> firstIpOf(std::string_view cidr) {
  auto slash = cidr.find('/');
  if (slash == std::string_view::npos) {
    return invalid("service CIDR " + std::string(cidr) + " has no prefix length");
  }
  std::string addr(cidr.substr(0, slash));
  std::string_view lenText = cidr.substr(slash + 1);
  std::array<unsigned char, 16> bytes{};
  int family = addr.find(':') == std::string::npos ? AF_INET : AF_INET6;
  int size = family == AF_INET ? 4 : 16;
  int prefix = -1;
  auto [end, ec] = std::from_chars(lenText.data(), lenText.data() + lenText.size(), prefix);
  if (inet_pton(family, addr.c_str(), bytes.data()) != 1 || ec != std::errc() ||
      end != lenText.data() + lenText.size() || prefix < 0 || prefix >= size * 8) {
    return invalid("service CIDR " + std::string(cidr) + " is not a valid network");
  }
  // Mask off host bits, then add one.
  for (int i = 0; i < size; ++i) {
    int keep = std::clamp(prefix - i * 8, 0, 8);
    bytes[i] &= static_cast<unsigned char>(0xff00 >> keep);
  }
  for (int i = size - 1; i >= 0 && ++bytes[i] == 0; --i) {
  }
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family, bytes.data(), text, sizeof text);
  return std::string(text);
}

}  // namespace

std::optional<std::string> canonicalIp(std::string_view text) {
  std::string s(text);
  std::array<unsigned char, 16> bytes{};
  char out[INET6_ADDRSTRLEN] = {};
  if (inet_pton(AF_INET, s.c_str(), bytes.data()) == 1) {
    return std::string(inet_ntop(AF_INET, bytes.data(), out, sizeof out));
  }
  if (inet_pton(AF_INET6, s.c_str(), bytes.data()) == 1) {
    return std::string(inet_ntop(AF_INET6, bytes.data(), out, sizeof out));
  }
  return std::nullopt;
}

void SubjectAltNames::add(std::string_view name) {
  name = trim(name);
  if (name.empty()) {
    return;
  }
  if (auto ip = canonicalIp(name)) {
    addUnique(ipAddresses, *ip);
  } else {
    addDns(name);
  }
}

void SubjectAltNames::addDns(std::string_view name) {
  std::string lower(trim(name));
  if (lower.empty()) {
    return;
  }
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  addUnique(dnsNames, std::move(lower));
}

Status SubjectAltNames::addIp(std::string_view ip) {
  auto canonical = canonicalIp(trim(ip));
  if (!canonical) {
    return invalid(std::string(ip) + " is not an IP address");
  }
  addUnique(ipAddresses, *canonical);
  return Status::ok();
}

bool SubjectAltNames::covers(const SubjectAltNames& wanted, std::string* missing) const {
  auto coversAll = [missing](const std::vector<std::string>& have,
                             const std::vector<std::string>& want) {
    for (const auto& w : want) {
      if (std::find(have.begin(), have.end(), w) == have.end()) {
        if (missing != nullptr) {
          *missing = w;
        }
        return false;
      }
    }
    return true;
  };
  return coversAll(dnsNames, wanted.dnsNames) && coversAll(ipAddresses, wanted.ipAddresses);
}

Result<std::vector<std::string>> firstServiceIps(std::string_view cidrs) {
  std::vector<std::string> ips;
  while (!cidrs.empty()) {
    auto comma = cidrs.find(',');
    std::string_view one = trim(cidrs.substr(0, comma));
    cidrs = comma == std::string_view::npos ? std::string_view() : cidrs.substr(comma + 1);
    if (one.empty()) {
      continue;
    }
    auto ip = firstIpOf(one);
    if (!ip.ok()) {
      return ip.status();
    }
    ips.push_back(std::move(*ip));
  }
  if (ips.empty()) {
    return invalid("no service CIDR given");
  }
  return ips;
}

}  // namespace tug::pki
