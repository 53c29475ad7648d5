#include "controllers/garbagecollector/garbage_collector.h"

#include "common/log.h"
#include "controllers/garbagecollector/patches.h"

namespace tug::controllers {
namespace {

using gc::ClassifiedOwner;
using gc::Decision;
using gc::Identity;
using gc::ObjectMeta;
using gc::OwnerReference;
using gc::OwnerState;

constexpr const char* kLog = "garbage-collector";
// Bounds the memory of owners known to be gone (upstream keeps 500 in an LRU).
constexpr size_t kAbsentOwnersKept = 1000;

std::string apiVersionOf(const client::Resource& r) {
  return r.group.empty() ? r.version : r.group + "/" + r.version;
}

std::string monitorKey(const client::ServedResource& r) {
  return r.resource.group + "/" + r.resource.version + "/" + r.resource.resource;
}

// Events are many and never owners worth collecting from, as upstream ignores them.
bool ignored(const client::ServedResource& r) {
  return r.resource.resource == "events" &&
         (r.resource.group.empty() || r.resource.group == "events.k8s.io");
}

std::string absentKey(const std::string& apiVersion, const std::string& kind,
                      const std::string& name, const std::string& uid, const std::string& ns) {
  return uid + "|" + ns + "|" + apiVersion + "|" + kind + "|" + name;
}

std::string absentKey(const Identity& id) {
  return absentKey(id.apiVersion, id.kind, id.name, id.uid, id.ns);
}

std::string absentKey(const OwnerReference& ref, const std::string& ns) {
  return absentKey(ref.apiVersion, ref.kind, ref.name, ref.uid, ns);
}

// The error that no retry resolves: a cluster-scoped object cannot be owned by a namespaced
// one (upstream leaves such an object alone).
const char* kNamespacedOwnerOfClusterObject =
    "a cluster-scoped object refers to a namespaced owner";

}  // namespace

struct GarbageCollector::Monitor {
  client::ServedResource served;
  std::unique_ptr<client::Informer> informer;
  client::HandlerRegistration handlers;  // goes before the informer
};

GarbageCollector::GarbageCollector(client::Client& client)
    : GarbageCollector(client, Options{}) {}

GarbageCollector::GarbageCollector(client::Client& client, Options options)
    : client_(client), options_(options) {}

GarbageCollector::~GarbageCollector() { stop(); }

void GarbageCollector::start() {
  runner_ = std::thread([this] { run(); });
}

void GarbageCollector::stop() {
  {
    std::lock_guard<std::mutex> lock(stopMu_);
    stopping_ = true;
  }
  stopCv_.notify_all();
  if (runner_.joinable()) {
    runner_.join();
  }
  attemptToDelete_.shutDown();
  attemptToOrphan_.shutDown();
  for (auto& w : workers_) {
    if (w.joinable()) {
      w.join();
    }
  }
  workers_.clear();
  std::map<std::string, std::unique_ptr<Monitor>> monitors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    monitors.swap(monitors_);
  }
  std::vector<client::Informer*> informers;
  for (auto& [key, m] : monitors) {
    informers.push_back(m->informer.get());
  }
  client::stopInformers(informers);
}

size_t GarbageCollector::watchedResources() const {
  std::lock_guard<std::mutex> lock(mu_);
  return monitors_.size();
}

void GarbageCollector::run() {
  bool working = false;
  while (true) {
    Status synced = syncMonitors();
    if (!synced.isOk()) {
      TUG_LOG(kDebug, kLog) << "reading the served resources: " << synced.message();
    }
    if (synced.isOk() && !working) {
      // Work starts once the graph holds what exists, so that an owner is not taken for gone
      // only because its list has not been read yet.
      const auto deadline = std::chrono::steady_clock::now() + options_.initialSyncTimeout;
      std::vector<client::Informer*> informers;
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (auto& [key, m] : monitors_) {
          informers.push_back(m->informer.get());
        }
      }
      for (client::Informer* i : informers) {
        while (!i->waitForSync(std::chrono::milliseconds(100))) {
          std::lock_guard<std::mutex> lock(stopMu_);
          if (stopping_ || std::chrono::steady_clock::now() > deadline) {
            break;
          }
        }
      }
      for (int i = 0; i < options_.deleteWorkers; ++i) {
        workers_.emplace_back([this] { deleteWorker(); });
      }
      workers_.emplace_back([this] { orphanWorker(); });
      working = true;
      TUG_LOG(kInfo, kLog) << "watching " << watchedResources() << " resources, "
                           << graph_.size() << " objects in the graph";
    }
    std::unique_lock<std::mutex> lock(stopMu_);
    auto wait = synced.isOk() ? options_.resyncPeriod : std::chrono::milliseconds(1000);
    if (stopCv_.wait_for(lock, wait, [&] { return stopping_; })) {
      return;
    }
  }
}

