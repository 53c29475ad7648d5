#include "apiserver/media_range.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

#include "common/split.h"

namespace tug::apiserver {
namespace {

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<MediaRange> parseRange(std::string_view clause, size_t order) {
  auto parts = splitOn(clause, ';');
  std::string full = lower(trim(parts[0]));
  size_t slash = full.find('/');
  if (slash == std::string::npos) {
    return std::nullopt;  // not a media range; ignored as Go's parser skips it
  }
  MediaRange m;
  m.type = full.substr(0, slash);
  m.subtype = full.substr(slash + 1);
  m.order = order;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    size_t eq = p.find('=');
    std::string key = lower(trim(p.substr(0, eq)));
    std::string value = eq == std::string_view::npos ? "" : trim(p.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (key == "q") {
      char* end = nullptr;
      m.q = std::strtod(value.c_str(), &end);
    } else if (!key.empty()) {
      m.params[key] = value;
    }
  }
  return m;
}

}  // namespace

std::vector<MediaRange> parseAccept(std::string_view accept) {
  std::vector<MediaRange> out;
  size_t order = 0;
  for (std::string_view clause : splitOn(accept, ',')) {
    if (auto m = parseRange(clause, order++)) {
      out.push_back(std::move(*m));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const MediaRange& a, const MediaRange& b) {
    if (a.q != b.q) {
      return a.q > b.q;
    }
    if ((a.type == "*") != (b.type == "*")) {
      return b.type == "*";
    }
    if ((a.subtype == "*") != (b.subtype == "*")) {
      return b.subtype == "*";
    }
    return a.params.size() > b.params.size();
  });
  return out;
}

std::string param(const MediaRange& m, const char* key) {
  auto it = m.params.find(key);
  return it == m.params.end() ? std::string() : it->second;
}

bool acceptIsEmpty(std::string_view accept) { return trim(accept).empty(); }

}  // namespace tug::apiserver
