#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace tug::apiserver {

// Answers with a JSON body: an ordinary value, or text already encoded (encoded_json.h).
void sendJson(httplib::Response& res, int code, const nlohmann::json& body);
// Answers with the metav1.Status for `status`, its HTTP code taken from the status code.
void sendStatus(httplib::Response& res, const Status& status);

}  // namespace tug::apiserver
