#include "common/status.h"

namespace tug {

std::string_view codeName(Code code) {
  switch (code) {
    case Code::kOk: return "OK";
    case Code::kNotFound: return "NotFound";
    case Code::kAlreadyExists: return "AlreadyExists";
    case Code::kConflict: return "Conflict";
    case Code::kInvalid: return "Invalid";
    case Code::kBadRequest: return "BadRequest";
    case Code::kGone: return "Gone";
    case Code::kUnauthorized: return "Unauthorized";
    case Code::kForbidden: return "Forbidden";
    case Code::kUnsupported: return "Unsupported";
    case Code::kTooLarge: return "TooLarge";
    case Code::kUnavailable: return "Unavailable";
    case Code::kTimeout: return "Timeout";
    case Code::kInternal: return "Internal";
  }
  return "Unknown";
}

Status Status::wrap(std::string_view context) const {
  if (isOk()) {
    return *this;
  }
  std::string m(context);
  m += ": ";
  m += message_;
  return Status(code_, std::move(m));
}

std::string Status::toString() const {
  if (isOk()) {
    return "OK";
  }
  std::string s(codeName(code_));
  s += ": ";
  s += message_;
  return s;
}

}  // namespace tug
