#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tug {

// The pieces of `s` between each `sep`, empty ones kept: "a,,b" gives "a", "", "b". As views
// into `s` by default, or as copies with Piece = std::string.
template <class Piece = std::string_view>
std::vector<Piece> splitOn(std::string_view s, char sep) {
  std::vector<Piece> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.emplace_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) {
      return out;
    }
    start = end + 1;
  }
}

}  // namespace tug
