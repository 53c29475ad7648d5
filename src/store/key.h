#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tug::store {

inline constexpr size_t kMaxKeyBytes = 1024;
inline constexpr size_t kMaxValueBytes = 3 << 20;  // 3 MiB

// A key starts with '/', is at most kMaxKeyBytes long and holds printable ASCII without spaces
// (Kubernetes names, namespaces and resources always fit). Invalid otherwise.
Status validateKey(std::string_view key);
// A prefix follows the key rules, except that it may be empty (everything).
Status validatePrefix(std::string_view prefix);
// TooLarge when the value exceeds kMaxValueBytes.
Status validateValue(std::string_view key, std::string_view value);

// The smallest string greater than every string that starts with `prefix` ("" for no bound).
std::string prefixEnd(std::string_view prefix);

}  // namespace tug::store
