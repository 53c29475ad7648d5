#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace tug::auth {

// The RBAC objects tug creates on first start, as Kubernetes 1.31 defines them:
//   * ClusterRoles cluster-admin, admin, edit and view (the last three aggregated from the
//     system:aggregate-to-* roles, also included, and from each other), system:discovery,
//     system:basic-user, system:public-info-viewer and system:node;
//   * ClusterRoleBindings cluster-admin (group system:masters), system:discovery and
//     system:basic-user (system:authenticated), system:public-info-viewer (system:authenticated
//     and system:unauthenticated), and system:node (no subjects; nodes are authorized by
//     their own rules).
// The aggregated roles come with no rules, as upstream stores them: aggregateClusterRoles
// fills them in (upstream's controller does it moments after start).
struct BootstrapPolicy {
  std::vector<nlohmann::json> clusterRoles;
  std::vector<nlohmann::json> clusterRoleBindings;
};

// A fresh copy each call; the data are compiled in (embedded/rbac-bootstrap.json).
BootstrapPolicy bootstrapPolicy();

}  // namespace tug::auth
