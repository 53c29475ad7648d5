// ResourceQuota and LimitRange, as upstream's core validation checks them.
#include <cstdio>
#include <set>

#include "api/quantity.h"
#include "api/quantity_format.h"
#include "api/validation/name_rules.h"
#include "api/validation/validate_kinds.h"

namespace tug::api::validation {
namespace {

const std::set<std::string, std::less<>> kStandardResources = {
    "cpu",          "memory",           "ephemeral-storage", "requests.cpu",
    "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
    "limits.ephemeral-storage", "pods", "resourcequotas", "services", "replicationcontrollers",
    "secrets", "persistentvolumeclaims", "configmaps", "services.nodeports",
    "services.loadbalancers", "storage", "requests.storage"};

const std::set<std::string, std::less<>> kQuotaResources = {
    "cpu",          "memory",           "ephemeral-storage", "requests.cpu",
    "requests.memory", "requests.storage", "requests.ephemeral-storage", "limits.cpu",
    "limits.memory", "limits.ephemeral-storage", "pods", "resourcequotas", "services",
    "replicationcontrollers", "secrets", "persistentvolumeclaims", "configmaps",
    "services.nodeports", "services.loadbalancers"};

// Counted in whole objects (or ports): their quantities may not have fractions.
const std::set<std::string, std::less<>> kIntegerResources = {
    "pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "configmaps",
    "persistentvolumeclaims", "services.nodeports", "services.loadbalancers"};

const std::set<std::string, std::less<>> kScopes = {
    "Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass",
    "CrossNamespacePodAffinity"};

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool singleSegment(std::string_view name) { return name.find('/') == std::string_view::npos; }

bool isQuotaHugePages(std::string_view name) {
  return startsWith(name, "hugepages-") || startsWith(name, "requests.hugepages-");
}

bool isNative(std::string_view name) {
  if (singleSegment(name)) {
    return true;
  }
  std::string_view domain = name.substr(0, name.find('/'));
  return domain == "kubernetes.io" ||
         (domain.size() > 14 && domain.substr(domain.size() - 14) == ".kubernetes.io");
}

ErrorList resourceName(const std::string& name, const Path& p) {
  ErrorList errs;
  for (const auto& r : qualifiedName(name)) {
    errs.push_back(invalid(p, name, r));
  }
  if (errs.empty() && singleSegment(name) && kStandardResources.count(name) == 0 &&
      !isQuotaHugePages(name)) {
    errs.push_back(invalid(p, name, "must be a standard resource type or fully qualified"));
  }
  return errs;
}

ErrorList quotaResourceName(const std::string& name, const Path& p) {
  ErrorList errs = resourceName(name, p);
  if (singleSegment(name) && kQuotaResources.count(name) == 0 && !isQuotaHugePages(name)) {
    errs.push_back(invalid(p, name, "must be a standard resource for quota"));
  }
  return errs;
}

ErrorList containerResourceName(const std::string& name, const Path& p) {
  ErrorList errs = resourceName(name, p);
  if (singleSegment(name)) {
    if (name != "cpu" && name != "memory" && name != "ephemeral-storage" &&
        !startsWith(name, "hugepages-")) {
      errs.push_back(invalid(p, name, "must be a standard resource for containers"));
    }
  } else if (isNative(name) || startsWith(name, "requests.")) {
    errs.push_back(invalid(p, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

bool isExtended(std::string_view name) { return !isNative(name) && !startsWith(name, "requests."); }

std::optional<Quantity> quantityAt(const Json& value, const Path& p, ErrorList& errs) {
  auto q = quantityFromJson(value);
  if (!q.ok()) {
    errs.push_back(invalid(p, value, q.status().message()));
    return std::nullopt;
  }
  return *q;
}

std::string shown(const Quantity& q, const Json& written) {
  return formatQuantity(q, quantityFormatOf(written));
}

// The quantities of a ResourceList field, each checked for its name and sign.
ErrorList quotaList(const Json& list, const Path& p) {
  ErrorList errs;
  if (!list.is_object()) {
    return errs;
  }
  for (auto it = list.begin(); it != list.end(); ++it) {
    const Path rp = p.key(it.key());
    append(errs, quotaResourceName(it.key(), rp));
    auto q = quantityAt(it.value(), rp, errs);
    if (!q) {
      continue;
    }
    if (*q < Quantity()) {
      errs.push_back(invalid(rp, shown(*q, it.value()), "must be greater than or equal to 0"));
    }
    if ((kIntegerResources.count(it.key()) > 0 || isExtended(it.key())) &&
        q->milliValue() % 1000 != 0) {
      errs.push_back(invalid(rp, shown(*q, it.value()), "must be an integer"));
    }
  }
  return errs;
}

// Which names a scope may limit: pods everywhere, compute only outside BestEffort.
bool scopeAllows(std::string_view scope, std::string_view name) {
  static const std::set<std::string, std::less<>> kCompute = {
      "cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory"};
  if (scope == "BestEffort") {
    return name == "pods";
  }
  if (kScopes.count(scope) > 0) {
    return name == "pods" || kCompute.count(name) > 0;
  }
  return true;
}

std::vector<std::string> hardNames(const Json& spec) {
  std::vector<std::string> names;
  if (const Json* hard = objectField(spec, "hard")) {
    for (auto it = hard->begin(); it != hard->end(); ++it) {
      names.push_back(it.key());
    }
  }
  return names;
}

bool conflicting(const std::set<std::string>& scopes) {
  return (scopes.count("BestEffort") && scopes.count("NotBestEffort")) ||
         (scopes.count("Terminating") && scopes.count("NotTerminating"));
}

ErrorList quotaScopes(const Json& spec, const Path& p) {
  ErrorList errs;
  const Json* scopes = arrayField(spec, "scopes");
  if (scopes == nullptr || scopes->empty()) {
    return errs;
  }
  std::set<std::string> seen;
  for (const auto& s : *scopes) {
    const std::string scope = s.is_string() ? s.get<std::string>() : "";
    if (kScopes.count(scope) == 0) {
      errs.push_back(invalid(p.child("scopes"), *scopes, "unsupported scope"));
    }
    for (const std::string& name : hardNames(spec)) {
      if ((kQuotaResources.count(name) > 0 || isQuotaHugePages(name)) &&
          !scopeAllows(scope, name)) {
        errs.push_back(invalid(p.child("scopes"), *scopes, "unsupported scope applied to resource"));
      }
    }
    seen.insert(scope);
  }
  if (conflicting(seen)) {
    errs.push_back(invalid(p.child("scopes"), *scopes, "conflicting scopes"));
  }
  return errs;
}

ErrorList scopeSelector(const Json& spec, const Path& p) {
  ErrorList errs;
  const Json* selector = objectField(spec, "scopeSelector");
  const Json* expressions = selector ? arrayField(*selector, "matchExpressions") : nullptr;
  if (expressions == nullptr) {
    return errs;
  }
  const Path ep = p.child("scopeSelector", "matchExpressions");
  std::set<std::string> seen;
  for (const auto& e : *expressions) {
    const std::string scope = stringField(e, "scopeName");
    const std::string op = stringField(e, "operator");
    const Json* values = arrayField(e, "values");
    const bool hasValues = values != nullptr && !values->empty();
    if (kScopes.count(scope) == 0) {
      errs.push_back(invalid(ep.child("scopeName"), scope, "unsupported scope"));
    }
    for (const std::string& name : hardNames(spec)) {
      if ((kQuotaResources.count(name) > 0 || isQuotaHugePages(name)) &&
          !scopeAllows(scope, name)) {
        errs.push_back(invalid(ep, *selector, "unsupported scope applied to resource"));
      }
    }
    if (scope != "PriorityClass" && kScopes.count(scope) > 0 && op != "Exists") {
      errs.push_back(invalid(
          ep.child("operator"), op,
          "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, "
          "ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, "
          "ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"));
    }
    if (op == "In" || op == "NotIn") {
      if (!hasValues) {
        errs.push_back(required(ep.child("values"),
                                "must be at least one value when `operator` is 'In' or 'NotIn' "
                                "for scope selector"));
      }
    } else if (op == "Exists" || op == "DoesNotExist") {
      if (hasValues) {
        errs.push_back(invalid(ep.child("values"), *values,
                               "must be no value when `operator` is 'Exist' or 'DoesNotExist' "
                               "for scope selector"));
      }
    } else {
      errs.push_back(invalid(ep.child("operator"), op, "not a valid selector operator"));
    }
    seen.insert(scope);
  }
  if (conflicting(seen)) {
    errs.push_back(invalid(ep, *selector, "conflicting scopes"));
  }
  return errs;
}

// One item of a LimitRange: its resource lists by name, as written and parsed.
struct Bounds {
  std::map<std::string, std::pair<Quantity, Json>> min, max, defaults, defaultRequest, ratio;
};

void readBounds(const Json& item, const char* key, const std::string& type, const Path& p,
                std::map<std::string, std::pair<Quantity, Json>>& into, std::set<std::string>& keys,
                ErrorList& errs) {
  const Json* list = objectField(item, key);
  if (list == nullptr) {
    return;
  }
  for (auto it = list->begin(); it != list->end(); ++it) {
    const Path rp = p.child(key).key(it.key());
    append(errs, type == "Pod" || type == "Container" ? containerResourceName(it.key(), rp)
                                                      : resourceName(it.key(), rp));
    keys.insert(it.key());
    if (auto q = quantityAt(it.value(), rp, errs)) {
      into[it.key()] = {*q, it.value()};
    }
  }
}

std::string text(const std::pair<Quantity, Json>& q) { return shown(q.first, q.second); }

ErrorList limitItem(const Json& item, const std::string& type, const Path& p) {
  ErrorList errs;
  Bounds b;
  std::set<std::string> keys;
  readBounds(item, "max", type, p, b.max, keys, errs);
  readBounds(item, "min", type, p, b.min, keys, errs);
  if (type == "Pod") {
    for (const char* key : {"default", "defaultRequest"}) {
      const Json* list = objectField(item, key);
      if (list != nullptr && !list->empty()) {
        errs.push_back(forbidden(p.child(key), "may not be specified when `type` is 'Pod'"));
      }
    }
  } else {
    readBounds(item, "default", type, p, b.defaults, keys, errs);
    readBounds(item, "defaultRequest", type, p, b.defaultRequest, keys, errs);
  }
  if (type == "PersistentVolumeClaim" && !b.min.count("storage") && !b.max.count("storage")) {
    errs.push_back(required(p.child("limits"), "either minimum or maximum storage value is "
                                                "required, but neither was provided"));
  }
  readBounds(item, "maxLimitRequestRatio", type, p, b.ratio, keys, errs);
  for (const std::string& k : keys) {
    auto min = b.min.find(k), max = b.max.find(k), def = b.defaults.find(k),
         req = b.defaultRequest.find(k), ratio = b.ratio.find(k);
    const bool hasMin = min != b.min.end(), hasMax = max != b.max.end(),
               hasDef = def != b.defaults.end(), hasReq = req != b.defaultRequest.end(),
               hasRatio = ratio != b.ratio.end();
    if (hasMin && hasMax && max->second.first < min->second.first) {
      errs.push_back(invalid(p.child("min").key(k), text(min->second),
                             "min value " + text(min->second) + " is greater than max value " +
                                 text(max->second)));
    }
    if (hasReq && hasMin && req->second.first < min->second.first) {
      errs.push_back(invalid(p.child("defaultRequest").key(k), text(req->second),
                             "min value " + text(min->second) +
                                 " is greater than default request value " + text(req->second)));
    }
    if (hasReq && hasMax && max->second.first < req->second.first) {
      errs.push_back(invalid(p.child("defaultRequest").key(k), text(req->second),
                             "default request value " + text(req->second) +
                                 " is greater than max value " + text(max->second)));
    }
    if (hasReq && hasDef && def->second.first < req->second.first) {
      errs.push_back(invalid(p.child("defaultRequest").key(k), text(req->second),
                             "default request value " + text(req->second) +
                                 " is greater than default limit value " + text(def->second)));
    }
    if (hasDef && hasMin && def->second.first < min->second.first) {
      errs.push_back(invalid(p.child("default").key(k), text(min->second),
                             "min value " + text(min->second) + " is greater than default value " +
                                 text(def->second)));
    }
    if (hasDef && hasMax && max->second.first < def->second.first) {
      errs.push_back(invalid(p.child("default").key(k), text(max->second),
                             "default value " + text(def->second) + " is greater than max value " +
                                 text(max->second)));
    }
    if (hasRatio && ratio->second.first < Quantity::fromValue(1)) {
      errs.push_back(invalid(p.child("maxLimitRequestRatio").key(k), text(ratio->second),
                             "ratio " + text(ratio->second) + " is less than 1"));
    }
    if (hasRatio && hasMin && hasMax && min->second.first.milliValue() > 0) {
      const double limit = static_cast<double>(max->second.first.milliValue()) /
                           static_cast<double>(min->second.first.milliValue());
      if (static_cast<double>(ratio->second.first.milliValue()) / 1000 > limit) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%f", limit);
        errs.push_back(invalid(p.child("maxLimitRequestRatio").key(k), text(ratio->second),
                               "ratio " + text(ratio->second) + " is greater than max/min = " +
                                   buf));
      }
    }
    const bool overcommits = k == "cpu" || k == "memory" || k == "ephemeral-storage" ||
                             (isNative(k) && !startsWith(k, "hugepages-"));
    if (!overcommits && hasDef && hasReq && def->second.first != req->second.first) {
      errs.push_back(invalid(p.child("defaultRequest").key(k), text(req->second),
                             "default value " + text(def->second) +
                                 " must equal to defaultRequest value " + text(req->second) +
                                 " in " + k));
    }
  }
  return errs;
}

}  // namespace

ErrorList validateResourceQuota(const Json& obj) {
  ErrorList errs;
  const Json& spec = specOf(obj);
  if (const Json* hard = objectField(spec, "hard")) {
    append(errs, quotaList(*hard, Path("spec").child("hard")));
  }
  append(errs, quotaScopes(spec, Path("spec")));
  append(errs, scopeSelector(spec, Path("spec")));
  if (const Json* status = objectField(obj, "status")) {
    for (const char* key : {"hard", "used"}) {
      if (const Json* list = objectField(*status, key)) {
        append(errs, quotaList(*list, Path("status").child(key)));
      }
    }
  }
  return errs;
}

ErrorList validateLimitRange(const Json& obj) {
  ErrorList errs;
  std::set<std::string> types;
  forEachObject(specOf(obj), "limits", [&](const Json& item, size_t i) {
    const Path p = Path("spec").child("limits").index(i);
    const std::string type = stringField(item, "type");
    const Path tp = p.child("type");
    ErrorList typeErrs;
    for (const auto& r : qualifiedName(type)) {
      typeErrs.push_back(invalid(tp, type, r));
    }
    if (typeErrs.empty() && singleSegment(type) && type != "Pod" && type != "Container" &&
        type != "PersistentVolumeClaim") {
      typeErrs.push_back(invalid(tp, type, "must be a standard limit type or fully qualified"));
    }
    append(errs, typeErrs);
    if (!types.insert(type).second) {
      errs.push_back(duplicate(tp, type));
    }
    append(errs, limitItem(item, type, p));
  });
  return errs;
}

}  // namespace tug::api::validation
