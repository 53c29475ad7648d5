#include "api/validation/strategy.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace tug::api::validation {
namespace {

std::string metaField(const Json& obj, std::string_view key) {
  const Json* meta = objectField(obj, "metadata");
  return meta ? stringField(*meta, key) : "";
}

// Unless the user manages the selector, a Job selects its pods by its own uid and labels them
// with its name, so two Jobs never adopt each other's pods.
void generateJobSelector(Json& job) {
  Json* spec = objectField(job, "spec");
  if (spec == nullptr) {
    return;
  }
  const Json* manual = field(*spec, "manualSelector");
  if (manual != nullptr && manual->is_boolean() && manual->get<bool>()) {
    return;
  }
  Json* tmpl = ensureObject(*spec, "template");
  Json* meta = tmpl ? ensureObject(*tmpl, "metadata") : nullptr;
  Json* labels = meta ? ensureObject(*meta, "labels") : nullptr;
  Json* selector = ensureObject(*spec, "selector");
  Json* matchLabels = selector ? ensureObject(*selector, "matchLabels") : nullptr;
  if (labels == nullptr || matchLabels == nullptr) {
    return;
  }
  const std::string name = metaField(job, "name");
  const std::string uid = metaField(job, "uid");
  for (const char* key : {"job-name", "batch.kubernetes.io/job-name"}) {
    if (!labels->contains(key)) {
      (*labels)[key] = name;
    }
  }
  for (const char* key : {"controller-uid", "batch.kubernetes.io/controller-uid"}) {
    if (!labels->contains(key)) {
      (*labels)[key] = uid;
    }
  }
  if (!matchLabels->contains("batch.kubernetes.io/controller-uid")) {
    (*matchLabels)["batch.kubernetes.io/controller-uid"] = uid;
  }
}

// A single-stack IPv4 cluster: services get one family; headless services without a selector
// may carry any family, so upstream asks for dual stack there.
void defaultServiceFamilies(Json& svc) {
  Json* spec = objectField(svc, "spec");
  if (spec == nullptr || stringField(*spec, "type") == "ExternalName") {
    return;
  }
  const std::string clusterIP = stringField(*spec, "clusterIP");
  if (!clusterIP.empty() && !has(*spec, "clusterIPs")) {
    (*spec)["clusterIPs"] = Json::array({clusterIP});
  }
  const Json* selector = objectField(*spec, "selector");
  bool headlessWithoutSelector = clusterIP == "None" && (selector == nullptr || selector->empty());
  setDefault(*spec, "ipFamilyPolicy", headlessWithoutSelector ? "RequireDualStack" : "SingleStack");
  const Json* families = arrayField(*spec, "ipFamilies");
  if (families == nullptr || families->empty()) {
    (*spec)["ipFamilies"] = Json::array({"IPv4"});
  }
}

bool hasQuantity(const Json& resources, const char* list, const char* name) {
  const Json* l = objectField(resources, list);
  return l != nullptr && l->contains(name);
}

// BestEffort without any requests or limits; Guaranteed when every container limits cpu and
// memory and requests what it limits; Burstable otherwise.
std::string qosClass(const Json& spec) {
  bool any = false;
  bool guaranteed = true;
  for (const char* list : {"initContainers", "containers"}) {
    forEachObject(spec, list, [&](const Json& c, size_t) {
      const Json* r = objectField(c, "resources");
      const Json* limits = r ? objectField(*r, "limits") : nullptr;
      const Json* requests = r ? objectField(*r, "requests") : nullptr;
      any = any || (limits && !limits->empty()) || (requests && !requests->empty());
      for (const char* name : {"cpu", "memory"}) {
        if (r == nullptr || !hasQuantity(*r, "limits", name)) {
          guaranteed = false;
        } else if (hasQuantity(*r, "requests", name) &&
                   (*requests)[name] != (*limits)[name]) {
          guaranteed = false;
        }
      }
    });
  }
  if (!any) {
    return "BestEffort";
  }
  return guaranteed ? "Guaranteed" : "Burstable";
}

void preparePod(Json& pod) {
  const Json* spec = objectField(pod, "spec");
  Json status = {{"phase", "Pending"}};
  if (spec != nullptr) {
    status["qosClass"] = qosClass(*spec);
  }
  pod["status"] = status;
}

void prepareNamespace(Json& ns) {
  Json* spec = ensureObject(ns, "spec");
  if (spec == nullptr) {
    return;
  }
  Json* finalizers = arrayField(*spec, "finalizers");
  if (finalizers == nullptr) {
    (*spec)["finalizers"] = Json::array({"kubernetes"});
    return;
  }
  for (const auto& f : *finalizers) {
    if (f == "kubernetes") {
      return;
    }
  }
  finalizers->push_back("kubernetes");
}

// A new CRD starts with no accepted names (the server decides them next), the storage version
// as its only stored version, and the finalizer that makes its deletion remove its objects
// first.
void prepareCustomResourceDefinition(Json& crd) {
  Json stored = Json::array();
  if (const Json* spec = objectField(crd, "spec")) {
    forEachObject(*spec, "versions", [&](const Json& v, size_t) {
      if (v.value("storage", false) == true) {
        stored.push_back(stringField(v, "name"));
      }
    });
  }
  crd["status"] = Json{{"acceptedNames", {{"kind", ""}, {"plural", ""}}},
                       {"conditions", Json::array()},
                       {"storedVersions", stored}};
  Json* meta = ensureObject(crd, "metadata");
  if (meta == nullptr) {
    return;
  }
  constexpr const char* kCleanup = "customresourcecleanup.apiextensions.k8s.io";
  Json* finalizers = arrayField(*meta, "finalizers");
  if (finalizers == nullptr) {
    (*meta)["finalizers"] = Json::array({kCleanup});
    return;
  }
  for (const auto& f : *finalizers) {
    if (f == kCleanup) {
      return;
    }
  }
  finalizers->push_back(kCleanup);
}

// Copies spec.<key> from the old object when the new one leaves it unset.
bool usesNodePorts(const Json& spec) {
  std::string type = stringField(spec, "type");
  const Json* lb = field(spec, "allocateLoadBalancerNodePorts");
  return type == "NodePort" ||
         (type == "LoadBalancer" && !(lb != nullptr && lb->is_boolean() && !lb->get<bool>()));
}

std::map<std::string, long long> nodePortsByName(const Json& spec) {
  std::map<std::string, long long> ports;
  if (const Json* list = arrayField(spec, "ports")) {
    for (const Json& p : *list) {
      if (p.is_object()) {
        ports[stringField(p, "name")] = intField(p, "nodePort").value_or(0);
      }
    }
  }
  return ports;
}

// A replacement that leaves node ports out keeps those it had (matched by port name), and a
// change to a type without node ports drops the ones the user did not change, so that
// `kubectl replace` or a patch of `type` alone does what was meant (upstream does the same).
void carryNodePorts(Json& obj, const Json& old) {
  Json* spec = objectField(obj, "spec");
  const Json* oldSpec = objectField(old, "spec");
  Json* ports = spec ? arrayField(*spec, "ports") : nullptr;
  if (ports == nullptr || oldSpec == nullptr || !usesNodePorts(*oldSpec)) {
    return;
  }
  auto before = nodePortsByName(*oldSpec);
  auto now = nodePortsByName(*spec);
  if (!usesNodePorts(*spec)) {
    if (now == before || std::all_of(now.begin(), now.end(), [&](const auto& p) {
          return p.second == 0 || before[p.first] == p.second;
        })) {
      for (Json& p : *ports) {
        if (p.is_object()) {
          p.erase("nodePort");
        }
      }
    }
    // Fields only external types have go with the type when the user left them as they were.
    if (stringField(*spec, "type") != "LoadBalancer") {
      for (const char* key : {"healthCheckNodePort", "allocateLoadBalancerNodePorts",
                              "externalTrafficPolicy"}) {
        const Json* was = field(*oldSpec, key);
        const Json* is = field(*spec, key);
        if (is != nullptr && was != nullptr && *is == *was) {
          spec->erase(key);
        }
      }
    }
    return;
  }
  std::set<long long> inUse;
  for (const auto& [name, port] : now) {
    if (port != 0) {
      inUse.insert(port);
    }
  }
  for (Json& p : *ports) {
    if (!p.is_object() || intField(p, "nodePort").value_or(0) != 0) {
      continue;
    }
    auto it = before.find(stringField(p, "name"));
    if (it != before.end() && it->second != 0 && !inUse.count(it->second)) {
      p["nodePort"] = it->second;
      inUse.insert(it->second);
    }
  }
  if (intField(*spec, "healthCheckNodePort").value_or(0) == 0) {
    if (auto hc = intField(*oldSpec, "healthCheckNodePort"); hc && *hc != 0 &&
        stringField(*spec, "type") == "LoadBalancer" &&
        stringField(*spec, "externalTrafficPolicy") == "Local") {
      (*spec)["healthCheckNodePort"] = *hc;
    }
  }
}

void keepSpecField(Json& obj, const Json& old, const char* key) {
  Json* spec = objectField(obj, "spec");
  const Json* oldSpec = objectField(old, "spec");
  if (spec == nullptr || oldSpec == nullptr) {
    return;
  }
  if (const Json* v = field(*oldSpec, key); v != nullptr) {
    const Json* now = field(*spec, key);
    if (now == nullptr || (now->is_string() && now->get_ref<const std::string&>().empty())) {
      (*spec)[key] = *v;
    }
  }
}

// A DaemonSet's template generation (apps/v1 keeps it in an annotation): 1 on create, then one
// more each time the template changes; whatever the client sent is overwritten.
constexpr const char* kTemplateGeneration = "deprecated.daemonset.template.generation";

void setTemplateGeneration(Json& ds, long long generation) {
  if (Json* meta = ensureObject(ds, "metadata")) {
    if (Json* annotations = ensureObject(*meta, "annotations")) {
      (*annotations)[kTemplateGeneration] = std::to_string(generation);
    }
  }
}

long long templateGeneration(const Json& ds) {
  const Json* meta = objectField(ds, "metadata");
  const Json* annotations = meta ? objectField(*meta, "annotations") : nullptr;
  const std::string v = annotations ? stringField(*annotations, kTemplateGeneration) : "";
  try {
    return v.empty() ? 0 : std::stoll(v);
  } catch (const std::exception&) {
    return 0;
  }
}

const Json* daemonSetTemplate(const Json& ds) {
  const Json* spec = objectField(ds, "spec");
  return spec ? field(*spec, "template") : nullptr;
}

void prepareDaemonSetUpdate(Json& ds, const Json& old) {
  const Json* now = daemonSetTemplate(ds);
  const Json* before = daemonSetTemplate(old);
  const bool changed = (now == nullptr) != (before == nullptr) || (now && *now != *before);
  setTemplateGeneration(ds, templateGeneration(old) + (changed ? 1 : 0));
}

}  // namespace

