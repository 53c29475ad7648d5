#include "apiserver/service_ranges.h"

#include <charconv>

namespace tug::apiserver {
namespace {

std::optional<int64_t> number(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return v;
}

}  // namespace

std::optional<uint32_t> parseIpv4(std::string_view text) {
  uint32_t ip = 0;
  for (int part = 0; part < 4; ++part) {
    size_t dot = part < 3 ? text.find('.') : text.size();
    if (dot == std::string_view::npos) {
      return std::nullopt;
    }
    std::string_view digits = text.substr(0, dot);
    // No leading zeros: Go's netip refuses them, as they once meant octal.
    if (digits.size() > 1 && digits[0] == '0') {
      return std::nullopt;
    }
    auto v = number(digits);
    if (!v || *v < 0 || *v > 255 || digits.size() > 3) {
      return std::nullopt;
    }
    ip = (ip << 8) | static_cast<uint32_t>(*v);
    text.remove_prefix(part < 3 ? dot + 1 : dot);
  }
  return text.empty() ? std::optional<uint32_t>(ip) : std::nullopt;
}

std::string formatIpv4(uint32_t ip) {
  return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." +
         std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255);
}

Result<Ipv4Cidr> Ipv4Cidr::parse(std::string_view text) {
  size_t slash = text.find('/');
  auto ip = slash == std::string_view::npos ? std::nullopt : parseIpv4(text.substr(0, slash));
  auto prefix = slash == std::string_view::npos ? std::nullopt : number(text.substr(slash + 1));
  if (!ip || !prefix || *prefix < 0 || *prefix > 32) {
    return invalid("invalid CIDR " + std::string(text) + ": expected an IPv4 network such as 10.43.0.0/16");
  }
  // Too small a range leaves nothing to hand out besides network and broadcast.
  if (*prefix > 30) {
    return invalid("CIDR " + std::string(text) + " is too small: use a /30 or larger");
  }
  uint32_t mask = *prefix == 0 ? 0 : ~uint32_t{0} << (32 - *prefix);
  if ((*ip & ~mask) != 0) {
    return invalid("CIDR " + std::string(text) + " has host bits set: did you mean " +
                           formatIpv4(*ip & mask) + "/" + std::to_string(*prefix) + "?");
  }
  return Ipv4Cidr{*ip, static_cast<int>(*prefix)};
}

bool Ipv4Cidr::contains(uint32_t ip) const {
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return (ip & mask) == base;
}

std::string Ipv4Cidr::text() const { return formatIpv4(base) + "/" + std::to_string(prefix); }

Result<PortRange> PortRange::parse(std::string_view text) {
  size_t dash = text.find('-');
  auto first = number(text.substr(0, dash));
  auto last = dash == std::string_view::npos ? first : number(text.substr(dash + 1));
  if (!first || !last || *first < 1 || *last > 65535 || *first > *last) {
    return invalid("invalid port range " + std::string(text) +
                           ": expected FIRST-LAST within 1-65535, such as 30000-32767");
  }
  return PortRange{static_cast<int>(*first), static_cast<int>(*last)};
}

}  // namespace tug::apiserver
