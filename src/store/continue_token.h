#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "store/store.h"

namespace tug::store {

// A list continues at the revision of its first page, after the last key it returned. The token
// is opaque to clients: URL-safe base64 of "<revision>/<last key>".
struct ContinuePoint {
  Revision revision = 0;
  std::string lastKey;
};

std::string encodeContinue(const ContinuePoint& point);
// BadRequest when the token was not made by encodeContinue.
Result<ContinuePoint> decodeContinue(std::string_view token);

}  // namespace tug::store