void prepareCreate(std::string_view group, std::string_view kind, Json& obj) {
  if (group == "batch" && kind == "Job") {
    generateJobSelector(obj);
  } else if (group.empty() && kind == "Service") {
    defaultServiceFamilies(obj);
  } else if (group.empty() && kind == "Pod") {
    preparePod(obj);
  } else if (group.empty() && kind == "Namespace") {
    prepareNamespace(obj);
  } else if (group.empty() && kind == "ResourceQuota") {
    obj.erase("status");  // the quota controller and quota admission write it
  } else if (group == "apps" && kind == "DaemonSet") {
    setTemplateGeneration(obj, 1);
  } else if (group == "apiextensions.k8s.io" && kind == "CustomResourceDefinition") {
    prepareCustomResourceDefinition(obj);
  }
}

void prepareUpdate(std::string_view group, std::string_view kind, Json& obj, const Json& old) {
  if (group == "apps" && kind == "DaemonSet") {
    prepareDaemonSetUpdate(obj, old);
  } else if (group.empty() && kind == "Service") {
    const Json* spec = objectField(obj, "spec");
    const Json* oldSpec = objectField(old, "spec");
    // A change of type to or from ExternalName starts the IP fields afresh, as upstream does.
    if (spec && oldSpec && stringField(*spec, "type") != "ExternalName" &&
        stringField(*oldSpec, "type") != "ExternalName") {
      // A changed clusterIP carries its clusterIPs along (validation then refuses the change);
      // otherwise what the replacement leaves out stays as stored.
      const std::string ip = stringField(*spec, "clusterIP");
      if (!ip.empty() && ip != stringField(*oldSpec, "clusterIP") && !has(*spec, "clusterIPs")) {
        (*objectField(obj, "spec"))["clusterIPs"] = Json::array({ip});
      }
      for (const char* key : {"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"}) {
        keepSpecField(obj, old, key);
      }
    }
    carryNodePorts(obj, old);
    defaultServiceFamilies(obj);
  } else if (group.empty() && kind == "Namespace") {
    // The namespace's finalizers change only through its finalize subresource.
    if (Json* spec = ensureObject(obj, "spec")) {
      const Json* oldSpec = objectField(old, "spec");
      const Json* oldFinalizers = oldSpec ? field(*oldSpec, "finalizers") : nullptr;
      if (oldFinalizers != nullptr) {
        (*spec)["finalizers"] = *oldFinalizers;
      } else {
        spec->erase("finalizers");
      }
    }
  }
}

}  // namespace tug::api::validation
