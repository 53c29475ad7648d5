// Services (upstream ValidateService and ValidateServiceUpdate in pkg/apis/core/validation).
#include <arpa/inet.h>

#include <set>

#include "api/validation/validate_kinds.h"

namespace tug::api::validation {
namespace {

// The default service node port range, as tug's allocator will use it.

bool isIPv4(const std::string& s) {
  in_addr a{};
  return inet_pton(AF_INET, s.c_str(), &a) == 1;
}

bool isIP(const std::string& s) {
  in6_addr a6{};
  return isIPv4(s) || inet_pton(AF_INET6, s.c_str(), &a6) == 1;
}

void addReasons(ErrorList& errs, const Path& p, const Json& value, const Reasons& reasons) {
  for (const auto& r : reasons) {
    errs.push_back(invalid(p, value, r));
  }
}

ErrorList validateTargetPort(const Json& port, const Path& p) {
  ErrorList errs;
  const Json* target = field(port, "targetPort");
  if (target == nullptr) {
    return errs;
  }
  if (target->is_number_integer()) {
    long long n = target->get<long long>();
    if (n < 1 || n > 65535) {
      errs.push_back(invalid(p, n, inclusiveRangeError(1, 65535)));
    }
  } else if (target->is_string()) {
    addReasons(errs, p, *target, portName(target->get<std::string>()));
  }
  return errs;
}

ErrorList validatePorts(const Json& spec, const Path& p, const std::string& type) {
  ErrorList errs;
  const Json* ports = arrayField(spec, "ports");
  bool requireName = ports != nullptr && ports->size() > 1;
  std::set<std::string> names;
  std::set<std::pair<long long, std::string>> seen;
  forEachObject(spec, "ports", [&](const Json& port, size_t i) {
    const Path pp = p.index(i);
    const std::string name = stringField(port, "name");
    if (requireName && name.empty()) {
      errs.push_back(required(pp.child("name")));
    } else if (!name.empty()) {
      Reasons r = dns1123Label(name);
      addReasons(errs, pp.child("name"), name, r);
      if (r.empty() && !names.insert(name).second) {
        errs.push_back(duplicate(pp.child("name"), name));
      }
    }
    long long number = intField(port, "port").value_or(0);
    if (number < 1 || number > 65535) {
      errs.push_back(invalid(pp.child("port"), number, inclusiveRangeError(1, 65535)));
    }
    append(errs, oneOf(port, "protocol", pp.child("protocol"), {"SCTP", "TCP", "UDP"}, true));
    append(errs, validateTargetPort(port, pp.child("targetPort")));
    if (auto nodePort = intField(port, "nodePort"); nodePort && *nodePort != 0) {
      if (type == "ClusterIP" || type == "ExternalName") {
        errs.push_back(forbidden(pp.child("nodePort"),
                                 "may not be used when `type` is '" + type + "'"));
      } else if (*nodePort < 1 || *nodePort > 65535) {
        // The configured node-port range is the allocator's to enforce (it is a flag).
        errs.push_back(invalid(pp.child("nodePort"), *nodePort, inclusiveRangeError(1, 65535)));
      }
    }
    // Two ports may not expose the same number with the same protocol.
    if (!seen.insert({number, stringField(port, "protocol")}).second) {
      errs.push_back(duplicate(pp, Json{{"port", number}, {"protocol", stringField(port, "protocol")}}));
    }
  });
  return errs;
}

ErrorList validateClusterIPs(const Json& spec, const Path& p, const std::string& type) {
  ErrorList errs;
  const std::string clusterIP = stringField(spec, "clusterIP");
  if (type == "ExternalName") {
    if (!clusterIP.empty()) {
      errs.push_back(forbidden(p.child("clusterIPs"), "may not be set for ExternalName services"));
    }
    for (const char* key : {"ipFamilies", "ipFamilyPolicy"}) {
      if (has(spec, key)) {
        errs.push_back(forbidden(p.child(key), "may not be set for ExternalName services"));
      }
    }
    return errs;
  }
  const Json* ips = arrayField(spec, "clusterIPs");
  if (ips != nullptr && !ips->empty() && !clusterIP.empty() && (*ips)[0] != clusterIP) {
    errs.push_back(invalid(p.child("clusterIPs"), *ips,
                           "element [0] must match clusterIP"));
  }
  for (size_t i = 0; ips != nullptr && i < ips->size(); ++i) {
    const std::string ip = (*ips)[i].is_string() ? (*ips)[i].get<std::string>() : "";
    if (ip == "None" && i == 0) {
      continue;
    }
    if (!isIP(ip)) {
      errs.push_back(invalid(p.child("clusterIPs").index(i), (*ips)[i],
                             "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
    } else if (!isIPv4(ip)) {
      errs.push_back(invalid(p.child("clusterIPs").index(i), (*ips)[i],
                             "expected an IPv4 value as indicated by `ipFamilies[0]`"));
    }
  }
  append(errs, oneOf(spec, "ipFamilyPolicy", p.child("ipFamilyPolicy"),
                     {"SingleStack", "PreferDualStack", "RequireDualStack"}, false));
  if (const Json* families = arrayField(spec, "ipFamilies")) {
    for (size_t i = 0; i < families->size(); ++i) {
      const Json& f = (*families)[i];
      if (f != "IPv4" && f != "IPv6") {
        errs.push_back(notSupported(p.child("ipFamilies").index(i), f, {"IPv4", "IPv6"}));
      } else if (f == "IPv6") {
        errs.push_back(invalid(p.child("ipFamilies").index(i), f, "not configured on this cluster"));
      }
    }
  }
  return errs;
}

}  // namespace

ErrorList validateService(const Json& obj) {
  ErrorList errs;
  const Json& spec = specOf(obj);
  const Path p("spec");
  append(errs, oneOf(spec, "type", p.child("type"),
                     {"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}, true));
  const std::string type = stringField(spec, "type");
  const Json* ports = arrayField(spec, "ports");
  bool headless = stringField(spec, "clusterIP") == "None";
  if ((ports == nullptr || ports->empty()) && !headless && type != "ExternalName") {
    errs.push_back(required(p.child("ports")));
  }
  if (type == "ExternalName") {
    std::string name = stringField(spec, "externalName");
    if (!name.empty() && name.back() == '.') {
      name.pop_back();
    }
    if (name.empty()) {
      errs.push_back(required(p.child("externalName")));
    } else {
      addReasons(errs, p.child("externalName"), stringField(spec, "externalName"),
                 dns1123Subdomain(name));
    }
  }
  append(errs, validatePorts(spec, p.child("ports"), type));
  append(errs, validateClusterIPs(spec, p, type));
  if (const Json* selector = objectField(spec, "selector")) {
    append(errs, validateLabels(selector, p.child("selector")));
  }
  append(errs, oneOf(spec, "sessionAffinity", p.child("sessionAffinity"), {"ClientIP", "None"},
                     true));
  if (stringField(spec, "sessionAffinity") == "ClientIP") {
    const Json* cfg = objectField(spec, "sessionAffinityConfig");
    const Json* cip = cfg ? objectField(*cfg, "clientIP") : nullptr;
    auto timeout = cip ? intField(*cip, "timeoutSeconds") : std::nullopt;
    if (timeout && (*timeout < 1 || *timeout > 86400)) {
      errs.push_back(invalid(p.child("sessionAffinityConfig", "clientIP", "timeoutSeconds"),
                             *timeout, inclusiveRangeError(1, 86400)));
    }
  }
  if (has(spec, "externalTrafficPolicy")) {
    if (type != "NodePort" && type != "LoadBalancer") {
      errs.push_back(invalid(p.child("externalTrafficPolicy"), fieldOr(spec, "externalTrafficPolicy"),
                             "may only be set when `type` is 'NodePort' or 'LoadBalancer'"));
    } else {
      append(errs, oneOf(spec, "externalTrafficPolicy", p.child("externalTrafficPolicy"),
                         {"Cluster", "Local"}, false));
    }
  }
  append(errs, oneOf(spec, "internalTrafficPolicy", p.child("internalTrafficPolicy"),
                     {"Cluster", "Local"}, false));
  return errs;
}

ErrorList validateServiceUpdate(const Json& obj, const Json& old) {
  ErrorList errs;
  const Json& spec = specOf(obj);
  const Json& before = specOf(old);
  if (stringField(spec, "type") == "ExternalName" || stringField(before, "type") == "ExternalName") {
    return errs;  // moving to or from ExternalName releases or allocates the IPs anew
  }
  const Json* ips = arrayField(spec, "clusterIPs");
  const Json* oldIps = arrayField(before, "clusterIPs");
  if (ips && oldIps && !ips->empty() && !oldIps->empty() && (*ips)[0] != (*oldIps)[0]) {
    errs.push_back(invalid(Path("spec").child("clusterIPs").index(0), *ips,
                           "may not change once set"));
  }
  const Json* families = arrayField(spec, "ipFamilies");
  const Json* oldFamilies = arrayField(before, "ipFamilies");
  if (families && oldFamilies && !families->empty() && !oldFamilies->empty() &&
      (*families)[0] != (*oldFamilies)[0]) {
    errs.push_back(invalid(Path("spec").child("ipFamilies").index(0), (*families)[0],
                           "may not change once set"));
  }
  return errs;
}

}  // namespace tug::api::validation
