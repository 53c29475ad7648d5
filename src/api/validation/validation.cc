#include "api/validation/validation.h"

#include "api/validation/validate_kinds.h"

namespace tug::api::validation {
namespace {

using Validate = ErrorList (*)(const Json&);
using ValidateUpdate = ErrorList (*)(const Json&, const Json&);

struct KindRules {
  std::string_view group, kind;
  NameRule names;
  Validate validate;        // may be null: metadata checks only
  ValidateUpdate changes;   // may be null: nothing is immutable beyond metadata
};

ErrorList validateClusterRoleBinding(const Json& obj) { return validateRoleBinding(obj, true); }
ErrorList validateNamespacedRoleBinding(const Json& obj) { return validateRoleBinding(obj, false); }

ErrorList validateNode(const Json& obj) {
  ErrorList errs;
  forEachObject(specOf(obj), "taints", [&](const Json& t, size_t i) {
    const Path p = Path("spec").child("taints").index(i);
    const std::string key = stringField(t, "key");
    for (const auto& r : qualifiedName(key)) {
      errs.push_back(invalid(p.child("key"), key, r));
    }
    append(errs, oneOf(t, "effect", p.child("effect"),
                       {"NoSchedule", "PreferNoSchedule", "NoExecute"}, true));
  });
  return errs;
}

// Names follow upstream's per-kind rules: DNS-1123 labels for namespaces, DNS-1035 labels for
// services (they become DNS names), path segments for RBAC objects, subdomains for the rest.
constexpr KindRules kRules[] = {
    {"", "Pod", NameRule::kDns1123Subdomain, validatePod, validatePodUpdate},
    {"", "Service", NameRule::kDns1035Label, validateService, validateServiceUpdate},
    {"", "ConfigMap", NameRule::kDns1123Subdomain, validateConfigMap, validateDataUpdate},
    {"", "Secret", NameRule::kDns1123Subdomain, validateSecret, validateSecretUpdate},
    {"", "Namespace", NameRule::kDns1123Label, validateNamespace, nullptr},
    {"", "Node", NameRule::kDns1123Subdomain, validateNode, nullptr},
    {"", "PersistentVolume", NameRule::kDns1123Subdomain, validatePersistentVolume,
     validatePersistentVolumeUpdate},
    {"", "PersistentVolumeClaim", NameRule::kDns1123Subdomain, validatePersistentVolumeClaim,
     validatePersistentVolumeClaimUpdate},
    {"", "ServiceAccount", NameRule::kDns1123Subdomain, nullptr, nullptr},
    {"", "Endpoints", NameRule::kDns1123Subdomain, nullptr, nullptr},
    {"", "PodTemplate", NameRule::kDns1123Subdomain, nullptr, nullptr},
    {"", "ReplicationController", NameRule::kDns1123Subdomain, nullptr, nullptr},
    {"", "ResourceQuota", NameRule::kDns1123Subdomain, validateResourceQuota, nullptr},
    {"", "LimitRange", NameRule::kDns1123Subdomain, validateLimitRange, nullptr},
    {"apps", "Deployment", NameRule::kDns1123Subdomain, validateDeployment,
     validateSelectorUnchanged},
    {"apps", "ReplicaSet", NameRule::kDns1123Subdomain, validateReplicaSet,
     validateSelectorUnchanged},
    {"apps", "StatefulSet", NameRule::kDns1123Subdomain, validateStatefulSet,
     validateStatefulSetUpdate},
    {"apps", "DaemonSet", NameRule::kDns1123Subdomain, validateDaemonSet,
     validateSelectorUnchanged},
    {"batch", "Job", NameRule::kDns1123Subdomain, validateJob, validateJobUpdate},
    {"batch", "CronJob", NameRule::kDns1123Subdomain, validateCronJob, nullptr},
    {"policy", "PodDisruptionBudget", NameRule::kDns1123Subdomain, validatePodDisruptionBudget,
     nullptr},
    {"storage.k8s.io", "StorageClass", NameRule::kDns1123Subdomain, validateStorageClass,
     validateStorageClassUpdate},
    {"networking.k8s.io", "Ingress", NameRule::kDns1123Subdomain, validateIngress, nullptr},
    {"networking.k8s.io", "IngressClass", NameRule::kDns1123Subdomain, nullptr, nullptr},
    {"networking.k8s.io", "NetworkPolicy", NameRule::kDns1123Subdomain, nullptr, nullptr},
    {"apiextensions.k8s.io", "CustomResourceDefinition", NameRule::kDns1123Subdomain,
     validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate},
    {"rbac.authorization.k8s.io", "Role", NameRule::kPathSegment, validateRole, nullptr},
    {"rbac.authorization.k8s.io", "ClusterRole", NameRule::kPathSegment, validateRole, nullptr},
    {"rbac.authorization.k8s.io", "RoleBinding", NameRule::kPathSegment,
     validateNamespacedRoleBinding, validateRoleBindingUpdate},
    {"rbac.authorization.k8s.io", "ClusterRoleBinding", NameRule::kPathSegment,
     validateClusterRoleBinding, validateRoleBindingUpdate},
};

// Kinds without rules of their own (custom resources included) get path-segment names only,
// which every stored object needs anyway.
constexpr KindRules kDefaultRules = {"", "", NameRule::kPathSegment, nullptr, nullptr};

const KindRules& rulesFor(const KindRef& k) {
  for (const auto& r : kRules) {
    if (r.group == k.group && r.kind == k.kind) {
      return r;
    }
  }
  return kDefaultRules;
}

}  // namespace

ErrorList validateCreate(const KindRef& kind, const Json& obj) {
  const KindRules& rules = rulesFor(kind);
  ErrorList errs = validateObjectMeta(obj, kind.namespaced, rules.names);
  if (rules.validate != nullptr) {
    append(errs, rules.validate(obj));
  }
  return errs;
}

ErrorList validateUpdate(const KindRef& kind, const Json& obj, const Json& old) {
  const KindRules& rules = rulesFor(kind);
  ErrorList errs = validateObjectMetaUpdate(obj, old, kind.namespaced, rules.names);
  if (rules.validate != nullptr) {
    append(errs, rules.validate(obj));
  }
  if (rules.changes != nullptr) {
    append(errs, rules.changes(obj, old));
  }
  return errs;
}

}  // namespace tug::api::validation
