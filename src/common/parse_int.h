#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tug {

// The whole of `s` as a decimal int64 (an optional leading '-'); nullopt when empty, when
// anything else is in it, or when it overflows.
inline std::optional<int64_t> parseInt64(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

}  // namespace tug
