#include "controllers/resourcequota/resourcequota_controller.h"

#include "api/json_member.h"
#include "api/quota/usage.h"
#include "common/log.h"
#include "controllers/resourcequota/quota_status.h"

namespace tug::controllers {
namespace {

using nlohmann::json;

constexpr const char* kLog = "resourcequota-controller";

const client::Resource kPods{"", "v1", "pods", true};
const client::Resource kQuotas{"", "v1", "resourcequotas", true};

using api::member;

std::string meta(const json& obj, const char* key) {
  return api::memberString(member(obj, "metadata"), key);
}

// What usage reads of a counted object; the rest is not cached.
json slim(json&& obj) {
  json out = json::object();
  json m = json::object();
  for (const char* key : {"name", "namespace", "resourceVersion", "annotations"}) {
    if (const json& v = member(member(obj, "metadata"), key); !v.is_null()) {
      m[key] = v;
    }
  }
  out["metadata"] = std::move(m);
  json spec = json::object();
  for (const char* key : {"type", "ports", "allocateLoadBalancerNodePorts", "storageClassName",
                          "resources"}) {
    if (const json& v = member(member(obj, "spec"), key); !v.is_null()) {
      spec[key] = v;
    }
  }
  out["spec"] = std::move(spec);
  return out;
}

bool holdsResources(const json& pod) {
  const json& phase = member(member(pod, "status"), "phase");
  return !(phase.is_string() && (phase == "Succeeded" || phase == "Failed"));
}

}  // namespace

ResourceQuotaController::ResourceQuotaController(client::Client& client,
                                                 client::SharedInformers& informers,
                                                 Options options)
    : client_(client), options_(options), pods_(informers.get(kPods)), quotas_(client, kQuotas) {
  auto quotaKey = [](const json& q) {
    return client::keyOf(meta(q, "namespace"), meta(q, "name"));
  };
  handlers_ += quotas_.addHandlers(client::EventHandlers{
      [this, quotaKey](const json& q) { queue_.add(quotaKey(q)); },
      [this, quotaKey](const json& old, const json& now) {
        // Spec changes and quotas whose status.hard is not yet spec.hard need a recount;
        // admission's own writes to status.used do not.
        const json& spec = member(now, "spec");
        const auto hard = api::quota::resourceListFrom(member(spec, "hard"));
        const auto given = api::quota::resourceListFrom(member(member(now, "status"), "hard"));
        if (spec != member(old, "spec") || !api::quota::sameText(hard, given)) {
          queue_.add(quotaKey(now));
        }
      },
      nullptr});
  handlers_ += pods_.addHandlers(client::EventHandlers{
      nullptr,
      [this](const json& old, const json& now) {
        if (holdsResources(old) && !holdsResources(now)) {
          enqueueNamespace(meta(now, "namespace"));
        }
      },
      [this](const json& last) { enqueueNamespace(meta(last, "namespace")); }});
  for (const char* resource : {"services", "persistentvolumeclaims", "configmaps", "secrets",
                               "replicationcontrollers"}) {
    auto informer = std::make_unique<client::Informer>(
        client, client::Resource{"", "v1", resource, true});
    informer->setTransform(slim);
    handlers_ += informer->addHandlers(client::EventHandlers{
        nullptr, nullptr, [this](const json& last) { enqueueNamespace(meta(last, "namespace")); }});
    counted_[resource] = std::move(informer);
  }
}

ResourceQuotaController::~ResourceQuotaController() { stop(); }

void ResourceQuotaController::start() {
  for (auto& [name, informer] : counted_) {
    informer->start();
  }
  pods_.waitForSync(std::chrono::seconds(10));
  for (auto& [name, informer] : counted_) {
    informer->waitForSync(std::chrono::seconds(10));
  }
  quotas_.start();
  worker_ = std::thread([this] { work(); });
}

void ResourceQuotaController::stop() {
  queue_.shutDown();
  std::vector<client::Informer*> informers = {&quotas_};
  for (auto& [name, informer] : counted_) {
    informers.push_back(informer.get());
  }
  client::stopInformers(informers);
  if (worker_.joinable()) {
    worker_.join();
  }
}

void ResourceQuotaController::enqueueNamespace(const std::string& ns) {
  quotas_.forEach(ns, [this](const json& q) {
    queue_.add(client::keyOf(meta(q, "namespace"), meta(q, "name")));
  });
}

void ResourceQuotaController::work() {
  while (auto key = queue_.get()) {
    Status s = sync(*key);
    if (s.isOk()) {
      queue_.forget(*key);
      if (quotas_.get(client::splitKey(*key).first, client::splitKey(*key).second)) {
        queue_.addAfter(*key, options_.resyncPeriod);
      }
    } else if (s.code() == Code::kConflict) {
      queue_.add(*key);  // written meanwhile (admission charged it): recount from the new one
    } else {
      TUG_LOG(kWarn, kLog) << "quota " << *key << ": " << s.message();
      queue_.addRateLimited(*key);
    }
    queue_.done(*key);
  }
}

bool ResourceQuotaController::visit(const std::string& ns, const std::string& group,
                                    const std::string& resource,
                                    const std::function<void(const json&)>& fn) {
  if (group.empty() && resource == "pods") {
    // Read afresh rather than from the cache: pods come and go fastest, and a cache that has
    // not yet seen a pod admission just charged for would count the quota down below it.
    auto listed = client_.list(kPods, ns);
    if (!listed.ok()) {
      return false;
    }
    for (const json& pod : listed->items) {
      fn(pod);
    }
    return true;
  }
  if (group.empty()) {
    if (auto it = counted_.find(resource); it != counted_.end()) {
      it->second->forEach(ns, fn);
      return true;
    }
    if (resource == "resourcequotas") {
      quotas_.forEach(ns, fn);
      return true;
    }
  }
  // Any other resource: found through discovery and listed (rare: count/<resource> quotas).
  auto served = client_.serverResources();
  if (!served.ok()) {
    return false;
  }
  for (const client::ServedResource& r : *served) {
    if (r.resource.group == group && r.resource.resource == resource) {
      if (!r.resource.namespaced) {
        return true;
      }
      auto listed = client_.list(r.resource, ns);
      if (!listed.ok()) {
        return false;
      }
      for (const json& obj : listed->items) {
        fn(obj);
      }
      return true;
    }
  }
  return true;  // not served: nothing of it exists
}

Status ResourceQuotaController::sync(const std::string& key) {
  auto [ns, name] = client::splitKey(key);
  auto quota = quotas_.get(ns, name);
  if (!quota) {
    return Status::ok();
  }
  auto status = desiredStatus(
      *quota,
      [&](const api::quota::Kind& kind, const std::function<void(const json&)>& fn) {
        return visit(ns, kind.group, kind.resource, fn);
      },
      std::chrono::system_clock::now());
  if (!status) {
    return Status(Code::kUnavailable, "the objects it counts could not be read");
  }
  const json& current = member(*quota, "status");
  if (member(current, "hard") == (*status)["hard"] && member(current, "used") == (*status)["used"]) {
    return Status::ok();
  }
  json next = *quota;
  next["status"] = *status;
  auto written = client_.update(kQuotas, ns, next, "status");
  return written.ok() ? Status::ok() : written.status();
}

}  // namespace tug::controllers
