#include "apiserver/node_restriction.h"

#include <algorithm>
#include <set>

#include "apiserver/resource_verbs.h"
#include "common/go_quote.h"

namespace tug::apiserver {
namespace {

using nlohmann::json;

constexpr std::string_view kNodeUserPrefix = "system:node:";
constexpr const char* kNodesGroup = "system:nodes";
constexpr const char* kMirrorAnnotation = "kubernetes.io/config.mirror";

const json& member(const json& obj, std::initializer_list<const char*> path) {
  static const json kNull;
  const json* at = &obj;
  for (const char* key : path) {
    if (!at->is_object()) {
      return kNull;
    }
    auto it = at->find(key);
    if (it == at->end()) {
      return kNull;
    }
    at = &*it;
  }
  return *at;
}

std::string text(const json& obj, std::initializer_list<const char*> path) {
  const json& v = member(obj, path);
  return v.is_string() ? v.get<std::string>() : "";
}

// apierrors.NewForbidden for the request's resource (never its subresource) and name.
Status forbidden(const ResourceTarget& target, const std::string& name, const std::string& why) {
  std::string head = qualifiedResource(*target.info);
  if (!name.empty()) {
    head += " " + goQuote(name);
  }
  return Status(Code::kForbidden, head + " is forbidden: " + why);
}

// Go's zero values read as absent: null, "", [], {} and false compare equal to a missing field.
bool zero(const json& v) {
  return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
         ((v.is_array() || v.is_object()) && v.empty()) || (v.is_boolean() && !v.get<bool>());
}

bool sameValue(const json& a, const json& b) { return (zero(a) && zero(b)) || a == b; }

// The label keys added, removed or changed between two label maps.
std::set<std::string> modifiedLabels(const json& now, const json& before) {
  std::set<std::string> keys;
  for (const json* side : {&now, &before}) {
    const json& other = side == &now ? before : now;
    if (!side->is_object()) {
      continue;
    }
    for (const auto& [k, v] : side->items()) {
      if (!other.is_object() || !other.contains(k) || other[k] != v) {
        keys.insert(k);
      }
    }
  }
  return keys;
}

std::string labelNamespace(const std::string& key) {
  size_t slash = key.find('/');
  return slash == std::string::npos ? "" : key.substr(0, slash);
}

bool inNamespace(const std::string& ns, std::string_view domain) {
  return ns == domain || (ns.size() > domain.size() && ns.ends_with(domain) &&
                          ns[ns.size() - domain.size() - 1] == '.');
}

// The labels the kubelet sets itself (upstream's kubeletapis.IsKubeletLabel).
bool isKubeletLabel(const std::string& key) {
  static const std::set<std::string> kLabels = {
      "kubernetes.io/hostname",           "kubernetes.io/os",
      "kubernetes.io/arch",               "beta.kubernetes.io/os",
      "beta.kubernetes.io/arch",          "beta.kubernetes.io/instance-type",
      "node.kubernetes.io/instance-type", "failure-domain.beta.kubernetes.io/zone",
      "failure-domain.beta.kubernetes.io/region", "topology.kubernetes.io/zone",
      "topology.kubernetes.io/region"};
  std::string ns = labelNamespace(key);
  return kLabels.contains(key) || inNamespace(ns, "kubelet.kubernetes.io") ||
         inNamespace(ns, "node.kubernetes.io");
}

// Labels a node may not add, remove or change on itself, sorted, comma-separated.
std::string forbiddenLabels(const std::set<std::string>& modified) {
  std::string out;
  for (const std::string& key : modified) {
    std::string ns = labelNamespace(key);
    bool kubernetes = inNamespace(ns, "kubernetes.io") || inNamespace(ns, "k8s.io");
    if (inNamespace(ns, "node-restriction.kubernetes.io") ||
        (kubernetes && !isKubeletLabel(key))) {
      out += (out.empty() ? "" : ", ") + key;
    }
  }
  return out;
}

Status admitNode(const std::string& node, const ResourceTarget& target, const std::string& name,
                 const json& obj, const json* old) {
  if (name != node) {
    return forbidden(target, name,
                     "node " + goQuote(node) + " is not allowed to modify node " + goQuote(name));
  }
  if (old == nullptr) {
    if (!zero(member(obj, {"spec", "configSource"}))) {
      return forbidden(target, name, "node " + goQuote(node) +
                                         " is not allowed to create pods with a non-nil "
                                         "configSource");
    }
    std::string labels = forbiddenLabels(modifiedLabels(member(obj, {"metadata", "labels"}),
                                                        json::object()));
    if (!labels.empty()) {
      return forbidden(target, name, "node " + goQuote(node) +
                                         " is not allowed to set the following labels: " + labels);
    }
    return Status::ok();
  }
  const json& source = member(obj, {"spec", "configSource"});
  if (!zero(source) && source != member(*old, {"spec", "configSource"})) {
    return forbidden(target, name, "node " + goQuote(node) +
                                       " is not allowed to update configSource to a new non-nil "
                                       "configSource");
  }
  if (!sameValue(member(obj, {"spec", "taints"}), member(*old, {"spec", "taints"}))) {
    return forbidden(target, name, "node " + goQuote(node) + " is not allowed to modify taints");
  }
  std::string labels = forbiddenLabels(
      modifiedLabels(member(obj, {"metadata", "labels"}), member(*old, {"metadata", "labels"})));
  if (!labels.empty()) {
    return forbidden(target, name, "is not allowed to modify labels: " + labels);
  }
  return Status::ok();
}

// Whether a pod names a secret or a config map anywhere (upstream's VisitPodSecretNames and
// VisitPodConfigmapNames over every container).
bool referencesKey(const json& v, std::initializer_list<const char*> keys) {
  if (v.is_object()) {
    for (const auto& [k, child] : v.items()) {
      if (std::find_if(keys.begin(), keys.end(), [&](const char* key) { return k == key; }) !=
              keys.end() &&
          !zero(child)) {
        return true;
      }
      if (referencesKey(child, keys)) {
        return true;
      }
    }
  } else if (v.is_array()) {
    return std::any_of(v.begin(), v.end(), [&](const json& e) { return referencesKey(e, keys); });
  }
  return false;
}

Status admitMirrorPod(const VerbContext& ctx, const std::string& node,
                      const ResourceTarget& target, const std::string& name, const json& pod) {
  auto q = [&](const std::string& s) { return goQuote(s); };
  const json& annotations = member(pod, {"metadata", "annotations"});
  if (!annotations.is_object() || !annotations.contains(kMirrorAnnotation)) {
    return forbidden(target, name, "pod does not have " + q(kMirrorAnnotation) +
                                       " annotation, node " + q(node) +
                                       " can only create mirror pods");
  }
  if (text(pod, {"spec", "nodeName"}) != node) {
    return forbidden(target, name, "node " + q(node) +
                                       " can only create pods with spec.nodeName set to itself");
  }
  const json& owners = member(pod, {"metadata", "ownerReferences"});
  size_t count = owners.is_array() ? owners.size() : 0;
  if (count > 1) {
    return forbidden(target, name, "node " + q(node) +
                                       " can only create pods with a single owner reference "
                                       "set to itself");
  }
  if (count == 0) {
    return forbidden(target, name, "node " + q(node) +
                                       " can only create pods with an owner reference set to "
                                       "itself");
  }
  const json& owner = owners[0];
  if (text(owner, {"apiVersion"}) != "v1" || text(owner, {"kind"}) != "Node" ||
      text(owner, {"name"}) != node) {
    return forbidden(target, name, "node " + q(node) +
                                       " can only create pods with an owner reference set to "
                                       "itself");
  }
  if (member(owner, {"controller"}) != true) {
    return forbidden(target, name, "node " + q(node) +
                                       " can only create pods with a controller owner "
                                       "reference set to itself");
  }
  if (member(owner, {"blockOwnerDeletion"}) == true) {
    return forbidden(target, name, "node " + q(node) +
                                       " must not set blockOwnerDeletion on an owner reference");
  }
  const api::ResourceInfo* nodes = ctx.registry.find("", "v1", "nodes");
  if (nodes == nullptr) {
    return Status(Code::kInternal, "the registry has no nodes resource");
  }
  auto stored = readObject(ctx, ResourceTarget{nodes, "", node, ""});
  if (!stored.ok()) {
    return stored.status().code() == Code::kNotFound
               ? Status(Code::kNotFound, "node " + q(node) + " not found")
               : forbidden(target, name, "error looking up node " + node + " to verify uid: " +
                                             stored.status().message());
  }
  json nodeObj = json::parse(stored->value, nullptr, false);
  std::string uid = text(nodeObj, {"metadata", "uid"});
  if (text(owner, {"uid"}) != uid) {
    return forbidden(target, name, "node " + node + " UID mismatch: expected " +
                                       text(owner, {"uid"}) + " got " + uid);
  }
  const json& spec = member(pod, {"spec"});
  if (!text(pod, {"spec", "serviceAccountName"}).empty()) {
    return forbidden(target, name, "node " + q(node) +
                                       " can not create pods that reference a service account");
  }
  if (referencesKey(spec, {"imagePullSecrets", "secretKeyRef", "secretRef", "secret",
                           "nodePublishSecretRef"})) {
    return forbidden(target, name, "node " + q(node) +
                                       " can not create pods that reference secrets");
  }
  if (referencesKey(spec, {"configMapKeyRef", "configMapRef", "configMap"})) {
    return forbidden(target, name, "node " + q(node) +
                                       " can not create pods that reference configmaps");
  }
  if (referencesKey(member(spec, {"volumes"}), {"clusterTrustBundle"})) {
    return forbidden(target, name, "node " + q(node) +
                                       " can not create pods that reference clustertrustbundles");
  }
  if (referencesKey(member(spec, {"volumes"}), {"persistentVolumeClaim"})) {
    return forbidden(target, name, "node " + q(node) +
                                       " can not create pods that reference "
                                       "persistentvolumeclaims");
  }
  return Status::ok();
}

Status admitPodStatus(const std::string& node, const ResourceTarget& target,
                      const std::string& name, const json& obj, const json& old) {
  if (text(old, {"spec", "nodeName"}) != node) {
    return forbidden(target, name, "node " + goQuote(node) +
                                       " can only update pod status for pods with spec.nodeName "
                                       "set to itself");
  }
  if (!sameValue(member(obj, {"metadata", "labels"}), member(old, {"metadata", "labels"}))) {
    return forbidden(target, name,
                     "node " + goQuote(node) + " cannot update labels through pod status");
  }
  if (!sameValue(member(obj, {"status", "resourceClaimStatuses"}),
                 member(old, {"status", "resourceClaimStatuses"}))) {
    return forbidden(target, name,
                     "node " + goQuote(node) + " cannot update resource claim statues");
  }
  return Status::ok();
}

// Everything of a PVC but its resourceVersion, managedFields, status.capacity and
// status.conditions must stay.
json pvcWithoutStatusFields(json pvc) {
  if (pvc.contains("metadata") && pvc["metadata"].is_object()) {
    pvc["metadata"].erase("resourceVersion");
    pvc["metadata"].erase("managedFields");
  }
  if (pvc.contains("status") && pvc["status"].is_object()) {
    pvc["status"].erase("capacity");
    pvc["status"].erase("conditions");
  }
  return pvc;
}

Status admitLease(const std::string& node, const ResourceTarget& target,
                  const std::string& name) {
  if (target.ns != "kube-node-lease") {
    return forbidden(target, name,
                     "can only access leases in the \"kube-node-lease\" system namespace");
  }
  if (name != node) {
    return forbidden(target, name,
                     "can only access node lease with the same name as the requesting node");
  }
  return Status::ok();
}

// The stored object `name` of the target's resource in its namespace. NotFound as a lister
// says it (`pod "x" not found`).
Result<json> storedObject(const VerbContext& ctx, const ResourceTarget& target,
                          const std::string& name) {
  auto kv = readObject(ctx, ResourceTarget{target.info, target.ns, name, ""});
  if (!kv.ok()) {
    if (kv.status().code() == Code::kNotFound) {
      return Status(Code::kNotFound, "pod " + goQuote(name) + " not found");
    }
    return forbidden(target, name, kv.status().message());
  }
  return json::parse(kv->value, nullptr, false);
}

// A node asks tokens only for service accounts of pods bound to it, bound to such a pod.
Status admitTokenRequest(const VerbContext& ctx, const std::string& node,
                         const ResourceTarget& target, const std::string& name,
                         const json& request) {
  const json& ref = member(request, {"spec", "boundObjectRef"});
  if (!ref.is_object() || text(ref, {"apiVersion"}) != "v1" || text(ref, {"kind"}) != "Pod" ||
      text(ref, {"name"}).empty()) {
    return forbidden(target, name, "node requested token not bound to a pod");
  }
  std::string uid = text(ref, {"uid"});
  if (uid.empty()) {
    return forbidden(target, name, "node requested token with a pod binding without a uid");
  }
  const api::ResourceInfo* pods = ctx.registry.find("", "v1", "pods");
  if (pods == nullptr) {
    return Status(Code::kInternal, "the registry has no pods resource");
  }
  auto pod = storedObject(ctx, ResourceTarget{pods, target.ns, "", ""}, text(ref, {"name"}));
  if (!pod.ok()) {
    return pod.status();
  }
  if (text(*pod, {"metadata", "uid"}) != uid) {
    return forbidden(target, name, "the UID in the bound object reference (" + uid +
                                       ") does not match the UID in record. The object might "
                                       "have been deleted and then recreated");
  }
  if (text(*pod, {"spec", "nodeName"}) != node) {
    return forbidden(target, name,
                     "node requested token bound to a pod scheduled on a different node");
  }
  return Status::ok();
}

const char* operation(const json* old) { return old == nullptr ? "CREATE" : "UPDATE"; }

}  // namespace

std::optional<std::string> nodeIdentity(const UserInfo& user) {
  if (!user.name.starts_with(kNodeUserPrefix) ||
      std::find(user.groups.begin(), user.groups.end(), kNodesGroup) == user.groups.end()) {
    return std::nullopt;
  }
  return user.name.substr(kNodeUserPrefix.size());
}

Status NodeRestriction::admitWrite(const VerbContext& ctx, const UserInfo& user,
                                   const ResourceTarget& target, const json& obj,
                                   const json* old) const {
  auto node = nodeIdentity(user);
  if (!node) {
    return Status::ok();
  }
  // A create names its object in the body; a subresource's create names it in the URL.
  const std::string name = old == nullptr && target.subresource.empty()
                               ? text(obj, {"metadata", "name"})
                               : target.name;
  if (node->empty()) {
    return forbidden(target, name, "could not determine node from user " + goQuote(user.name));
  }
  const api::ResourceInfo& info = *target.info;
  if (info.group.empty() && info.resource == "pods") {
    if (target.subresource == "status") {
      if (old == nullptr) {
        return forbidden(target, name, "unexpected operation \"CREATE\"");
      }
      return admitPodStatus(*node, target, name, obj, *old);
    }
    if (target.subresource == "eviction") {
      if (old != nullptr) {
        return forbidden(target, name, "unexpected operation UPDATE");
      }
      auto pod = storedObject(ctx, target, name);
      if (!pod.ok()) {
        return pod.status();
      }
      if (text(*pod, {"spec", "nodeName"}) != *node) {
        return forbidden(target, name, "node " + *node +
                                           " can only evict pods with spec.nodeName set to "
                                           "itself");
      }
      return Status::ok();
    }
    if (!target.subresource.empty()) {
      return forbidden(target, name, "unexpected pod subresource " + goQuote(target.subresource) +
                                         ", only 'status' and 'eviction' are allowed");
    }
    if (old == nullptr) {
      return admitMirrorPod(ctx, *node, target, name, obj);
    }
    return forbidden(target, name, std::string("unexpected operation \"") + operation(old) +
                                       "\", node " + goQuote(*node) +
                                       " can only create and delete mirror pods");
  }
  if (info.group.empty() && info.resource == "nodes") {
    return admitNode(*node, target, name, obj, old);
  }
  if (info.group.empty() && info.resource == "persistentvolumeclaims") {
    if (target.subresource != "status") {
      return forbidden(target, name, "may only update PVC status");
    }
    if (old == nullptr) {
      return forbidden(target, name, "unexpected operation \"CREATE\"");
    }
    if (pvcWithoutStatusFields(obj) != pvcWithoutStatusFields(*old)) {
      return forbidden(target, name, "node " + goQuote(*node) +
                                         " is not allowed to update fields other than "
                                         "status.capacity and status.conditions");
    }
    return Status::ok();
  }
  if (info.group == "coordination.k8s.io" && info.resource == "leases") {
    return admitLease(*node, target, name);
  }
  if (info.group == "storage.k8s.io" && info.resource == "csinodes" && name != *node) {
    return forbidden(target, name,
                     "can only access CSINode with the same name as the requesting node");
  }
  if (info.group.empty() && info.resource == "serviceaccounts" && old == nullptr &&
      target.subresource == "token") {
    return admitTokenRequest(ctx, *node, target, name, obj);
  }
  return Status::ok();
}

Status NodeRestriction::admitDelete(const VerbContext&, const UserInfo& user,
                                    const ResourceTarget& target, const json& obj) const {
  auto node = nodeIdentity(user);
  if (!node) {
    return Status::ok();
  }
  const std::string& name = target.name;
  if (node->empty()) {
    return forbidden(target, name, "could not determine node from user " + goQuote(user.name));
  }
  const api::ResourceInfo& info = *target.info;
  if (info.group.empty() && info.resource == "pods") {
    if (text(obj, {"spec", "nodeName"}) != *node) {
      return forbidden(target, name, "node " + goQuote(*node) +
                                         " can only delete pods with spec.nodeName set to "
                                         "itself");
    }
    return Status::ok();
  }
  if (info.group.empty() && info.resource == "nodes" && name != *node) {
    return forbidden(target, name, "node " + goQuote(*node) + " is not allowed to modify node " +
                                       goQuote(name));
  }
  if (info.group.empty() && info.resource == "persistentvolumeclaims") {
    return forbidden(target, name, "may only update PVC status");
  }
  if (info.group == "coordination.k8s.io" && info.resource == "leases") {
    return admitLease(*node, target, name);
  }
  if (info.group == "storage.k8s.io" && info.resource == "csinodes" && name != *node) {
    return forbidden(target, name,
                     "can only access CSINode with the same name as the requesting node");
  }
  return Status::ok();
}

}  // namespace tug::apiserver
