#include "apiserver/rbac_store_lookup.h"

#include <nlohmann/json.hpp>

#include "auth/aggregation.h"
#include "common/log.h"

namespace tug::apiserver {
namespace {

constexpr const char* kLog = "rbac";

// Where the RBAC kinds live (built-in resources: one prefix per resource).
constexpr const char* kRoles = "/registry/roles/";
constexpr const char* kClusterRoles = "/registry/clusterroles/";
constexpr const char* kRoleBindings = "/registry/rolebindings/";
constexpr const char* kClusterRoleBindings = "/registry/clusterrolebindings/";

bool isRbacKey(std::string_view key) {
  for (const char* p : {kRoles, kClusterRoles, kRoleBindings, kClusterRoleBindings}) {
    if (key.substr(0, std::string_view(p).size()) == p) {
      return true;
    }
  }
  return false;
}

Result<std::vector<nlohmann::json>> readAll(store::Store& store, const char* prefix) {
  auto listed = store.list(prefix, store::ListOptions{});
  if (!listed.ok()) {
    return listed.status();
  }
  std::vector<nlohmann::json> out;
  for (const store::KeyValue& kv : listed->items) {
    auto obj = nlohmann::json::parse(kv.value, nullptr, false);
    if (obj.is_object()) {
      out.push_back(std::move(obj));
    }
  }
  return out;
}

}  // namespace

RbacStoreLookup::RbacStoreLookup(store::Store& store)
    : store_(store),
      snapshot_(std::make_shared<auth::RbacSnapshot>(auth::RbacObjects{})),
      follower_(store, "/registry/",
                store::StoreFollower::Callbacks{
                    [this] { return reload(); },
                    [this](const std::vector<store::EventPtr>& events) { follow(events); }}) {}

RbacStoreLookup::~RbacStoreLookup() { stop(); }

Status RbacStoreLookup::reload() {
  auth::RbacObjects objects;
  for (auto [prefix, target] : {std::pair{kRoles, &objects.roles},
                                {kClusterRoles, &objects.clusterRoles},
                                {kRoleBindings, &objects.roleBindings},
                                {kClusterRoleBindings, &objects.clusterRoleBindings}}) {
    auto read = readAll(store_, prefix);
    if (!read.ok()) {
      return read.status();
    }
    *target = std::move(*read);
  }
  if (Status s = auth::aggregateClusterRoles(objects.clusterRoles); !s.isOk()) {
    TUG_LOG(kWarn, kLog) << "aggregating cluster roles: " << s.message();
  }
  auto next = std::make_shared<const auth::RbacSnapshot>(std::move(objects));
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_ = std::move(next);
  return Status::ok();
}

Status RbacStoreLookup::start() { return follower_.start(); }

void RbacStoreLookup::stop() { follower_.stop(); }

void RbacStoreLookup::follow(const std::vector<store::EventPtr>& events) {
  bool relevant = false;
  for (const store::EventPtr& e : events) {
    relevant |= isRbacKey(e->kv.key);
  }
  if (relevant) {
    if (Status s = reload(); !s.isOk()) {
      TUG_LOG(kWarn, kLog) << "reading roles and bindings: " << s.message();
    }
  }
}

std::shared_ptr<const auth::RbacSnapshot> RbacStoreLookup::current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return snapshot_;
}

auth::ObjectPtr RbacStoreLookup::role(std::string_view ns, std::string_view name) const {
  return current()->role(ns, name);
}

auth::ObjectPtr RbacStoreLookup::clusterRole(std::string_view name) const {
  return current()->clusterRole(name);
}

std::vector<auth::ObjectPtr> RbacStoreLookup::roleBindings(std::string_view ns) const {
  return current()->roleBindings(ns);
}

std::vector<auth::ObjectPtr> RbacStoreLookup::clusterRoleBindings() const {
  return current()->clusterRoleBindings();
}

}  // namespace tug::apiserver
