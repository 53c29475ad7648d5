#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// RFC 6901 JSON pointers, as JSON patch paths use them.
namespace tug::api {

// The reference tokens of `pointer`, unescaped (~1 is '/', ~0 is '~'; other '~' sequences are
// kept as written, as upstream's json-patch does). "" is the whole document (no tokens);
// nullopt when a non-empty pointer does not start with '/'.
std::optional<std::vector<std::string>> parseJsonPointer(std::string_view pointer);

}  // namespace tug::api
