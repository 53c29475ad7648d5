#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace tug::apiserver {

// Answers with a JSON body: an ordinary value, or text already encoded (encoded_json.h).
void sendJson(httplib::Response& res, int code, const nlohmann::json& body);
// Answers a request for a resource with `body`, an ordinary JSON value or text already encoded
// (encoded_json.h), gzip-compressed when the request accepts it and the body is large enough
// (response_encoding.h), as the upstream API server answers.
void sendJson(const httplib::Request& req, httplib::Response& res, int code, nlohmann::json body);
// Answers with the metav1.Status for `status`, its HTTP code taken from the status code.
void sendStatus(httplib::Response& res, const Status& status);

}  // namespace tug::apiserver
