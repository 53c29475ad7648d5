#pragma once

#include <optional>
#include <string>
#include <string_view>

// Base64url without padding (RFC 7515 §2), the only encoding JOSE allows in tokens and keys.
namespace tug::pki {

std::string base64UrlEncode(std::string_view data);

// Strict: no '=' padding, nothing outside the URL-safe alphabet, and the unused low bits of the
// last character must be zero. The last rule means every byte string has exactly one accepted
// encoding, so a token cannot be re-encoded into a different string that still verifies.
std::optional<std::string> base64UrlDecode(std::string_view text);

}  // namespace tug::pki
