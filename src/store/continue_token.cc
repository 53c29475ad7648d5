#include "store/continue_token.h"

#include <charconv>

#include "common/base64.h"

namespace tug::store {

std::string encodeContinue(const ContinuePoint& point) {
  return base64Encode(std::to_string(point.revision) + point.lastKey, /*urlSafe=*/true);
}

Result<ContinuePoint> decodeContinue(std::string_view token) {
  auto raw = base64Decode(token, /*urlSafe=*/true);
  if (!raw) {
    return badRequest("invalid continue token: not base64");
  }
  // The key starts with '/', so the revision is the digits before the first '/'.
  size_t slash = raw->find('/');
  ContinuePoint p;
  if (slash == std::string::npos || slash == 0) {
    return badRequest("invalid continue token: no revision");
  }
  auto [end, ec] = std::from_chars(raw->data(), raw->data() + slash, p.revision);
  if (ec != std::errc() || end != raw->data() + slash || p.revision <= 0) {
    return badRequest("invalid continue token: bad revision");
  }
  p.lastKey = raw->substr(slash);
  return p;
}

}  // namespace tug::store
