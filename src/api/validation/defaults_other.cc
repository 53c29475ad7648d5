// Defaults of storage, networking, discovery and RBAC kinds, and the dispatch by kind.
#include "api/validation/defaults_kinds.h"

namespace tug::api::validation {

void defaultStorageClass(Json& obj) {
  setDefault(obj, "reclaimPolicy", "Delete");
  setDefault(obj, "volumeBindingMode", "Immediate");
}

void defaultEndpointSlice(Json& obj) {
  forEachObject(obj, "ports", [](Json& port, size_t) {
    setDefault(port, "protocol", "TCP");
    setDefault(port, "name", "");
  });
}

void defaultNetworkPolicy(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (spec == nullptr) {
    return;
  }
  for (const char* dir : {"ingress", "egress"}) {
    forEachObject(*spec, dir, [](Json& rule, size_t) {
      forEachObject(rule, "ports", [](Json& port, size_t) { setDefault(port, "protocol", "TCP"); });
    });
  }
  if (!has(*spec, "policyTypes")) {
    Json types = Json::array({"Ingress"});
    if (const Json* egress = arrayField(*spec, "egress"); egress && !egress->empty()) {
      types.push_back("Egress");
    }
    (*spec)["policyTypes"] = types;
  }
}

void defaultRoleBinding(Json& obj) {
  if (Json* ref = objectField(obj, "roleRef")) {
    setDefault(*ref, "apiGroup", "rbac.authorization.k8s.io");
  }
  // A ServiceAccount subject keeps an empty apiGroup (omitted), as upstream leaves it.
  forEachObject(obj, "subjects", [](Json& s, size_t) {
    std::string kind = stringField(s, "kind");
    if ((kind == "User" || kind == "Group") && stringField(s, "apiGroup").empty()) {
      setDefault(s, "apiGroup", "rbac.authorization.k8s.io");
    }
  });
}

void applyDefaults(std::string_view group, std::string_view kind, Json& obj) {
  using Defaulter = void (*)(Json&);
  struct Entry {
    std::string_view group, kind;
    Defaulter fn;
  };
  static constexpr Entry kDefaulters[] = {
      {"", "Pod", defaultPod},
      {"", "PodTemplate", defaultPodTemplate},
      {"", "ReplicationController", defaultReplicationController},
      {"", "Service", defaultService},
      {"", "Secret", defaultSecret},
      {"", "PersistentVolume", defaultPersistentVolume},
      {"", "PersistentVolumeClaim", defaultPersistentVolumeClaim},
      {"", "Namespace", defaultNamespace},
      {"", "Node", defaultNode},
      {"", "Endpoints", defaultEndpoints},
      {"", "LimitRange", defaultLimitRange},
      {"", "ResourceQuota", defaultResourceQuota},
      {"apps", "Deployment", defaultDeployment},
      {"apps", "ReplicaSet", defaultReplicaSet},
      {"apps", "StatefulSet", defaultStatefulSet},
      {"apps", "DaemonSet", defaultDaemonSet},
      {"batch", "Job", defaultJob},
      {"batch", "CronJob", defaultCronJob},
      {"storage.k8s.io", "StorageClass", defaultStorageClass},
      {"discovery.k8s.io", "EndpointSlice", defaultEndpointSlice},
      {"networking.k8s.io", "NetworkPolicy", defaultNetworkPolicy},
      {"apiextensions.k8s.io", "CustomResourceDefinition", defaultCustomResourceDefinition},
      {"rbac.authorization.k8s.io", "RoleBinding", defaultRoleBinding},
      {"rbac.authorization.k8s.io", "ClusterRoleBinding", defaultRoleBinding},
  };
  for (const auto& e : kDefaulters) {
    if (e.group == group && e.kind == kind) {
      e.fn(obj);
      return;
    }
  }
}

}  // namespace tug::api::validation
