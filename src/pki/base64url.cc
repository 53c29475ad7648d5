#include "pki/base64url.h"

#include "common/base64.h"

namespace tug::pki {
namespace {

std::string_view withoutPadding(std::string_view s) {
  while (!s.empty() && s.back() == '=') {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::string base64UrlEncode(std::string_view data) {
  return std::string(withoutPadding(base64Encode(data, /*urlSafe=*/true)));
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
  if (text.find('=') != std::string_view::npos) {
    return std::nullopt;
  }
  auto decoded = base64Decode(text, /*urlSafe=*/true);
  if (!decoded || base64UrlEncode(*decoded) != text) {
    return std::nullopt;
  }
  return decoded;
}

}  // namespace tug::pki
