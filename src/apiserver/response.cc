#include "apiserver/response.h"

#include <memory>
#include <string_view>
#include <utility>

#include "apiserver/encoded_json.h"
#include "apiserver/response_encoding.h"
#include "apiserver/status_response.h"

namespace tug::apiserver {
namespace {

// The body's bytes, kept alive by `owner` until the response is written. A body given this way
// (with its length) is written as it is: httplib compresses only bodies set as content, and
// here the compression has been decided already.
void setBody(httplib::Response& res, std::shared_ptr<const void> owner, std::string_view text) {
  if (text.empty()) {
    res.set_content("", "application/json");
    return;
  }
  res.set_content_provider(
      text.size(), "application/json",
      [owner = std::move(owner), text](size_t offset, size_t length, httplib::DataSink& sink) {
        return sink.write(text.data() + offset, length);
      });
}

template <class Text>
void sendText(const httplib::Request& req, httplib::Response& res, Text&& text) {
  auto owned = std::make_shared<std::decay_t<Text>>(std::forward<Text>(text));
  std::string_view view(reinterpret_cast<const char*>(owned->data()), owned->size());
  if (view.size() > kGzipThresholdBytes && acceptsGzip(req.get_header_value("Accept-Encoding"))) {
    if (auto gz = gzipFast(view)) {
      res.set_header("Content-Encoding", "gzip");
      res.set_header("Vary", "Accept-Encoding");
      auto compressed = std::make_shared<std::string>(std::move(*gz));
      std::string_view cview(*compressed);
      setBody(res, std::move(compressed), cview);
      return;
    }
  }
  setBody(res, std::move(owned), view);
}

}  // namespace

void sendJson(httplib::Response& res, int code, const nlohmann::json& body) {
  res.status = code;
  if (const auto* text = encodedText(body)) {
    std::string_view view = encodedView(*text);
    res.set_content(view.data(), view.size(), "application/json");
    return;
  }
  res.set_content(body.dump(), "application/json");
}

void sendJson(const httplib::Request& req, httplib::Response& res, int code, nlohmann::json body) {
  res.status = code;
  if (encodedText(body) != nullptr) {
    sendText(req, res, std::move(body.get_binary()));
  } else {
    sendText(req, res, body.dump());
  }
}

void sendStatus(httplib::Response& res, const Status& status) {
  sendJson(res, httpCode(status.code()), statusObject(status));
}

}  // namespace tug::apiserver
