#include "apiserver/openapi_routes.h"

#include <ctime>

#include "apiserver/response.h"
#include "apiserver/status_response.h"

namespace tug::apiserver {
namespace {

constexpr int kOneYearDays = 365;

// HTTP date (RFC 1123, GMT) `days` from now.
std::string httpDateFromNow(int days) {
  std::time_t t = std::time(nullptr) + static_cast<std::time_t>(days) * 24 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// Whether If-None-Match names `etag` (a list of quoted tags, possibly weak, or "*").
bool matchesEtag(const std::string& header, const std::string& etag) {
  if (header.empty()) {
    return false;
  }
  if (header.find('*') != std::string::npos) {
    return true;
  }
  return header.find(etag) != std::string::npos;
}

void serveIndex(OpenApiDocuments& docs, httplib::Response& res) {
  res.status = 200;
  res.set_content(docs.index(), "application/json");
}

void serveDocument(OpenApiDocuments& docs, const httplib::Request& req, httplib::Response& res,
                   const std::string& path) {
  auto doc = docs.document(path);
  if (!doc) {
    sendStatus(res, notFound("the server could not find the requested resource"));
    return;
  }
  res.set_header("Vary", "Accept");
  if (!acceptsJson(req.get_header_value("Accept"))) {
    nlohmann::json body = statusObject(badRequest("only application/json is served"));
    body["reason"] = "NotAcceptable";
    body["code"] = 406;
    sendJson(res, 406, body);
    return;
  }
  if (req.has_param("hash")) {
    if (req.get_param_value("hash") != doc->hash) {
      // A stale link: send the client to the current document, as upstream does.
      res.set_redirect("/openapi/v3/" + path + "?hash=" + doc->hash, 301);
      return;
    }
    res.set_header("Cache-Control", "public, immutable");
    res.set_header("Expires", httpDateFromNow(kOneYearDays));
  }
  const std::string etag = "\"" + doc->hash + "\"";
  res.set_header("ETag", etag);
  if (matchesEtag(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(*doc->text, "application/json");
}

}  // namespace

const std::string kOpenApiV2Body("\x0a\x03\x32\x2e\x30", 5);
const char* const kOpenApiV2ContentType =
    "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

bool acceptsJson(const std::string& accept) {
  if (accept.empty()) {
    return true;
  }
  return accept.find("json") != std::string::npos || accept.find("*/*") != std::string::npos ||
         accept.find("application/*") != std::string::npos;
}

RouteInstaller openApiRoutes(std::shared_ptr<OpenApiDocuments> documents) {
  return [documents](Routes& routes) {
    routes.get("/openapi/v3/?", [documents](const httplib::Request&, httplib::Response& res,
                                            const UserInfo&) { serveIndex(*documents, res); });
    routes.get("/openapi/v3/(.+)", [documents](const httplib::Request& req,
                                               httplib::Response& res, const UserInfo&) {
      serveDocument(*documents, req, res, req.matches[1].str());
    });
    // Only the header of a v2 document, whatever was asked for: kubectl 1.27/1.28 insist on
    // fetching it as protobuf and need nothing in it (docs/design/openapi.md).
    routes.get("/openapi/v2/?", [](const httplib::Request&, httplib::Response& res,
                                   const UserInfo&) {
      res.status = 200;
      res.set_content(kOpenApiV2Body, kOpenApiV2ContentType);
    });
  };
}

}  // namespace tug::apiserver
