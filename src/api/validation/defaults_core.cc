// Defaults of core/v1 kinds other than Pod (upstream pkg/apis/core/v1/defaults.go).
#include "api/validation/defaults_kinds.h"

#include "api/quantity.h"
#include "api/quantity_format.h"
#include "common/base64.h"

namespace tug::api::validation {

void defaultService(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (spec == nullptr) {
    return;
  }
  setDefault(*spec, "sessionAffinity", "None");
  if (stringField(*spec, "sessionAffinity") == "ClientIP") {
    if (Json* cfg = ensureObject(*spec, "sessionAffinityConfig")) {
      if (Json* cip = ensureObject(*cfg, "clientIP")) {
        setDefault(*cip, "timeoutSeconds", 10800);
      }
    }
  }
  setDefault(*spec, "type", "ClusterIP");
  const std::string type = stringField(*spec, "type");
  forEachObject(*spec, "ports", [](Json& port, size_t) {
    setDefault(port, "protocol", "TCP");
    const Json* target = field(port, "targetPort");
    bool unset = target == nullptr || (target->is_number_integer() && target->get<int>() == 0) ||
                 (target->is_string() && target->get_ref<const std::string&>().empty());
    if (unset && has(port, "port")) {
      port["targetPort"] = port["port"];
    }
  });
  if (type == "NodePort" || type == "LoadBalancer") {
    setDefault(*spec, "externalTrafficPolicy", "Cluster");
  }
  if (type != "ExternalName") {
    setDefault(*spec, "internalTrafficPolicy", "Cluster");
  }
  if (type == "LoadBalancer") {
    setDefault(*spec, "allocateLoadBalancerNodePorts", true);
  }
}

// stringData is write-only: upstream's conversion moves each entry into data (base64,
// replacing a data entry of the same key) and never stores or returns stringData itself.
void defaultSecret(Json& obj) {
  setDefault(obj, "type", "Opaque");
  auto it = obj.find("stringData");
  if (it == obj.end()) {
    return;
  }
  if (it->is_object()) {
    Json* data = ensureObject(obj, "data");
    for (const auto& [key, value] : it->items()) {
      if (value.is_string() && data != nullptr) {
        (*data)[key] = base64Encode(value.get_ref<const std::string&>());
      }
    }
  }
  if (it->is_object() || it->is_null()) {
    obj.erase("stringData");
  }
}

void defaultPersistentVolume(Json& obj) {
  if (Json* spec = objectField(obj, "spec")) {
    setDefault(*spec, "persistentVolumeReclaimPolicy", "Retain");
    setDefault(*spec, "volumeMode", "Filesystem");
  }
  if (Json* status = ensureObject(obj, "status")) {
    setDefault(*status, "phase", "Pending");
  }
}

void defaultPersistentVolumeClaim(Json& pvc) {
  if (Json* spec = objectField(pvc, "spec")) {
    setDefault(*spec, "volumeMode", "Filesystem");
  }
  if (Json* status = ensureObject(pvc, "status")) {
    setDefault(*status, "phase", "Pending");
  }
}

void defaultNamespace(Json& obj) {
  // Every namespace carries its own name as a label, so selectors can pick namespaces by name.
  Json* meta = objectField(obj, "metadata");
  std::string name = meta ? stringField(*meta, "name") : "";
  if (!name.empty()) {
    if (Json* labels = ensureObject(*meta, "labels")) {
      (*labels)["kubernetes.io/metadata.name"] = name;
    }
  }
  if (Json* status = ensureObject(obj, "status")) {
    setDefault(*status, "phase", "Active");
  }
}

void defaultNode(Json& obj) {
  Json* status = objectField(obj, "status");
  if (status == nullptr) {
    return;
  }
  if (const Json* capacity = objectField(*status, "capacity"); capacity && !has(*status, "allocatable")) {
    (*status)["allocatable"] = *capacity;
  }
}

void defaultEndpoints(Json& obj) {
  forEachObject(obj, "subsets", [](Json& subset, size_t) {
    forEachObject(subset, "ports", [](Json& port, size_t) { setDefault(port, "protocol", "TCP"); });
  });
}

void defaultPodTemplate(Json& obj) {
  if (Json* tmpl = objectField(obj, "template")) {
    defaultPodTemplateSpec(*tmpl);
  }
}

// A Container item's default limit falls back to its max, and its default request to the
// default limit, then to the min.
void defaultLimitRange(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (spec == nullptr) {
    return;
  }
  forEachObject(*spec, "limits", [](Json& item, size_t) {
    if (stringField(item, "type") != "Container") {
      return;
    }
    auto fill = [&item](const char* into, const char* from) {
      const Json* source = objectField(item, from);
      if (source == nullptr || source->empty()) {
        return;
      }
      Json* target = ensureObject(item, into);
      if (target == nullptr) {
        return;
      }
      for (auto it = source->begin(); it != source->end(); ++it) {
        if (!target->contains(it.key())) {
          (*target)[it.key()] = it.value();
        }
      }
    };
    fill("default", "max");
    fill("defaultRequest", "default");
    fill("defaultRequest", "min");
  });
}

// Upstream stores quantities re-encoded, so spec.hard reads back canonical ("100000" as
// "100k"), the same text the quota controller writes into status.hard.
void defaultResourceQuota(Json& obj) {
  Json* spec = objectField(obj, "spec");
  Json* hard = spec ? objectField(*spec, "hard") : nullptr;
  if (hard == nullptr) {
    return;
  }
  for (auto it = hard->begin(); it != hard->end(); ++it) {
    if (auto q = quantityFromJson(it.value()); q.ok()) {
      it.value() = formatQuantity(*q, quantityFormatOf(it.value()));
    }
  }
}

}  // namespace tug::api::validation
