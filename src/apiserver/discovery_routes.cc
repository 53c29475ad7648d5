#include "apiserver/discovery_routes.h"

#include <algorithm>
#include <string>
#include <vector>

#include "apiserver/media_range.h"
#include "apiserver/openapi_documents.h"
#include "apiserver/response.h"
#include "apiserver/status_response.h"

namespace tug::apiserver {
namespace {

using nlohmann::json;

bool asksForConversion(const MediaRange& m) {
  return m.params.count("as") || m.params.count("g") || m.params.count("v");
}

// The format one Accept entry asks for, or kNotAcceptable when we cannot write it.
DiscoveryFormat formatFor(const MediaRange& m, bool aggregatedAllowed) {
  if (m.q <= 0) {
    return DiscoveryFormat::kNotAcceptable;
  }
  bool jsonLike = (m.type == "application" && (m.subtype == "json" || m.subtype == "*")) ||
                  (m.type == "*" && m.subtype == "*");
  if (!jsonLike) {
    return DiscoveryFormat::kNotAcceptable;
  }
  if (!asksForConversion(m)) {
    return DiscoveryFormat::kLegacyJson;
  }
  if (!aggregatedAllowed || m.type != "application" || m.subtype != "json" ||
      param(m, "g") != "apidiscovery.k8s.io" || param(m, "as") != "APIGroupDiscoveryList") {
    return DiscoveryFormat::kNotAcceptable;  // e.g. as=Table: not for discovery documents
  }
  if (param(m, "v") == "v2") {
    return DiscoveryFormat::kAggregatedV2;
  }
  if (param(m, "v") == "v2beta1") {
    return DiscoveryFormat::kAggregatedV2Beta1;
  }
  return DiscoveryFormat::kNotAcceptable;
}

void sendNotAcceptable(httplib::Response& res, bool aggregatedAllowed) {
  std::string accepted = "application/json";
  if (aggregatedAllowed) {
    accepted += ", " + std::string(discoveryContentType(DiscoveryFormat::kAggregatedV2)) + ", " +
                std::string(discoveryContentType(DiscoveryFormat::kAggregatedV2Beta1));
  }
  // Status has no code for 406, so the object is finished by hand with upstream's reason.
  json body = statusObject(badRequest("only the following media types are accepted: " + accepted));
  body["reason"] = "NotAcceptable";
  body["code"] = 406;
  sendJson(res, 406, body);
}

void sendDocument(httplib::Response& res, DiscoveryFormat format, const json& body) {
  res.status = 200;
  res.set_header("Vary", "Accept");
  res.set_content(body.dump(), std::string(discoveryContentType(format)));
}

// An aggregated document with upstream's caching: a quoted SHA-512 of the body as its ETag, and
// 304 Not Modified without a body when If-None-Match names it, so a client that cached
// discovery learns cheaply that nothing changed.
void sendAggregated(const httplib::Request& req, httplib::Response& res, DiscoveryFormat format,
                    const json& body) {
  std::string text = body.dump();
  const std::string etag = "\"" + sha512Hex(text) + "\"";
  res.set_header("ETag", etag);
  res.set_header("Vary", "Accept");
  res.set_header("Cache-Control", "public");
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(std::move(text), std::string(discoveryContentType(format)));
}

// Where clients reach us, as they addressed us: the Host header. The listener may be bound to
// a wildcard address, so our own socket address would say less.
std::string serverAddress(const httplib::Request& req) {
  std::string host = req.get_header_value("Host");
  bool plausible = !host.empty() && std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == ':' || c == '-' || c == '[' || c == ']';
  });
  return plausible ? host : "localhost";
}

// Answers /api or /apis: the legacy document, or the aggregated one when asked for.
void serveRoot(const httplib::Request& req, httplib::Response& res,
               const api::ResourceRegistry& registry, bool core) {
  DiscoveryFormat format = negotiateDiscovery(req.get_header_value("Accept"), true);
  switch (format) {
    case DiscoveryFormat::kNotAcceptable:
      sendNotAcceptable(res, true);
      return;
    case DiscoveryFormat::kAggregatedV2:
    case DiscoveryFormat::kAggregatedV2Beta1: {
      auto version = format == DiscoveryFormat::kAggregatedV2 ? AggregatedVersion::kV2
                                                              : AggregatedVersion::kV2Beta1;
      sendAggregated(req, res, format, aggregatedDiscovery(registry, core, version));
      return;
    }
    case DiscoveryFormat::kLegacyJson:
      sendDocument(res, format,
                   core ? apiVersions(registry, serverAddress(req)) : apiGroupList(registry));
      return;
  }
}

// Answers a group or group version document, or its NotFound.
void serveLegacy(const httplib::Request& req, httplib::Response& res, const Result<json>& doc) {
  if (!doc.ok()) {
    sendStatus(res, doc.status());
    return;
  }
  DiscoveryFormat format = negotiateDiscovery(req.get_header_value("Accept"), false);
  if (format == DiscoveryFormat::kNotAcceptable) {
    sendNotAcceptable(res, false);
    return;
  }
  sendDocument(res, format, *doc);
}

}  // namespace

DiscoveryFormat negotiateDiscovery(std::string_view accept, bool aggregatedAllowed) {
  if (acceptIsEmpty(accept)) {
    return DiscoveryFormat::kLegacyJson;
  }
  for (const MediaRange& m : parseAccept(accept)) {
    DiscoveryFormat f = formatFor(m, aggregatedAllowed);
    if (f != DiscoveryFormat::kNotAcceptable) {
      return f;
    }
  }
  return DiscoveryFormat::kNotAcceptable;
}

std::string_view discoveryContentType(DiscoveryFormat format) {
  switch (format) {
    case DiscoveryFormat::kAggregatedV2:
      return "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    case DiscoveryFormat::kAggregatedV2Beta1:
      return "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";
    case DiscoveryFormat::kLegacyJson:
    case DiscoveryFormat::kNotAcceptable:
      break;
  }
  return "application/json";
}

RouteInstaller discoveryRoutes(const ApiCatalog& catalog) {
  const ApiCatalog* cat = &catalog;
  return [cat](Routes& routes) {
    routes.get("/api/?", [cat](const httplib::Request& req, httplib::Response& res,
                               const UserInfo&) {
      serveRoot(req, res, *cat->snapshot(), /*core=*/true);
    });
    routes.get("/apis/?", [cat](const httplib::Request& req, httplib::Response& res,
                                const UserInfo&) {
      serveRoot(req, res, *cat->snapshot(), /*core=*/false);
    });
    routes.get("/api/([^/]+)/?",
               [cat](const httplib::Request& req, httplib::Response& res, const UserInfo&) {
                 serveLegacy(req, res, apiResourceList(*cat->snapshot(), "", req.matches[1].str()));
               });
    routes.get("/apis/([^/]+)/?",
               [cat](const httplib::Request& req, httplib::Response& res, const UserInfo&) {
                 serveLegacy(req, res, apiGroup(*cat->snapshot(), req.matches[1].str()));
               });
    routes.get("/apis/([^/]+)/([^/]+)/?", [cat](const httplib::Request& req,
                                                httplib::Response& res, const UserInfo&) {
      serveLegacy(req, res,
                  apiResourceList(*cat->snapshot(), req.matches[1].str(), req.matches[2].str()));
    });
  };
}

}  // namespace tug::apiserver
