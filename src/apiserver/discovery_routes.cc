#include "apiserver/discovery_routes.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "apiserver/openapi_documents.h"
#include "apiserver/response.h"
#include "apiserver/status_response.h"

namespace tug::apiserver {
namespace {

using nlohmann::json;

struct MediaRange {
  std::string type;                           // "application/json", lower case
  std::map<std::string, std::string> params;  // without q
  double q = 1.0;
};

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) {
      return out;
    }
    start = end + 1;
  }
}

MediaRange parseRange(std::string_view clause) {
  auto parts = split(clause, ';');
  MediaRange m;
  m.type = lower(trim(parts[0]));
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    size_t eq = p.find('=');
    std::string key = lower(trim(p.substr(0, eq)));
    std::string value = eq == std::string_view::npos ? "" : trim(p.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (key == "q") {
      m.q = std::strtod(value.c_str(), nullptr);
    } else if (!key.empty()) {
      m.params[key] = value;
    }
  }
  return m;
}

// Accept's entries, most preferred first; ties keep the client's order.
std::vector<MediaRange> parseAccept(std::string_view accept) {
  std::vector<MediaRange> out;
  for (std::string_view clause : split(accept, ',')) {
    if (!trim(clause).empty()) {
      out.push_back(parseRange(clause));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const MediaRange& a, const MediaRange& b) { return a.q > b.q; });
  return out;
}

bool asksForConversion(const MediaRange& m) {
  return m.params.count("as") || m.params.count("g") || m.params.count("v");
}

// The format one Accept entry asks for, or kNotAcceptable when we cannot write it.
DiscoveryFormat formatFor(const MediaRange& m, bool aggregatedAllowed) {
  if (m.q <= 0) {
    return DiscoveryFormat::kNotAcceptable;
  }
  bool jsonLike = m.type == "application/json" || m.type == "application/*" || m.type == "*/*";
  if (!jsonLike) {
    return DiscoveryFormat::kNotAcceptable;
  }
  if (!asksForConversion(m)) {
    return DiscoveryFormat::kLegacyJson;
  }
  auto param = [&](const char* k) {
    auto it = m.params.find(k);
    return it == m.params.end() ? std::string() : it->second;
  };
  if (!aggregatedAllowed || m.type != "application/json" || param("g") != "apidiscovery.k8s.io" ||
      param("as") != "APIGroupDiscoveryList") {
    return DiscoveryFormat::kNotAcceptable;  // e.g. as=Table: not for discovery documents
  }
  if (param("v") == "v2") {
    return DiscoveryFormat::kAggregatedV2;
  }
  if (param("v") == "v2beta1") {
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
  if (trim(accept).empty()) {
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