Status GarbageCollector::syncMonitors() {
  auto served = client_.serverResources();
  if (!served.ok()) {
    return served.status();
  }
  std::map<std::pair<std::string, std::string>, client::ServedResource> byKind;
  std::map<std::string, client::ServedResource> wanted;
  for (const client::ServedResource& r : *served) {
    byKind.emplace(std::make_pair(r.resource.group, r.kind), r);
    if (r.hasVerb("list") && r.hasVerb("watch") && r.hasVerb("delete") && !ignored(r)) {
      wanted.emplace(monitorKey(r), r);
    }
  }
  std::vector<std::unique_ptr<Monitor>> gone;
  std::vector<Monitor*> started;
  {
    std::lock_guard<std::mutex> lock(mu_);
    byKind_ = std::move(byKind);
    for (auto it = monitors_.begin(); it != monitors_.end();) {
      if (!wanted.count(it->first)) {
        gone.push_back(std::move(it->second));
        it = monitors_.erase(it);
      } else {
        ++it;
      }
    }
    for (const auto& [key, r] : wanted) {
      if (monitors_.count(key)) {
        continue;
      }
      auto m = std::make_unique<Monitor>();
      m->served = r;
      m->informer = std::make_unique<client::Informer>(client_, r.resource);
      m->informer->omitManagedFields();
      // The cache keeps each object's metadata as compact JSON text: a parsed tree costs
      // several times its text in nodes, for thousands of objects that are seldom read.
      m->informer->setTransform(
          [](client::json&& obj) { return client::json(gc::metadataOnly(std::move(obj)).dump()); });
      client::ServedResource copy = r;
      m->handlers = m->informer->addHandlers(client::EventHandlers{
          [this, copy](const client::json& obj) { onEvent(copy, nullptr, &obj); },
          [this, copy](const client::json& old, const client::json& now) {
            onEvent(copy, &old, &now);
          },
          [this, copy](const client::json& last) { onEvent(copy, &last, nullptr); }});
      started.push_back(m.get());
      monitors_.emplace(key, std::move(m));
    }
  }
  for (Monitor* m : started) {
    m->informer->start();
  }
  for (auto& m : gone) {
    TUG_LOG(kDebug, kLog) << "no longer watching " << monitorKey(m->served);
  }
  // Outside the lock.
  std::vector<client::Informer*> goneInformers;
  for (auto& m : gone) {
    goneInformers.push_back(m->informer.get());
  }
  client::stopInformers(goneInformers);
  return Status::ok();
}

void GarbageCollector::onEvent(const client::ServedResource& r, const client::json* old,
                               const client::json* now) {
  const std::string apiVersion = apiVersionOf(r.resource);
  // What the informers hand over is the metadata as text (see syncMonitors).
  auto read = [&](const client::json& text) {
    client::json obj = text.is_string()
                           ? client::json::parse(text.get_ref<const std::string&>(), nullptr, false)
                           : text;
    return gc::readObjectMeta(obj, apiVersion, r.kind);
  };
  if (now == nullptr) {
    ObjectMeta last = read(*old);
    enqueue(graph_.observeDeleted(last.identity));
    return;
  }
  ObjectMeta current = read(*now);
  if (old == nullptr) {
    enqueue(graph_.observe(nullptr, current));
    return;
  }
  ObjectMeta before = read(*old);
  enqueue(graph_.observe(&before, current));
}

void GarbageCollector::enqueue(const gc::Graph::Work& work) {
  for (const Identity& id : work.absent) {
    recordAbsent(absentKey(id));
  }
  for (const std::string& uid : work.attemptToDelete) {
    attemptToDelete_.add(uid);
  }
  for (const std::string& uid : work.attemptToOrphan) {
    attemptToOrphan_.add(uid);
  }
}

void GarbageCollector::deleteWorker() {
  while (auto uid = attemptToDelete_.get()) {
    Status s = attemptToDelete(*uid);
    if (s.isOk()) {
      attemptToDelete_.forget(*uid);
    } else {
      TUG_LOG(kDebug, kLog) << "object " << *uid << ": " << s.message();
      attemptToDelete_.addRateLimited(*uid);
    }
    attemptToDelete_.done(*uid);
  }
}

