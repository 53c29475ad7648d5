#include "client/rest_client.h"

namespace tug::client {
namespace {

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

RestClient::RestClient(std::unique_ptr<Transport> transport) : transport_(std::move(transport)) {}

RestClient::~RestClient() = default;

Result<json> RestClient::send(TransportRequest request) {
  auto reply = transport_->roundTrip(request);
  if (!reply.ok()) {
    return reply.status();
  }
  json body = json::parse(reply->body, nullptr, false);
  if (reply->status >= 200 && reply->status < 300) {
    if (body.is_discarded()) {
      return Status(Code::kInternal, std::string(request.method) + " " + request.pathAndQuery +
                                         ": the answer is not JSON");
    }
    return body;
  }
  return statusFromReply(reply->status, body.is_discarded() ? json::object() : body);
}

Result<json> RestClient::get(const Resource& r, std::string_view ns, std::string_view name,
                              std::string_view subresource) {
  return send({"GET", resourcePath(r, ns, name, subresource), "", ""});
}

Result<ObjectList> RestClient::list(const Resource& r, std::string_view ns,
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

Result<json> RestClient::create(const Resource& r, std::string_view ns, const json& obj,
                                const WriteOptions& options, std::string_view name,
                                std::string_view subresource) {
  return send(
      {"POST", resourcePath(r, ns, name, subresource) + writeQuery(options), obj.dump(), ""});
}

Result<json> RestClient::update(const Resource& r, std::string_view ns, const json& obj,
                                std::string_view subresource, const WriteOptions& options) {
  return send({"PUT", resourcePath(r, ns, objectName(obj), subresource) + writeQuery(options),
               obj.dump(), ""});
}

Result<json> RestClient::patch(const Resource& r, std::string_view ns, std::string_view name,
                               PatchType type, std::string_view body, std::string_view subresource,
                               const WriteOptions& options) {
  return send({"PATCH", resourcePath(r, ns, name, subresource) + writeQuery(options),
               std::string(body), patchContentType(type)});
}

Result<json> RestClient::remove(const Resource& r, std::string_view ns, std::string_view name,
                                const json& deleteOptions) {
  return send({"DELETE", resourcePath(r, ns, name), deleteOptions.dump(), ""});
}

Status RestClient::removeCollection(const Resource& r, std::string_view ns,
                                    const ListOptions& selectors, const json& deleteOptions) {
  ListOptions only;
  only.labelSelector = selectors.labelSelector;
  only.fieldSelector = selectors.fieldSelector;
  auto done =
      send({"DELETE", resourcePath(r, ns) + listQuery(only, false), deleteOptions.dump(), ""});
  return done.ok() ? Status::ok() : done.status();
}

Result<std::unique_ptr<EventStream>> RestClient::watch(const Resource& r, std::string_view ns,
                                                       const ListOptions& options) {
  return transport_->watch(resourcePath(r, ns) + listQuery(options, true),
                           options.omitManagedFields);
}

Result<std::vector<ServedResource>> RestClient::serverResources() {
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
