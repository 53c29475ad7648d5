#include "apiserver/delete_propagation.h"

#include <algorithm>
#include <set>

namespace tug::apiserver {
namespace v = api::validation;
namespace {

nlohmann::json finalizersOf(const nlohmann::json& obj) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) {
    return nlohmann::json::array();
  }
  auto f = m->find("finalizers");
  return f != m->end() && f->is_array() ? *f : nlohmann::json::array();
}

// The first GC finalizer on the object decides when the request does not.
std::optional<bool> orphanByFinalizer(const nlohmann::json& finalizers) {
  for (const auto& f : finalizers) {
    if (f == kOrphanFinalizer) {
      return true;
    }
    if (f == kForegroundFinalizer) {
      return false;
    }
  }
  return std::nullopt;
}

bool shouldOrphan(DefaultGcPolicy policy, const nlohmann::json& finalizers,
                  const PropagationOptions& o) {
  if (policy == DefaultGcPolicy::kUnsupported) {
    return false;
  }
  if (o.orphanDependents) {
    return *o.orphanDependents;
  }
  if (o.propagationPolicy) {
    return *o.propagationPolicy == "Orphan";
  }
  if (auto byFinalizer = orphanByFinalizer(finalizers)) {
    return *byFinalizer;
  }
  return policy == DefaultGcPolicy::kOrphanDependents;
}

bool shouldDeleteInForeground(DefaultGcPolicy policy, const nlohmann::json& finalizers,
                              const PropagationOptions& o) {
  if (policy == DefaultGcPolicy::kUnsupported || o.orphanDependents) {
    return false;
  }
  if (o.propagationPolicy) {
    return *o.propagationPolicy == "Foreground";
  }
  auto byFinalizer = orphanByFinalizer(finalizers);
  return byFinalizer && !*byFinalizer;
}

}  // namespace

v::ErrorList validatePropagation(const PropagationOptions& o) {
  v::ErrorList errors;
  const v::Path path("propagationPolicy");
  if (o.orphanDependents && o.propagationPolicy) {
    errors.push_back(v::invalid(path, *o.propagationPolicy,
                                "orphanDependents and deletionPropagation cannot be both set"));
  }
  if (o.propagationPolicy && *o.propagationPolicy != "Foreground" &&
      *o.propagationPolicy != "Background" && *o.propagationPolicy != "Orphan") {
    errors.push_back(v::notSupported(path, *o.propagationPolicy,
                                     {"Foreground", "Background", "Orphan", "nil"}));
  }
  return errors;
}

DefaultGcPolicy defaultGcPolicy(const api::ResourceInfo& info) {
  if (info.resource == "events" && (info.group.empty() || info.group == "events.k8s.io")) {
    return DefaultGcPolicy::kUnsupported;
  }
  if (info.group.empty() && info.version == "v1" && info.resource == "replicationcontrollers") {
    return DefaultGcPolicy::kOrphanDependents;
  }
  return DefaultGcPolicy::kDeleteDependents;
}

std::optional<nlohmann::json> finalizersAfterDelete(const api::ResourceInfo& info,
                                                    const nlohmann::json& obj,
                                                    const PropagationOptions& options) {
  const DefaultGcPolicy policy = defaultGcPolicy(info);
  const nlohmann::json old = finalizersOf(obj);
  nlohmann::json next = nlohmann::json::array();
  for (const auto& f : old) {
    if (f != kOrphanFinalizer && f != kForegroundFinalizer) {
      next.push_back(f);
    }
  }
  if (shouldOrphan(policy, old, options)) {
    next.push_back(kOrphanFinalizer);
  }
  if (shouldDeleteInForeground(policy, old, options)) {
    next.push_back(kForegroundFinalizer);
  }
  // Compared as sets, as upstream does: a reordering alone is no change.
  auto asSet = [](const nlohmann::json& list) {
    std::set<std::string> s;
    for (const auto& f : list) {
      s.insert(f.is_string() ? f.get<std::string>() : f.dump());
    }
    return s;
  };
  if (asSet(old) == asSet(next)) {
    return std::nullopt;
  }
  return next;
}

}  // namespace tug::apiserver
