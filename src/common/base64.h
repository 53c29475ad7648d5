#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tug {

// Standard (RFC 4648 §4) and URL-safe (§5) alphabets, with '=' padding on encode. Decoding
// accepts missing padding and returns nullopt on any other malformed input.
std::string base64Encode(std::string_view data, bool urlSafe = false);
std::optional<std::string> base64Decode(std::string_view text, bool urlSafe = false);

}  // namespace tug