void GarbageCollector::orphanWorker() {
  while (auto uid = attemptToOrphan_.get()) {
    Status s = attemptToOrphan(*uid);
    if (s.isOk()) {
      attemptToOrphan_.forget(*uid);
    } else {
      TUG_LOG(kDebug, kLog) << "orphaning the dependents of " << *uid << ": " << s.message();
      attemptToOrphan_.addRateLimited(*uid);
    }
    attemptToOrphan_.done(*uid);
  }
}

Status GarbageCollector::attemptToDelete(const std::string& uid) {
  auto node = graph_.node(uid);
  if (!node) {
    return Status::ok();
  }
  // Being deleted, but not by waiting for its dependents: its deletion event will come.
  if (node->beingDeleted && !node->deletingDependents) {
    return Status::ok();
  }
  auto latest = getObject(node->identity);
  if (!latest.ok() && latest.status().code() != Code::kNotFound) {
    return latest.status();
  }
  ObjectMeta meta;
  if (latest.ok()) {
    meta = gc::readObjectMeta(*latest, node->identity.apiVersion, node->identity.kind);
  }
  if (!latest.ok() || meta.identity.uid != uid) {
    enqueue(graph_.verifiedAbsent(node->identity));
    return Status::ok();
  }
  if (node->deletingDependents) {
    return processDeletingDependents(*node);
  }
  if (meta.owners.empty()) {
    return Status::ok();
  }
  auto owners = classifyOwners(meta);
  if (!owners.ok()) {
    if (owners.status().message() == kNamespacedOwnerOfClusterObject) {
      TUG_LOG(kWarn, kLog) << node->identity.describe() << ": " << kNamespacedOwnerOfClusterObject
                           << "; it is left alone";
      return Status::ok();
    }
    return owners.status();
  }
  auto dependents = graph_.dependents(uid);
  bool aDependentDeletesDependents = false;
  for (const auto& d : dependents) {
    aDependentDeletesDependents = aDependentDeletesDependents || d.deletingDependents;
  }
  Decision d = gc::decide(meta, *owners, !dependents.empty(), aDependentDeletesDependents);
  switch (d.kind) {
    case Decision::Kind::kNothing: return Status::ok();
    case Decision::Kind::kRemoveOwnerReferences:
      return removeOwnerReferences(meta.identity, d.ownerUids);
    case Decision::Kind::kDelete:
      if (d.unblockOwnersFirst) {
        if (auto patch = gc::unblockOwnerReferencesPatch(*latest)) {
          if (Status s = patchObject(meta.identity, *patch); !s.isOk()) {
            return s;
          }
        }
      }
      TUG_LOG(kInfo, kLog) << "deleting " << meta.identity.describe() << " ("
                           << d.propagationPolicy << ")";
      return deleteObject(meta.identity, d.propagationPolicy);
  }
  return Status::ok();
}

Status GarbageCollector::processDeletingDependents(const gc::Graph::Node& node) {
  auto blocking = graph_.blockingDependents(node.identity.uid);
  if (blocking.empty()) {
    return removeFinalizer(node.identity, gc::kForegroundFinalizer);
  }
  for (const auto& dep : blocking) {
    if (!dep.deletingDependents) {
      attemptToDelete_.add(dep.identity.uid);
    }
  }
  return Status::ok();
}

Status GarbageCollector::attemptToOrphan(const std::string& uid) {
  auto node = graph_.node(uid);
  if (!node) {
    return Status::ok();
  }
  for (const auto& dep : graph_.dependents(uid)) {
    if (Status s = removeOwnerReferences(dep.identity, {uid}); !s.isOk()) {
      return s;
    }
  }
  return removeFinalizer(node->identity, gc::kOrphanFinalizer);
}

Result<client::ServedResource> GarbageCollector::resourceFor(const std::string& apiVersion,
                                                             const std::string& kind) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = byKind_.find({gc::groupOf(apiVersion), kind});
  if (it == byKind_.end()) {
    return notFound("no served resource for kind " + kind + " in " + apiVersion);
  }
  return it->second;
}

Result<client::json> GarbageCollector::getObject(const Identity& identity) {
  auto r = resourceFor(identity.apiVersion, identity.kind);
  if (!r.ok()) {
    return r.status();
  }
  if (r->resource.namespaced && identity.ns.empty()) {
    return notFound(identity.describe() + ": a namespaced object without a namespace");
  }
  return client_.get(r->resource, r->resource.namespaced ? identity.ns : "", identity.name);
}

