#include "apiserver/crd_controller.h"

#include <openssl/evp.h>

#include <map>

#include "api/crd/crd_resources.h"
#include "api/crd/custom_resource.h"
#include "apiserver/object_meta.h"
#include "apiserver/openapi_document.h"
#include "apiserver/resource_verbs.h"
#include "common/base64.h"
#include "common/log.h"

namespace tug::apiserver {
namespace {

using nlohmann::json;

constexpr const char* kLog = "crd";
constexpr const char* kCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";
constexpr const char* kManager = "kube-apiserver";

// Discovery's storageVersionHash: the first 8 bytes of SHA-256 over group/version/kind of the
// storage version, base64, as upstream computes it.
std::string storageVersionHash(const api::ResourceInfo& r) {
  std::string text = r.group + "/" + r.custom->storageVersion + "/" + r.kind;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  return base64Encode(std::string_view(reinterpret_cast<const char*>(digest), 8));
}

json condition(const std::string& type, bool status, const std::string& reason,
               const std::string& message) {
  return {{"type", type},
          {"status", status ? "True" : "False"},
          {"reason", reason},
          {"message", message},
          {"lastTransitionTime", nowTimestamp()}};
}

const json* findCondition(const json& status, std::string_view type) {
  auto conds = status.find("conditions");
  if (conds == status.end() || !conds->is_array()) {
    return nullptr;
  }
  for (const json& c : *conds) {
    if (c.is_object() && c.value("type", "") == type) {
      return &c;
    }
  }
  return nullptr;
}

// Sets a condition, keeping its lastTransitionTime while its status stays the same.
void setCondition(json& status, json cond) {
  if (!status["conditions"].is_array()) {
    status["conditions"] = json::array();
  }
  for (json& c : status["conditions"]) {
    if (c.is_object() && c.value("type", "") == cond["type"]) {
      if (c.value("status", "") == cond["status"] && c.contains("lastTransitionTime")) {
        cond["lastTransitionTime"] = c["lastTransitionTime"];
      }
      c = std::move(cond);
      return;
    }
  }
  status["conditions"].push_back(std::move(cond));
}

bool established(const json& crd) {
  const json status = crd.value("status", json::object());
  const json* c = findCondition(status, "Established");
  return c != nullptr && c->value("status", "") == "True";
}

bool terminating(const json& crd) { return !metaString(crd, "deletionTimestamp").empty(); }

// The status the controllers give `crd` for the naming decision `names`.
json desiredStatus(const json& crd, const api::CrdNames& names) {
  json status = crd.value("status", json::object());
  if (!status.is_object()) {
    status = json::object();
  }
  status["acceptedNames"] =
      names.acceptedNames.empty() ? json{{"kind", ""}, {"plural", ""}} : names.acceptedNames;
  setCondition(status, condition("NamesAccepted", names.accepted, names.reason, names.message));
  if (names.accepted || established(crd)) {
    setCondition(status, condition("Established", true, "InitialNamesAccepted",
                                   "the initial names have been accepted"));
  } else {
    setCondition(status,
                 condition("Established", false, "NotAccepted", "not all names are accepted"));
  }
  if (terminating(crd)) {
    setCondition(status, condition("Terminating", true, "InstanceDeletionInProgress",
                                   "CustomResource deletion is in progress"));
  }
  return status;
}

bool hasFinalizer(const json& obj, std::string_view name) {
  const json& meta = obj.value("metadata", json::object());
  auto f = meta.find("finalizers");
  if (f == meta.end() || !f->is_array()) {
    return false;
  }
  for (const json& n : *f) {
    if (n == name) {
      return true;
    }
  }
  return false;
}

void logRefusal(const std::string& what, const std::string& name, const Reply& r) {
  // Conflicts are a newer version we will see next; anything else is worth a line.
  if (r.code >= 300 && r.code != 409 && r.code != 404) {
    TUG_LOG(kWarn, kLog) << what << " " << name << ": " << r.code << " "
                         << r.body.value("message", r.body.dump());
  }
}

}  // namespace

namespace {

// A malformed stored CRD must not take the server down with the controller's thread.
std::string crdKeyPrefix(const ApiCatalog& catalog) {
  const api::ResourceInfo* crds =
      catalog.snapshot()->find("apiextensions.k8s.io", "v1", "customresourcedefinitions");
  return api::storageKey(*crds, "", "");
}

bool guardedSync(CrdController& c) {
  try {
    return c.syncOnce();
  } catch (const std::exception& e) {
    TUG_LOG(kWarn, kLog) << "syncing CustomResourceDefinitions: " << e.what();
    return true;
  }
}

}  // namespace

CrdController::CrdController(store::Store& store, ApiCatalog& catalog,
                             std::shared_ptr<OpenApiDocuments> docs)
    : store_(store),
      catalog_(catalog),
      docs_(std::move(docs)),
      follower_(store, crdKeyPrefix(catalog),
                store::StoreFollower::Callbacks{
                    [this] {
                      pending_ = guardedSync(*this);
                      return Status::ok();
                    },
                    [this](const std::vector<store::EventPtr>& events) { follow(events); }}) {}

CrdController::~CrdController() { stop(); }

Status CrdController::start() { return follower_.start(); }

void CrdController::stop() { follower_.stop(); }

void CrdController::follow(const std::vector<store::EventPtr>& events) {
  if (!events.empty() || pending_) {
    pending_ = guardedSync(*this);
  }
}

bool CrdController::cleanUp(const VerbContext& ctx, const api::ResourceInfo& crdInfo,
                            const json& crd) {
  const std::string name = metaString(crd, "name");
  const api::ResourceInfo* served = nullptr;
  for (const api::GroupInfo& g : ctx.registry.groups()) {
    for (const api::GroupVersionInfo& v : g.versions) {
      for (const api::ResourceInfo* r : v.resources) {
        if (r->custom && r->custom->crdName == name) {
          served = r;
        }
      }
    }
  }
  if (served != nullptr) {
    // Every version keeps its objects in one place: deleting through one version is enough.
    Reply r = deleteCollection(ctx, VerbRequest{ResourceTarget{served, "", "", ""}, {}, ""});
    logRefusal("deleting the objects of", name, r);
    auto left = store_.count(api::storageKey(*served, "", ""));
    if (!left.ok() || *left > 0) {
      return false;  // objects with finalizers of their own: wait for them
    }
  }
  json body = crd;
  json& finalizers = body["metadata"]["finalizers"];
  json kept = json::array();
  for (const json& f : finalizers) {
    if (f != kCleanupFinalizer) {
      kept.push_back(f);
    }
  }
  finalizers = std::move(kept);
  Reply r = updateResource(
      ctx, VerbRequest{
               ResourceTarget{&crdInfo, "", name, ""}, {{"fieldManager", kManager}}, body.dump()});
  logRefusal("finishing the deletion of", name, r);
  if (r.code == 200) {
    TUG_LOG(kInfo, kLog) << "removed CustomResourceDefinition " << name << " and its objects";
  }
  return r.code == 200;
}

bool CrdController::syncOnce() {
  auto builtin = catalog_.snapshot();
  const api::ResourceInfo* crdInfo =
      builtin->find("apiextensions.k8s.io", "v1", "customresourcedefinitions");
  if (crdInfo == nullptr) {
    return false;
  }
  auto listed = store_.list(api::storageKey(*crdInfo, "", ""), store::ListOptions{});
  if (!listed.ok()) {
    TUG_LOG(kWarn, kLog) << "reading CustomResourceDefinitions: " << listed.status().message();
    return true;
  }
  std::vector<json> crds;
  for (const store::KeyValue& kv : listed->items) {
    if (auto obj = decodeStored(kv, *crdInfo); obj.ok()) {
      crds.push_back(std::move(*obj));
    }
  }
  std::map<std::string, api::CrdNames> names = api::decideNames(crds);

  std::vector<std::unique_ptr<api::ResourceInfo>> resources;
  for (const json& crd : crds) {
    const std::string name = metaString(crd, "name");
    auto served = api::customResources(crd, names[name].acceptedNames);
    if (!served.ok()) {
      TUG_LOG(kWarn, kLog) << served.status().message();
      continue;
    }
    for (auto& r : *served) {
      r->storageVersionHash = storageVersionHash(*r);
      resources.push_back(std::move(r));
    }
  }
  auto snapshot = catalog_.setCustom(std::move(resources));

  // OpenAPI v3: one document per custom group version; gone ones are withdrawn.
  std::set<std::string> paths;
  for (const api::GroupInfo& g : snapshot->groups()) {
    for (const api::GroupVersionInfo& v : g.versions) {
      if (v.resources.empty() || !v.resources.front()->custom) {
        continue;
      }
      std::string path = openApiPath(g.name, v.version);
      paths.insert(path);
      docs_->set(path, [snapshot, group = g.name, version = v.version] {
        return renderCustomDocument(*snapshot, group, version);
      });
    }
  }
  for (const std::string& old : documentPaths_) {
    if (!paths.count(old)) {
      docs_->remove(old);
    }
  }
  documentPaths_ = std::move(paths);

  VerbContext ctx{store_, *snapshot, snapshot};
  bool pending = false;
  for (json& crd : crds) {
    const std::string name = metaString(crd, "name");
    json status = desiredStatus(crd, names[name]);
    if (status != crd.value("status", json::object())) {
      json body = crd;
      body["status"] = std::move(status);
      Reply r = updateStatus(ctx, VerbRequest{ResourceTarget{crdInfo, "", name, "status"},
                                              {{"fieldManager", kManager}},
                                              body.dump()});
      logRefusal("updating the status of", name, r);
      if (r.code != 200) {
        continue;  // the write we lost to comes back as an event
      }
      crd = std::move(r.body);
    }
    if (terminating(crd) && hasFinalizer(crd, kCleanupFinalizer)) {
      pending |= !cleanUp(ctx, *crdInfo, crd);
    }
  }
  return pending;
}

}  // namespace tug::apiserver
