#include "client/https_client.h"

#include <httplib.h>

#include "client/https_watch.h"

namespace tug::client {
namespace {

constexpr size_t kMaxIdleConnections = 4;

std::string writeQuery(const WriteOptions& o) {
  std::string q;
  auto add = [&](const std::string& kv) { q += (q.empty() ? "?" : "&") + kv; };
  if (!o.fieldManager.empty()) {
    add("fieldManager=" + o.fieldManager);
  }
  if (o.dryRun) {
    add("dryRun=All");
  }
  if (o.force) {
    add("force=true");
  }
  return q;
}

const char* patchContentType(PatchType type) {
  switch (type) {
    case PatchType::kJson: return "application/json-patch+json";
    case PatchType::kMerge: return "application/merge-patch+json";
    case PatchType::kStrategicMerge: return "application/strategic-merge-patch+json";
    case PatchType::kApply: return "application/apply-patch+yaml";
  }
  return "application/merge-patch+json";
}

std::string objectName(const json& obj) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) {
    return "";
  }
  return m->value("name", "");
}

}  // namespace

HttpsClient::HttpsClient(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

HttpsClient::~HttpsClient() = default;

std::unique_ptr<httplib::SSLClient> HttpsClient::connect() const {
  auto c = endpoint_.certFile.empty()
               ? std::make_unique<httplib::SSLClient>(endpoint_.host, endpoint_.port)
               : std::make_unique<httplib::SSLClient>(endpoint_.host, endpoint_.port,
                                                      endpoint_.certFile, endpoint_.keyFile);
  c->set_ca_cert_path(endpoint_.caFile);
  c->enable_server_certificate_verification(true);
  c->set_keep_alive(true);
  c->set_connection_timeout(5, 0);
  c->set_read_timeout(60, 0);
  c->set_write_timeout(60, 0);
  httplib::Headers headers = {{"User-Agent", endpoint_.userAgent},
                              {"Accept", "application/json"}};
  if (!endpoint_.bearerToken.empty()) {
    headers.emplace("Authorization", "Bearer " + endpoint_.bearerToken);
  }
  c->set_default_headers(headers);
  return c;
}

Result<json> HttpsClient::send(const Request& request) {
  std::unique_ptr<httplib::SSLClient> c;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      c = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!c) {
    c = connect();
  }
  httplib::Result res{nullptr, httplib::Error::Unknown};
  const std::string method = request.method;
  const std::string type = request.contentType.empty() ? "application/json" : request.contentType;
  if (method == "GET") {
    res = c->Get(request.path);
  } else if (method == "POST") {
    res = c->Post(request.path, request.body, type);
  } else if (method == "PUT") {
    res = c->Put(request.path, request.body, type);
  } else if (method == "PATCH") {
    res = c->Patch(request.path, request.body, type);
  } else {
    res = c->Delete(request.path, request.body, type);
  }
  if (!res) {
    return Status(Code::kUnavailable, method + " " + request.path + ": " +
                                          httplib::to_string(res.error()));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < kMaxIdleConnections) {
      idle_.push_back(std::move(c));
    }
  }
  json body = json::parse(res->body, nullptr, false);
  if (res->status >= 200 && res->status < 300) {
    if (body.is_discarded()) {
      return Status(Code::kInternal, method + " " + request.path + ": the answer is not JSON");
    }
    return body;
  }
  return statusFromReply(res->status, body.is_discarded() ? json::object() : body);
}

Result<json> HttpsClient::get(const Resource& r, std::string_view ns, std::string_view name,
                              std::string_view subresource) {
  return send({"GET", resourcePath(r, ns, name, subresource), "", ""});
}

Result<ObjectList> HttpsClient::list(const Resource& r, std::string_view ns,
                                     const ListOptions& options) {
  auto body = send({"GET", resourcePath(r, ns) + listQuery(options, false), "", ""});
  if (!body.ok()) {
    return body.status();
  }
  ObjectList out;
  if (auto items = body->find("items"); items != body->end() && items->is_array()) {
    out.items = std::move(*items);
  }
  const json& meta = body->value("metadata", json::object());
  out.resourceVersion = meta.value("resourceVersion", "");
  out.continueToken = meta.value("continue", "");
  return out;
}

Result<json> HttpsClient::create(const Resource& r, std::string_view ns, const json& obj,
                                 const WriteOptions& options, std::string_view name,
                                 std::string_view subresource) {
  return send({"POST", resourcePath(r, ns, name, subresource) + writeQuery(options), obj.dump(),
               ""});
}

Result<json> HttpsClient::update(const Resource& r, std::string_view ns, const json& obj,
                                 std::string_view subresource, const WriteOptions& options) {
  return send({"PUT", resourcePath(r, ns, objectName(obj), subresource) + writeQuery(options),
               obj.dump(), ""});
}

Result<json> HttpsClient::patch(const Resource& r, std::string_view ns, std::string_view name,
                                PatchType type, std::string_view body,
                                std::string_view subresource, const WriteOptions& options) {
  return send({"PATCH",
               resourcePath(r, ns, name, subresource) + writeQuery(options),
               std::string(body), patchContentType(type)});
}

Result<json> HttpsClient::remove(const Resource& r, std::string_view ns, std::string_view name,
                                 const json& deleteOptions) {
  return send({"DELETE", resourcePath(r, ns, name), deleteOptions.dump(), ""});
}

Status HttpsClient::removeCollection(const Resource& r, std::string_view ns,
                                     const ListOptions& selectors, const json& deleteOptions) {
  ListOptions only;
  only.labelSelector = selectors.labelSelector;
  only.fieldSelector = selectors.fieldSelector;
  auto done = send({"DELETE", resourcePath(r, ns) + listQuery(only, false), deleteOptions.dump(), ""});
  return done.ok() ? Status::ok() : done.status();
}

Result<std::unique_ptr<EventStream>> HttpsClient::watch(const Resource& r, std::string_view ns,
                                                        const ListOptions& options) {
  return startHttpsWatch(connect(), resourcePath(r, ns) + listQuery(options, true));
}

Result<std::vector<ServedResource>> HttpsClient::serverResources() {
  std::vector<std::pair<std::string, std::string>> groupVersions = {{"", "v1"}};
  auto groups = send({"GET", "/apis", "", ""});
  if (!groups.ok()) {
    return groups.status();
  }
  for (const json& g : groups->value("groups", json::array())) {
    const json& preferred = g.value("preferredVersion", json::object());
    groupVersions.emplace_back(g.value("name", ""), preferred.value("version", ""));
  }
  std::vector<ServedResource> out;
  for (const auto& [group, version] : groupVersions) {
    std::string path = group.empty() ? "/api/v1" : "/apis/" + group + "/" + version;
    auto list = send({"GET", path, "", ""});
    if (!list.ok()) {
      // A group version that went away meanwhile (a CRD deleted) is no longer served.
      if (list.status().code() == Code::kNotFound) {
        continue;
      }
      return list.status();
    }
    for (const json& r : list->value("resources", json::array())) {
      std::string name = r.value("name", "");
      if (name.empty() || name.find('/') != std::string::npos) {
        continue;
      }
      ServedResource s{Resource{group, version, name, r.value("namespaced", false)},
                       r.value("kind", ""),
                       r.value("verbs", std::vector<std::string>{})};
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace tug::client
