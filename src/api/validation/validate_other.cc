// StorageClasses, Ingresses and RBAC kinds (upstream pkg/apis/storage, networking and rbac
// validation).
#include <arpa/inet.h>

#include <algorithm>

#include "api/validation/validate_kinds.h"

namespace tug::api::validation {
namespace {

constexpr const char* kRbacGroup = "rbac.authorization.k8s.io";

void addReasons(ErrorList& errs, const Path& p, const Json& value, const Reasons& reasons) {
  for (const auto& r : reasons) {
    errs.push_back(invalid(p, value, r));
  }
}

bool isIP(const std::string& s) {
  in_addr a{};
  in6_addr a6{};
  return inet_pton(AF_INET, s.c_str(), &a) == 1 || inet_pton(AF_INET6, s.c_str(), &a6) == 1;
}

ErrorList validateIngressBackend(const Json& backend, const Path& p) {
  ErrorList errs;
  const Json* service = objectField(backend, "service");
  bool resource = has(backend, "resource");
  if (service != nullptr && resource) {
    errs.push_back(invalid(p, "", "cannot set both resource and service backends"));
    return errs;
  }
  if (service == nullptr) {
    if (!resource) {
      errs.push_back(invalid(p, "", "resource or service backend is required"));
    }
    return errs;
  }
  const std::string name = stringField(*service, "name");
  if (name.empty()) {
    errs.push_back(required(p.child("service", "name")));
  } else {
    addReasons(errs, p.child("service", "name"), name, dns1035Label(name));
  }
  const Json* port = objectField(*service, "port");
  const std::string portName_ = port ? stringField(*port, "name") : "";
  auto number = port ? intField(*port, "number") : std::nullopt;
  bool hasNumber = number && *number != 0;
  if (portName_.empty() && !hasNumber) {
    errs.push_back(required(p.child("service", "port"), "port name or number is required"));
  } else if (!portName_.empty() && hasNumber) {
    errs.push_back(invalid(p.child("service", "port"), *port,
                           "cannot set both port name & port number"));
  } else if (!portName_.empty()) {
    addReasons(errs, p.child("service", "port", "name"), portName_, portName(portName_));
  } else if (*number < 1 || *number > 65535) {
    errs.push_back(invalid(p.child("service", "port", "number"), *number,
                           inclusiveRangeError(1, 65535)));
  }
  return errs;
}

ErrorList validateIngressRule(const Json& rule, const Path& p) {
  ErrorList errs;
  const std::string host = stringField(rule, "host");
  if (!host.empty()) {
    if (isIP(host)) {
      errs.push_back(invalid(p.child("host"), host, "must be a DNS name, not an IP address"));
    } else if (host.find('*') != std::string::npos) {
      addReasons(errs, p.child("host"), host, wildcardDns1123Subdomain(host));
    } else {
      addReasons(errs, p.child("host"), host, dns1123Subdomain(host));
    }
  }
  const Json* http = objectField(rule, "http");
  if (http == nullptr) {
    return errs;
  }
  const Path hp = p.child("http");
  const Json* paths = arrayField(*http, "paths");
  if (paths == nullptr || paths->empty()) {
    errs.push_back(required(hp.child("paths")));
  }
  forEachObject(*http, "paths", [&](const Json& path, size_t i) {
    const Path pp = hp.child("paths").index(i);
    const std::string type = stringField(path, "pathType");
    const std::string value = stringField(path, "path");
    if (type.empty()) {
      errs.push_back(required(pp.child("pathType"), "pathType must be specified"));
    } else {
      append(errs, oneOf(path, "pathType", pp.child("pathType"),
                         {"Exact", "ImplementationSpecific", "Prefix"}, true));
    }
    if ((type == "Exact" || type == "Prefix") && (value.empty() || value[0] != '/')) {
      errs.push_back(invalid(pp.child("path"), value, "must be an absolute path"));
    }
    static const Json kEmpty = Json::object();
    const Json* backend = objectField(path, "backend");
    append(errs, validateIngressBackend(backend ? *backend : kEmpty, pp.child("backend")));
  });
  return errs;
}

ErrorList validateSubject(const Json& s, bool namespaced, const Path& p) {
  ErrorList errs;
  const std::string name = stringField(s, "name");
  if (name.empty()) {
    errs.push_back(required(p.child("name")));
  }
  const std::string kind = stringField(s, "kind");
  const std::string group = stringField(s, "apiGroup");
  if (kind == "ServiceAccount") {
    if (!name.empty()) {
      addReasons(errs, p.child("name"), name, dns1123Subdomain(name));
    }
    if (!group.empty()) {
      errs.push_back(notSupported(p.child("apiGroup"), group, {""}));
    }
    if (!namespaced && stringField(s, "namespace").empty()) {
      errs.push_back(required(p.child("namespace")));
    }
  } else if (kind == "User" || kind == "Group") {
    if (group != kRbacGroup) {
      errs.push_back(notSupported(p.child("apiGroup"), group, {kRbacGroup}));
    }
  } else {
    errs.push_back(notSupported(p.child("kind"), kind, {"ServiceAccount", "User", "Group"}));
  }
  return errs;
}

}  // namespace

ErrorList validateStorageClass(const Json& obj) {
  ErrorList errs;
  const std::string provisioner = stringField(obj, "provisioner");
  if (provisioner.empty()) {
    errs.push_back(required(Path("provisioner")));
  } else {
    std::string lower = provisioner;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    addReasons(errs, Path("provisioner"), provisioner, qualifiedName(lower));
  }
  append(errs, oneOf(obj, "reclaimPolicy", Path("reclaimPolicy"), {"Delete", "Retain"}, false));
  append(errs, oneOf(obj, "volumeBindingMode", Path("volumeBindingMode"),
                     {"Immediate", "WaitForFirstConsumer"}, true));
  return errs;
}

ErrorList validateStorageClassUpdate(const Json& obj, const Json& old) {
  ErrorList errs;
  if (fieldOr(obj, "parameters") != fieldOr(old, "parameters")) {
    errs.push_back(forbidden(Path("parameters"), "updates to parameters are forbidden."));
  }
  if (stringField(obj, "provisioner") != stringField(old, "provisioner")) {
    errs.push_back(forbidden(Path("provisioner"), "updates to provisioner are forbidden."));
  }
  if (stringField(obj, "reclaimPolicy") != stringField(old, "reclaimPolicy")) {
    errs.push_back(forbidden(Path("reclaimPolicy"), "updates to reclaimPolicy are forbidden."));
  }
  if (fieldOr(obj, "volumeBindingMode") != fieldOr(old, "volumeBindingMode")) {
    errs.push_back(immutable(Path("volumeBindingMode"), fieldOr(obj, "volumeBindingMode")));
  }
  return errs;
}

ErrorList validateIngress(const Json& obj) {
  ErrorList errs;
  const Json& spec = specOf(obj);
  const Path p("spec");
  const Json* rules = arrayField(spec, "rules");
  if ((rules == nullptr || rules->empty()) && !has(spec, "defaultBackend")) {
    errs.push_back(invalid(p, fieldOr(spec, "rules"),
                           "either `defaultBackend` or `rules` must be specified"));
  }
  if (const Json* backend = objectField(spec, "defaultBackend")) {
    append(errs, validateIngressBackend(*backend, p.child("defaultBackend")));
  }
  forEachObject(spec, "rules", [&](const Json& rule, size_t i) {
    append(errs, validateIngressRule(rule, p.child("rules").index(i)));
  });
  const std::string cls = stringField(spec, "ingressClassName");
  if (!cls.empty()) {
    addReasons(errs, p.child("ingressClassName"), cls, dns1123Subdomain(cls));
  }
  return errs;
}

ErrorList validateRole(const Json& obj) {
  ErrorList errs;
  const Json* meta = objectField(obj, "metadata");
  bool namespaced = meta != nullptr && !stringField(*meta, "namespace").empty();
  forEachObject(obj, "rules", [&](const Json& rule, size_t i) {
    const Path p = Path("rules").index(i);
    const Json* verbs = arrayField(rule, "verbs");
    if (verbs == nullptr || verbs->empty()) {
      errs.push_back(required(p.child("verbs"), "verbs must contain at least one value"));
    }
    auto count = [&](const char* key) {
      const Json* l = arrayField(rule, key);
      return l ? l->size() : 0;
    };
    if (count("nonResourceURLs") > 0) {
      if (namespaced) {
        errs.push_back(invalid(p.child("nonResourceURLs"), rule["nonResourceURLs"],
                               "namespaced rules cannot apply to non-resource URLs"));
      }
      if (count("apiGroups") > 0 || count("resources") > 0 || count("resourceNames") > 0) {
        errs.push_back(invalid(p.child("nonResourceURLs"), rule["nonResourceURLs"],
                               "rules cannot apply to both regular resources and non-resource "
                               "URLs"));
      }
      return;
    }
    if (count("apiGroups") == 0) {
      errs.push_back(required(p.child("apiGroups"),
                              "resource rules must supply at least one api group"));
    }
    if (count("resources") == 0) {
      errs.push_back(required(p.child("resources"),
                              "resource rules must supply at least one resource"));
    }
  });
  return errs;
}

ErrorList validateRoleBinding(const Json& obj, bool clusterScoped) {
  ErrorList errs;
  static const Json kEmpty = Json::object();
  const Json* refPtr = objectField(obj, "roleRef");
  const Json& ref = refPtr ? *refPtr : kEmpty;
  const Path rp("roleRef");
  if (stringField(ref, "apiGroup") != kRbacGroup) {
    errs.push_back(notSupported(rp.child("apiGroup"), stringField(ref, "apiGroup"), {kRbacGroup}));
  }
  const std::string kind = stringField(ref, "kind");
  if (clusterScoped && kind != "ClusterRole") {
    errs.push_back(notSupported(rp.child("kind"), kind, {"ClusterRole"}));
  } else if (!clusterScoped && kind != "Role" && kind != "ClusterRole") {
    errs.push_back(notSupported(rp.child("kind"), kind, {"Role", "ClusterRole"}));
  }
  const std::string name = stringField(ref, "name");
  if (name.empty()) {
    errs.push_back(required(rp.child("name")));
  } else {
    addReasons(errs, rp.child("name"), name, pathSegmentName(name, false));
  }
  forEachObject(obj, "subjects", [&](const Json& s, size_t i) {
    append(errs, validateSubject(s, !clusterScoped, Path("subjects").index(i)));
  });
  return errs;
}

ErrorList validateRoleBindingUpdate(const Json& obj, const Json& old) {
  Json ref = fieldOr(obj, "roleRef");
  if (ref != fieldOr(old, "roleRef")) {
    return {invalid(Path("roleRef"), ref, "cannot change roleRef")};
  }
  return {};
}

}  // namespace tug::api::validation
