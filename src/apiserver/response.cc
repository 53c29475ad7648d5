#include "apiserver/response.h"

#include "apiserver/encoded_json.h"
#include "apiserver/status_response.h"

namespace tug::apiserver {

void sendJson(httplib::Response& res, int code, const nlohmann::json& body) {
  res.status = code;
  if (const auto* text = encodedText(body)) {
    std::string_view view = encodedView(*text);
    res.set_content(view.data(), view.size(), "application/json");
    return;
  }
  res.set_content(body.dump(), "application/json");
}

void sendStatus(httplib::Response& res, const Status& status) {
  sendJson(res, httpCode(status.code()), statusObject(status));
}

}  // namespace tug::apiserver
