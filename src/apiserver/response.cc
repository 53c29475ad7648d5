#include "apiserver/response.h"

#include "apiserver/status_response.h"

namespace tug::apiserver {

void sendJson(httplib::Response& res, int code, const nlohmann::json& body) {
  res.status = code;
  res.set_content(body.dump(), "application/json");
}

void sendStatus(httplib::Response& res, const Status& status) {
  sendJson(res, httpCode(status.code()), statusObject(status));
}

}  // namespace tug::apiserver
