#include "api/quota/usage.h"

#include <ctime>
#include <map>

#include "api/json_member.h"
#include "api/quota/pod_resources.h"

namespace tug::api::quota {
namespace {

using nlohmann::json;

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

constexpr std::string_view kStorageClassSuffix = ".storageclass.storage.k8s.io/";

const ResourceNames kPodNames = {
    "pods",           "count/pods",         "cpu",          "memory",
    "ephemeral-storage", "requests.cpu",    "requests.memory", "requests.ephemeral-storage",
    "limits.cpu",     "limits.memory",      "limits.ephemeral-storage"};

// The names whose absence in a container's resources a cpu or memory quota refuses.
const ResourceNames kRequiredNames = {"cpu",        "memory",        "requests.cpu",
                                      "requests.memory", "limits.cpu", "limits.memory"};

// Core resources counted under a plain name as well as count/<resource>.
const std::map<std::string, std::string, std::less<>> kLegacyCounts = {
    {"configmaps", "configmaps"},
    {"secrets", "secrets"},
    {"resourcequotas", "resourcequotas"},
    {"replicationcontrollers", "replicationcontrollers"}};

// An extended resource (example.com/gpu): a name with a domain outside kubernetes.io.
bool isExtendedResource(std::string_view name) {
  auto slash = name.find('/');
  if (slash == std::string_view::npos || startsWith(name, "requests.")) {
    return false;
  }
  std::string_view domain = name.substr(0, slash);
  return domain != "kubernetes.io" && !endsWith(domain, ".kubernetes.io");
}

bool isPods(const Kind& k) { return k.group.empty() && k.resource == "pods"; }

ResourceNames podMatching(const ResourceNames& names) {
  ResourceNames out;
  for (const std::string& n : names) {
    if (kPodNames.count(n) > 0 || startsWith(n, "hugepages-") ||
        startsWith(n, "requests.hugepages-") ||
        (startsWith(n, "requests.") && isExtendedResource(n.substr(9)))) {
      out.insert(n);
    }
  }
  return out;
}

std::optional<TimePoint> parseTime(const std::string& s) {
  std::tm tm{};
  if (strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// Pods that are done no longer hold compute resources (nor count under "pods").
bool holdsResources(const json& pod, TimePoint now) {
  const std::string phase = memberString(member(pod, "status"), "phase");
  if (phase == "Succeeded" || phase == "Failed") {
    return false;
  }
  const json& meta = member(pod, "metadata");
  const std::string deleted = memberString(meta, "deletionTimestamp");
  const json& grace = member(meta, "deletionGracePeriodSeconds");
  if (!deleted.empty() && grace.is_number_integer()) {
    if (auto at = parseTime(deleted)) {
      return now <= *at + std::chrono::seconds(grace.get<int64_t>());
    }
  }
  return true;
}

// The quota names a pod's (or a container's) requests and limits stand for.
ResourceList computeUsage(const ResourceList& requests, const ResourceList& limits) {
  ResourceList out;
  out["pods"] = Amount::of(1);
  for (const char* r : {"cpu", "memory", "ephemeral-storage"}) {
    if (auto it = requests.find(r); it != requests.end()) {
      out[r] = it->second;
      out[std::string("requests.") + r] = it->second;
    }
    if (auto it = limits.find(r); it != limits.end()) {
      out[std::string("limits.") + r] = it->second;
    }
  }
  for (const auto& [name, amount] : requests) {
    if (startsWith(name, "hugepages-")) {
      out[name] = amount;
      out["requests." + name] = amount;
    } else if (isExtendedResource(name)) {
      out["requests." + name] = amount;
    }
  }
  return out;
}

ResourceList podUsage(const json& pod, TimePoint now) {
  ResourceList out;
  out["count/pods"] = Amount::of(1);
  if (!holdsResources(pod, now)) {
    return out;
  }
  return add(out, computeUsage(podResources(pod, "requests", true),
                               podResources(pod, "limits", true)));
}

ResourceList serviceUsage(const json& svc) {
  ResourceList out = {{"services", Amount::of(1)}, {"count/services", Amount::of(1)}};
  const json& spec = member(svc, "spec");
  const json& ports = member(spec, "ports");
  const int64_t portCount = ports.is_array() ? static_cast<int64_t>(ports.size()) : 0;
  const std::string type = memberString(spec, "type");
  if (type == "NodePort") {
    out["services.nodeports"] = Amount::of(portCount);
  } else if (type == "LoadBalancer") {
    const json& allocate = member(spec, "allocateLoadBalancerNodePorts");
    int64_t nodePorts = portCount;
    if (allocate.is_boolean() && !allocate.get<bool>()) {
      nodePorts = 0;  // only the ports that name a node port explicitly take one
      for (const auto& p : ports) {
        const json& np = member(p, "nodePort");
        nodePorts += np.is_number_integer() && np.get<int64_t>() != 0 ? 1 : 0;
      }
    }
    out["services.nodeports"] = Amount::of(nodePorts);
    out["services.loadbalancers"] = Amount::of(1);
  }
  return out;
}

ResourceList claimUsage(const json& pvc) {
  ResourceList out = {{"persistentvolumeclaims", Amount::of(1)},
                      {"count/persistentvolumeclaims", Amount::of(1)}};
  const json& spec = member(pvc, "spec");
  std::string storageClass = memberString(spec, "storageClassName");
  if (storageClass.empty()) {
    storageClass =
        memberString(member(member(pvc, "metadata"), "annotations"), "volume.beta.kubernetes.io/storage-class");
  }
  const std::string classPrefix =
      storageClass.empty() ? "" : storageClass + std::string(kStorageClassSuffix);
  if (!classPrefix.empty()) {
    out[classPrefix + "persistentvolumeclaims"] = Amount::of(1);
  }
  ResourceList requests = resourceListFrom(member(member(spec, "resources"), "requests"));
  if (auto it = requests.find("storage"); it != requests.end() && !it->second.quantity.isZero()) {
    out["requests.storage"] = it->second;
    if (!classPrefix.empty()) {
      out[classPrefix + "requests.storage"] = it->second;
    }
  }
  return out;
}

bool isTerminating(const json& pod) {
  const json& deadline = member(member(pod, "spec"), "activeDeadlineSeconds");
  return deadline.is_number_integer() && deadline.get<int64_t>() >= 0;
}

bool hasCrossNamespaceTerms(const json& affinity) {
  const json& terms = member(affinity, "requiredDuringSchedulingIgnoredDuringExecution");
  const json& weighted = member(affinity, "preferredDuringSchedulingIgnoredDuringExecution");
  auto crosses = [](const json& term) {
    const json& ns = member(term, "namespaces");
    return member(term, "namespaceSelector").is_object() || (ns.is_array() && !ns.empty());
  };
  if (terms.is_array()) {
    for (const auto& t : terms) {
      if (crosses(t)) {
        return true;
      }
    }
  }
  if (weighted.is_array()) {
    for (const auto& w : weighted) {
      if (crosses(member(w, "podAffinityTerm"))) {
        return true;
      }
    }
  }
  return false;
}

bool usesCrossNamespaceAffinity(const json& pod) {
  const json& affinity = member(member(pod, "spec"), "affinity");
  return hasCrossNamespaceTerms(member(affinity, "podAffinity")) ||
         hasCrossNamespaceTerms(member(affinity, "podAntiAffinity"));
}

bool podInScope(const std::string& scope, const std::string& op, const json& values,
                const json& pod) {
  if (scope == "Terminating") return isTerminating(pod);
  if (scope == "NotTerminating") return !isTerminating(pod);
  if (scope == "BestEffort") return isBestEffort(pod);
  if (scope == "NotBestEffort") return !isBestEffort(pod);
  if (scope == "CrossNamespacePodAffinity") return usesCrossNamespaceAffinity(pod);
  if (scope == "PriorityClass") {
    const std::string priorityClass = memberString(member(pod, "spec"), "priorityClassName");
    if (op == "Exists") {
      return !priorityClass.empty();
    }
    bool listed = false;
    if (values.is_array()) {
      for (const auto& v : values) {
        listed = listed || (v.is_string() && v.get<std::string>() == priorityClass);
      }
    }
    // The class is matched as a label that is always present (possibly empty).
    if (op == "In") return listed;
    if (op == "NotIn") return !listed;
    return false;
  }
  return false;
}

}  // namespace

std::string objectCountName(const Kind& kind) {
  return "count/" + kind.resource + (kind.group.empty() ? "" : "." + kind.group);
}

ResourceNames matchingResources(const Kind& kind, const ResourceNames& names) {
  if (isPods(kind)) {
    return podMatching(names);
  }
  ResourceNames candidates = {objectCountName(kind)};
  if (kind.group.empty()) {
    if (kind.resource == "services") {
      candidates.insert({"services", "services.nodeports", "services.loadbalancers"});
    } else if (kind.resource == "persistentvolumeclaims") {
      candidates.insert({"persistentvolumeclaims", "requests.storage"});
    } else if (auto it = kLegacyCounts.find(kind.resource); it != kLegacyCounts.end()) {
      candidates.insert(it->second);
    }
  }
  ResourceNames out;
  for (const std::string& n : names) {
    const bool classScoped = kind.group.empty() && kind.resource == "persistentvolumeclaims" &&
                             n.find(kStorageClassSuffix) != std::string::npos &&
                             (endsWith(n, "/requests.storage") || endsWith(n, "/persistentvolumeclaims"));
    if (candidates.count(n) > 0 || classScoped) {
      out.insert(n);
    }
  }
  return out;
}

ResourceList usageOf(const Kind& kind, const json& obj, TimePoint now) {
  if (isPods(kind)) {
    return podUsage(obj, now);
  }
  if (kind.group.empty() && kind.resource == "services") {
    return serviceUsage(obj);
  }
  if (kind.group.empty() && kind.resource == "persistentvolumeclaims") {
    return claimUsage(obj);
  }
  ResourceList out = {{objectCountName(kind), Amount::of(1)}};
  if (kind.group.empty()) {
    if (auto it = kLegacyCounts.find(kind.resource); it != kLegacyCounts.end()) {
      out[it->second] = Amount::of(1);
    }
  }
  return out;
}

bool quotaCounts(const json& quota, const Kind& kind, const json& obj) {
  return !matchingResources(kind, namesOf(hardOf(quota))).empty() && inScopes(quota, kind, obj);
}

bool inScopes(const json& quota, const Kind& kind, const json& obj) {
  const json& spec = member(quota, "spec");
  const json& scopes = member(spec, "scopes");
  const json& expressions = member(member(spec, "scopeSelector"), "matchExpressions");
  const bool scoped = (scopes.is_array() && !scopes.empty()) ||
                      (expressions.is_array() && !expressions.empty());
  if (!scoped) {
    return true;
  }
  if (!isPods(kind)) {
    return false;
  }
  if (scopes.is_array()) {
    for (const auto& s : scopes) {
      if (!s.is_string() || !podInScope(s.get<std::string>(), "Exists", json(), obj)) {
        return false;
      }
    }
  }
  if (expressions.is_array()) {
    for (const auto& e : expressions) {
      if (!podInScope(memberString(e, "scopeName"), memberString(e, "operator"), member(e, "values"), obj)) {
        return false;
      }
    }
  }
  return true;
}

std::optional<std::string> missingRequirements(const ResourceNames& required, const json& pod) {
  ResourceNames wanted;
  for (const std::string& n : required) {
    if (kRequiredNames.count(n) > 0) {
      wanted.insert(n);
    }
  }
  if (wanted.empty()) {
    return std::nullopt;
  }
  std::map<std::string, ResourceNames> missing;  // name -> containers, both sorted
  const json& spec = member(pod, "spec");
  for (const char* list : {"containers", "initContainers"}) {
    const json& containers = member(spec, list);
    if (!containers.is_array()) {
      continue;
    }
    for (const auto& c : containers) {
      ResourceList stated =
          computeUsage(containerResources(c, "requests"), containerResources(c, "limits"));
      for (const std::string& n : wanted) {
        if (stated.count(n) == 0) {
          missing[n].insert(memberString(c, "name"));
        }
      }
    }
  }
  if (missing.empty()) {
    return std::nullopt;
  }
  std::string out = "must specify ";
  bool first = true;
  for (const auto& [name, containers] : missing) {
    out += (first ? "" : "; ") + name + " for: ";
    first = false;
    bool firstContainer = true;
    for (const std::string& c : containers) {
      out += (firstContainer ? "" : ",") + c;
      firstContainer = false;
    }
  }
  return out;
}

ResourceList hardOf(const json& quota) {
  return resourceListFrom(member(member(quota, "status"), "hard"));
}

ResourceList usedOf(const json& quota) {
  return resourceListFrom(member(member(quota, "status"), "used"));
}

}  // namespace tug::api::quota
