#include "controllers/endpoints/endpoints_controller.h"

#include <set>

#include "common/log.h"
#include "controllers/endpoints/service_endpoints.h"

namespace tug::controllers {
namespace {

using client::json;
namespace ep = endpoints;

constexpr const char* kLog = "endpoints-controller";

const client::Resource kServices{"", "v1", "services", true};
const client::Resource kPods{"", "v1", "pods", true};
const client::Resource kEndpoints{"", "v1", "endpoints", true};
const client::Resource kSlices{"discovery.k8s.io", "v1", "endpointslices", true};

std::string meta(const json& obj, const char* key) {
  const auto& m = obj.value("metadata", json::object());
  return m.value(key, "");
}

json labelsOf(const json& obj) {
  return obj.value("metadata", json::object()).value("labels", json::object());
}

client::ListOptions managedSlices() {
  client::ListOptions o;
  o.labelSelector = std::string(ep::kManagedBy) + "=" + ep::kManager;
  return o;
}

// Not-found and already-gone answers mean the world moved on: the next event brings us back.
Status ignoreGone(const Status& s) {
  return s.code() == Code::kNotFound ? Status::ok() : s;
}

}  // namespace

EndpointsController::EndpointsController(client::Client& client,
                                         client::SharedInformers& informers)
    : client_(client),
      services_(informers.get(kServices)),
      pods_(informers.get(kPods)),
      endpoints_(informers.get(kEndpoints)),
      slices_(client, kSlices, "", managedSlices()) {
  auto serviceKey = [this](const json& obj) {
    queue_.add(client::keyOf(meta(obj, "namespace"), meta(obj, "name")));
  };
  handlers_ += services_.addHandlers(client::EventHandlers{
      serviceKey, [serviceKey](const json&, const json& now) { serviceKey(now); }, serviceKey});
  handlers_ += pods_.addHandlers(
      client::EventHandlers{[this](const json& pod) { podChanged(json(), pod); },
                            [this](const json& old, const json& now) { podChanged(old, now); },
                            [this](const json& pod) { podChanged(json(), pod); }});
  // Someone else's change to what we own is undone.
  handlers_ += endpoints_.addHandlers(client::EventHandlers{
      nullptr, [serviceKey](const json&, const json& now) { serviceKey(now); }, serviceKey});
  auto sliceOwner = [this](const json& slice) {
    std::string service = labelsOf(slice).value(ep::kServiceName, "");
    if (!service.empty()) {
      queue_.add(client::keyOf(meta(slice, "namespace"), service));
    }
  };
  handlers_ += slices_.addHandlers(client::EventHandlers{
      nullptr, [sliceOwner](const json&, const json& now) { sliceOwner(now); }, sliceOwner});
}

EndpointsController::~EndpointsController() { stop(); }

void EndpointsController::start() {
  slices_.start();
  worker_ = std::thread([this] {
    // Every Service the first list queued is synced against full caches.
    for (client::Informer* i : {&pods_, &endpoints_, &slices_, &services_}) {
      while (!queue_.shuttingDown() && !i->waitForSync(std::chrono::milliseconds(200))) {
      }
    }
    work();
  });
}

void EndpointsController::stop() {
  queue_.shutDown();
  slices_.stop();
  if (worker_.joinable()) {
    worker_.join();
  }
}

void EndpointsController::podChanged(const json& old, const json& now) {
  const json& pod = now.is_null() ? old : now;
  for (const json& svc : services_.list(meta(pod, "namespace"))) {
    if (ep::selects(svc, pod) || (!old.is_null() && ep::selects(svc, old))) {
      queue_.add(client::keyOf(meta(svc, "namespace"), meta(svc, "name")));
    }
  }
}

void EndpointsController::work() {
  while (auto key = queue_.get()) {
    Status s = sync(*key);
    if (s.isOk()) {
      queue_.forget(*key);
    } else {
      TUG_LOG(kWarn, kLog) << "service " << *key << ": " << s.message();
      queue_.addRateLimited(*key);
    }
    queue_.done(*key);
  }
}

Status EndpointsController::sync(const std::string& key) {
  auto [ns, name] = client::splitKey(key);
  auto service = services_.get(ns, name);
  if (!service) {
    return removeAll(ns, name);
  }
  if (!ep::hasSelector(*service)) {
    return Status::ok();
  }
  std::vector<json> pods = pods_.list(ns);
  if (Status s = syncEndpoints(*service, pods); !s.isOk()) {
    return s;
  }
  return syncSlices(*service, pods);
}

Status EndpointsController::syncEndpoints(const json& service, const std::vector<json>& pods) {
  const std::string ns = meta(service, "namespace"), name = meta(service, "name");
  json desired = ep::desiredEndpoints(service, pods);
  auto current = endpoints_.get(ns, name);
  if (!current) {
    auto created = client_.create(kEndpoints, ns, desired);
    return created.ok() || created.status().code() == Code::kAlreadyExists ||
                   created.status().code() == Code::kForbidden  // namespace going away
               ? Status::ok()
               : created.status();
  }
  json next = *current;
  next["metadata"]["labels"] = desired["metadata"].value("labels", json::object());
  if (next["metadata"]["labels"].empty()) {
    next["metadata"].erase("labels");
  }
  if (desired.contains("subsets")) {
    next["subsets"] = desired["subsets"];
  } else {
    next.erase("subsets");
  }
  if (next == *current) {
    return Status::ok();
  }
  return ignoreGone(client_.update(kEndpoints, ns, next).status());
}

Status EndpointsController::syncSlices(const json& service, const std::vector<json>& pods) {
  const std::string ns = meta(service, "namespace"), name = meta(service, "name");
  std::vector<ep::SliceContent> desired = ep::desiredSlices(service, pods);
  std::vector<json> existing;
  for (json& slice : slices_.list(ns)) {
    if (labelsOf(slice).value(ep::kServiceName, "") == name) {
      existing.push_back(std::move(slice));
    }
  }
  const json labels = ep::sliceLabels(service);
  const json owner = {{"apiVersion", "v1"},
                      {"kind", "Service"},
                      {"name", name},
                      {"uid", meta(service, "uid")},
                      {"controller", true},
                      {"blockOwnerDeletion", true}};
  std::vector<bool> used(existing.size(), false);
  // A slice with the same ports is rewritten in place, so that a pod coming and going touches
  // one slice; otherwise any unused slice is, and only then is one created.
  auto pick = [&](const ep::SliceContent& want) -> int {
    int any = -1;
    for (size_t i = 0; i < existing.size(); ++i) {
      if (used[i]) {
        continue;
      }
      if (existing[i].value("ports", json::array()) == want.ports) {
        return static_cast<int>(i);
      }
      any = any < 0 ? static_cast<int>(i) : any;
    }
    return any;
  };
  for (const ep::SliceContent& want : desired) {
    int i = pick(want);
    json slice = i >= 0 ? existing[i]
                        : json{{"apiVersion", "discovery.k8s.io/v1"},
                               {"kind", "EndpointSlice"},
                               {"metadata", {{"generateName", name + "-"}, {"namespace", ns}}}};
    json before = slice;
    slice["metadata"]["labels"] = labels;
    slice["metadata"]["ownerReferences"] = json::array({owner});
    slice["addressType"] = "IPv4";
    slice["endpoints"] = want.endpoints;
    if (want.ports.empty()) {
      slice.erase("ports");
    } else {
      slice["ports"] = want.ports;
    }
    if (i >= 0) {
      used[i] = true;
      if (slice == before) {
        continue;
      }
      if (Status s = ignoreGone(client_.update(kSlices, ns, slice).status()); !s.isOk()) {
        return s;
      }
    } else {
      auto created = client_.create(kSlices, ns, slice);
      if (!created.ok() && created.status().code() != Code::kForbidden) {
        return created.status();
      }
    }
  }
  for (size_t i = 0; i < existing.size(); ++i) {
    if (!used[i]) {
      if (Status s = ignoreGone(client_.remove(kSlices, ns, meta(existing[i], "name")).status());
          !s.isOk()) {
        return s;
      }
    }
  }
  return Status::ok();
}

Status EndpointsController::removeAll(const std::string& ns, const std::string& name) {
  if (endpoints_.get(ns, name)) {
    if (Status s = ignoreGone(client_.remove(kEndpoints, ns, name).status()); !s.isOk()) {
      return s;
    }
  }
  for (const json& slice : slices_.list(ns)) {
    if (labelsOf(slice).value(ep::kServiceName, "") == name) {
      Status s = ignoreGone(client_.remove(kSlices, ns, meta(slice, "name")).status());
      if (!s.isOk()) {
        return s;
      }
    }
  }
  return Status::ok();
}

}  // namespace tug::controllers
