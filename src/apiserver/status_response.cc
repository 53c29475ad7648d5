#include "apiserver/status_response.h"

namespace tug::apiserver {

int httpCode(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kNotFound: return 404;
    case Code::kAlreadyExists: return 409;
    case Code::kConflict: return 409;
    case Code::kInvalid: return 422;
    case Code::kBadRequest: return 400;
    case Code::kGone: return 410;
    case Code::kUnauthorized: return 401;
    case Code::kForbidden: return 403;
    case Code::kUnsupported: return 405;
    case Code::kTooLarge: return 413;
    case Code::kUnavailable: return 503;
    case Code::kTimeout: return 504;
    case Code::kInternal: return 500;
  }
  return 500;
}

std::string_view reason(Code code) {
  switch (code) {
    case Code::kOk: return "";
    case Code::kNotFound: return "NotFound";
    case Code::kAlreadyExists: return "AlreadyExists";
    case Code::kConflict: return "Conflict";
    case Code::kInvalid: return "Invalid";
    case Code::kBadRequest: return "BadRequest";
    case Code::kGone: return "Expired";
    case Code::kUnauthorized: return "Unauthorized";
    case Code::kForbidden: return "Forbidden";
    case Code::kUnsupported: return "MethodNotAllowed";
    case Code::kTooLarge: return "RequestEntityTooLarge";
    case Code::kUnavailable: return "ServiceUnavailable";
    case Code::kTimeout: return "Timeout";
    case Code::kInternal: return "InternalError";
  }
  return "InternalError";
}

nlohmann::json statusObject(const Status& status) {
  nlohmann::json j = {{"kind", "Status"},
                      {"apiVersion", "v1"},
                      {"metadata", nlohmann::json::object()},
                      {"status", status.isOk() ? "Success" : "Failure"},
                      {"code", httpCode(status.code())}};
  if (!status.isOk()) {
    j["message"] = status.message();
    j["reason"] = reason(status.code());
  }
  return j;
}

}  // namespace tug::apiserver
