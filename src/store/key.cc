#include "store/key.h"

#include <cstdio>

namespace tug::store {
namespace {

Status checkCharacters(std::string_view what, std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x21 || c > 0x7e) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", c);
      return invalid(std::string(what) + " has a character outside printable ASCII (" + hex +
                     " at byte " + std::to_string(i) + ")");
    }
  }
  return Status::ok();
}

}  // namespace

Status validateKey(std::string_view key) {
  if (key.empty() || key.front() != '/') {
    return invalid("key \"" + std::string(key.substr(0, 64)) + "\" must start with '/'");
  }
  if (key.size() > kMaxKeyBytes) {
    return invalid("key of " + std::to_string(key.size()) + " bytes exceeds the limit of " +
                   std::to_string(kMaxKeyBytes) + " bytes");
  }
  return checkCharacters("key", key);
}

Status validatePrefix(std::string_view prefix) {
  if (prefix.empty()) {
    return Status::ok();
  }
  return validateKey(prefix);
}

Status validateValue(std::string_view key, std::string_view value) {
  if (value.size() > kMaxValueBytes) {
    return tooLarge("value for " + std::string(key) + " is " + std::to_string(value.size()) +
                    " bytes, over the limit of " + std::to_string(kMaxValueBytes) + " bytes");
  }
  return Status::ok();
}

std::string prefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(end.back());
    if (last < 0xff) {
      ++last;
      return end;
    }
    end.pop_back();
  }
  return end;
}

}  // namespace tug::store
