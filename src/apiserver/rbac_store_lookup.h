#pragma once

#include <memory>
#include <mutex>

#include "auth/rbac_lookup.h"
#include "auth/rbac_snapshot.h"
#include "store/store.h"
#include "store/store_follower.h"

// The roles and bindings authorization reads, kept in memory and current: built from the
// store at start, rebuilt when any of them changes (a watch on /registry/). ClusterRoles with
// an aggregationRule get the rules of the roles they select, as upstream's aggregation
// controller gives them. Reads are lock-free snapshots, so authorizing costs no store access.
namespace tug::apiserver {

class RbacStoreLookup : public auth::RbacLookup {
 public:
  explicit RbacStoreLookup(store::Store& store);
  ~RbacStoreLookup() override;

  // Reads everything once (before the API serves), then follows changes on a thread.
  Status start();
  void stop();
  // Rebuilds the snapshot from the store now.
  Status reload();

  auth::ObjectPtr role(std::string_view ns, std::string_view name) const override;
  auth::ObjectPtr clusterRole(std::string_view name) const override;
  std::vector<auth::ObjectPtr> roleBindings(std::string_view ns) const override;
  std::vector<auth::ObjectPtr> clusterRoleBindings() const override;

 private:
  std::shared_ptr<const auth::RbacSnapshot> current() const;
  void follow(const std::vector<store::EventPtr>& events);

  store::Store& store_;
  mutable std::mutex mu_;
  std::shared_ptr<const auth::RbacSnapshot> snapshot_;  // under mu_
  store::StoreFollower follower_;  // last: it stops first, while the rest is still there
};

}  // namespace tug::apiserver
