#include "controllers/namespace/namespace_controller.h"

#include "common/log.h"

namespace tug::controllers {
namespace {

constexpr const char* kLog = "namespace-controller";
constexpr const char* kFinalizer = "kubernetes";

const client::Resource kNamespaces{"", "v1", "namespaces", false};

bool terminating(const client::json& ns) {
  const auto& meta = ns.value("metadata", client::json::object());
  return meta.contains("deletionTimestamp");
}

bool holdsFinalizer(const client::json& ns) {
  const auto& spec = ns.value("spec", client::json::object());
  for (const auto& f : spec.value("finalizers", client::json::array())) {
    if (f == kFinalizer) {
      return true;
    }
  }
  return false;
}

}  // namespace

NamespaceController::NamespaceController(client::Client& client,
                                         std::chrono::milliseconds deletionGracePeriod)
    : client_(client), namespaces_(client, kNamespaces) {
  auto enqueue = [this, deletionGracePeriod](const client::json& ns) {
    if (terminating(ns)) {
      queue_.addAfter(ns["metadata"].value("name", ""), deletionGracePeriod);
    }
  };
  handlers_ += namespaces_.addHandlers(client::EventHandlers{
      enqueue, [enqueue](const client::json&, const client::json& now) { enqueue(now); }, nullptr});
}

NamespaceController::~NamespaceController() { stop(); }

void NamespaceController::start() {
  namespaces_.start();
  worker_ = std::thread([this] { work(); });
}

void NamespaceController::stop() {
  queue_.shutDown();
  namespaces_.stop();
  if (worker_.joinable()) {
    worker_.join();
  }
}

void NamespaceController::work() {
  while (auto key = queue_.get()) {
    Status s = sync(*key);
    if (s.isOk()) {
      queue_.forget(*key);
    } else {
      if (s.code() != Code::kUnavailable) {
        TUG_LOG(kWarn, kLog) << "namespace " << *key << ": " << s.message();
      }
      queue_.addRateLimited(*key);
    }
    queue_.done(*key);
  }
}

Status NamespaceController::sync(const std::string& name) {
  auto ns = client_.get(kNamespaces, "", name);
  if (!ns.ok()) {
    return ns.status().code() == Code::kNotFound ? Status::ok() : ns.status();
  }
  if (!terminating(*ns) || !holdsFinalizer(*ns)) {
    return Status::ok();
  }
  auto resources = client_.serverResources();
  if (!resources.ok()) {
    return resources.status();
  }
  bool remaining = false;
  for (const client::ServedResource& r : *resources) {
    if (!r.resource.namespaced || !r.hasVerb("deletecollection") || !r.hasVerb("list")) {
      continue;
    }
    Status deleted = client_.removeCollection(r.resource, name);
    if (!deleted.isOk() && deleted.code() != Code::kNotFound) {
      return deleted;
    }
    client::ListOptions one;
    one.limit = 1;
    auto left = client_.list(r.resource, name, one);
    if (left.ok() && !left->items.empty()) {
      remaining = true;  // objects waiting for their own finalizers
    }
  }
  if (remaining) {
    return Status(Code::kUnavailable, "content remains in namespace " + name);
  }
  client::json finalized = *ns;
  client::json kept = client::json::array();
  for (const auto& f : (*ns)["spec"].value("finalizers", client::json::array())) {
    if (f != kFinalizer) {
      kept.push_back(f);
    }
  }
  finalized["spec"]["finalizers"] = kept;
  auto done = client_.update(kNamespaces, "", finalized, "finalize");
  if (!done.ok() && done.status().code() != Code::kNotFound) {
    return done.status();
  }
  TUG_LOG(kInfo, kLog) << "namespace " << name << " emptied and removed";
  return Status::ok();
}

}  // namespace tug::controllers
