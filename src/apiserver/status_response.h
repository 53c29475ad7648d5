#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "common/status.h"

namespace tug::apiserver {

// The HTTP code and metav1.Status reason for an error code, as the upstream API server uses them.
int httpCode(Code code);
std::string_view reason(Code code);

// The metav1.Status object for `status`: {"kind":"Status","apiVersion":"v1","metadata":{},
// "status":"Failure","message":...,"reason":...,"code":...}. A successful status gives
// "status":"Success" with code 200.
nlohmann::json statusObject(const Status& status);

}  // namespace tug::apiserver