Result<std::vector<ClassifiedOwner>> GarbageCollector::classifyOwners(const ObjectMeta& item) {
  std::vector<ClassifiedOwner> out;
  for (const OwnerReference& ref : item.owners) {
    ClassifiedOwner c{ref, OwnerState::kDangling};
    if (knownAbsent(absentKey(ref, "")) || knownAbsent(absentKey(ref, item.identity.ns))) {
      out.push_back(c);
      continue;
    }
    auto r = resourceFor(ref.apiVersion, ref.kind);
    if (!r.ok()) {
      return r.status();
    }
    if (item.identity.ns.empty() && r->resource.namespaced) {
      return Status(Code::kInvalid, kNamespacedOwnerOfClusterObject);
    }
    // An owner is looked for in its dependent's namespace: owners in other namespaces are
    // not valid, and count as gone.
    const std::string ns = r->resource.namespaced ? item.identity.ns : "";
    auto owner = client_.get(r->resource, ns, ref.name);
    if (!owner.ok() && owner.status().code() != Code::kNotFound) {
      return owner.status();
    }
    ObjectMeta ownerMeta;
    if (owner.ok()) {
      ownerMeta = gc::readObjectMeta(*owner, ref.apiVersion, ref.kind);
    }
    if (!owner.ok() || ownerMeta.identity.uid != ref.uid) {
      recordAbsent(absentKey(ref, ns));
    } else if (ownerMeta.beingDeleted && ownerMeta.hasFinalizer(gc::kForegroundFinalizer)) {
      c.state = OwnerState::kWaitingForDependents;
    } else {
      c.state = OwnerState::kSolid;
    }
    out.push_back(c);
  }
  return out;
}

Status GarbageCollector::patchObject(const Identity& identity, const std::string& jsonPatch) {
  auto r = resourceFor(identity.apiVersion, identity.kind);
  if (!r.ok()) {
    return r.status();
  }
  auto done = client_.patch(r->resource, r->resource.namespaced ? identity.ns : "", identity.name,
                            client::PatchType::kJson, jsonPatch);
  if (!done.ok() && done.status().code() != Code::kNotFound) {
    return done.status();
  }
  return Status::ok();
}

Status GarbageCollector::removeFinalizer(const Identity& identity, const std::string& finalizer) {
  auto obj = getObject(identity);
  if (!obj.ok()) {
    return obj.status().code() == Code::kNotFound ? Status::ok() : obj.status();
  }
  if (gc::readObjectMeta(*obj, "", "").identity.uid != identity.uid) {
    return Status::ok();
  }
  auto patch = gc::removeFinalizerPatch(*obj, finalizer);
  if (!patch) {
    return Status::ok();
  }
  TUG_LOG(kInfo, kLog) << "removing the " << finalizer << " finalizer of "
                       << identity.describe();
  return patchObject(identity, *patch);
}

Status GarbageCollector::removeOwnerReferences(const Identity& identity,
                                               const std::vector<std::string>& ownerUids) {
  auto obj = getObject(identity);
  if (!obj.ok()) {
    return obj.status().code() == Code::kNotFound ? Status::ok() : obj.status();
  }
  if (gc::readObjectMeta(*obj, "", "").identity.uid != identity.uid) {
    return Status::ok();
  }
  auto patch = gc::removeOwnerReferencesPatch(*obj, ownerUids);
  if (!patch) {
    return Status::ok();
  }
  return patchObject(identity, *patch);
}

Status GarbageCollector::deleteObject(const Identity& identity, const std::string& policy) {
  auto r = resourceFor(identity.apiVersion, identity.kind);
  if (!r.ok()) {
    return r.status();
  }
  client::json options = {{"kind", "DeleteOptions"},
                          {"apiVersion", "v1"},
                          {"propagationPolicy", policy},
                          {"preconditions", {{"uid", identity.uid}}}};
  auto done = client_.remove(r->resource, r->resource.namespaced ? identity.ns : "",
                             identity.name, options);
  if (!done.ok() && done.status().code() != Code::kNotFound) {
    return done.status();
  }
  return Status::ok();
}

bool GarbageCollector::knownAbsent(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  return absent_.count(key) > 0;
}

void GarbageCollector::recordAbsent(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!absent_.insert(key).second) {
    return;
  }
  absentOrder_.push_back(key);
  if (absentOrder_.size() > kAbsentOwnersKept) {
    absent_.erase(absentOrder_.front());
    absentOrder_.pop_front();
  }
}

}  // namespace tug::controllers
