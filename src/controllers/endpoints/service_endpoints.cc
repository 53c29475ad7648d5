#include "controllers/endpoints/service_endpoints.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace tug::controllers::endpoints {
namespace {

const json& field(const json& obj, const char* key) {
  static const json kNull;
  if (!obj.is_object()) {
    return kNull;
  }
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

std::string text(const json& obj, const char* key) {
  const json& v = field(obj, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

std::string meta(const json& obj, const char* key) { return text(field(obj, "metadata"), key); }

bool podReady(const json& pod) {
  const json& conditions = field(field(pod, "status"), "conditions");
  if (!conditions.is_array()) {
    return false;
  }
  for (const json& c : conditions) {
    if (text(c, "type") == "Ready") {
      return text(c, "status") == "True";
    }
  }
  return false;
}

bool headless(const json& service) { return text(field(service, "spec"), "clusterIP") == "None"; }

// The pod's port for a Service port: a number as given, a name looked up among the pod's
// container ports with the same protocol. 0 when the pod has no such port.
int64_t resolveTargetPort(const json& servicePort, const json& pod) {
  const json& target = field(servicePort, "targetPort");
  if (target.is_number_integer()) {
    return target.get<int64_t>();
  }
  if (!target.is_string()) {
    const json& port = field(servicePort, "port");
    return port.is_number_integer() ? port.get<int64_t>() : 0;
  }
  std::string protocol = text(servicePort, "protocol");
  if (protocol.empty()) {
    protocol = "TCP";
  }
  const json& containers = field(field(pod, "spec"), "containers");
  if (!containers.is_array()) {
    return 0;
  }
  for (const json& c : containers) {
    const json& ports = field(c, "ports");
    if (!ports.is_array()) {
      continue;
    }
    for (const json& p : ports) {
      std::string proto = text(p, "protocol");
      if (text(p, "name") == target.get<std::string>() &&
          (proto.empty() ? "TCP" : proto) == protocol && field(p, "containerPort").is_number()) {
        return field(p, "containerPort").get<int64_t>();
      }
    }
  }
  return 0;
}

json endpointPort(const json& servicePort, int64_t port) {
  std::string protocol = text(servicePort, "protocol");
  json p = {{"port", port}, {"protocol", protocol.empty() ? "TCP" : protocol}};
  if (std::string name = text(servicePort, "name"); !name.empty()) {
    p["name"] = name;
  }
  if (std::string app = text(servicePort, "appProtocol"); !app.empty()) {
    p["appProtocol"] = app;
  }
  return p;
}

// Sorts IPv4 text by address, not by characters (10.0.0.9 before 10.0.0.10).
bool ipLess(const std::string& a, const std::string& b) {
  auto parts = [](const std::string& ip) {
    std::vector<int> out;
    size_t start = 0;
    while (start <= ip.size()) {
      size_t dot = ip.find('.', start);
      out.push_back(std::atoi(ip.substr(start, dot - start).c_str()));
      if (dot == std::string::npos) {
        break;
      }
      start = dot + 1;
    }
    return out;
  };
  auto pa = parts(a), pb = parts(b);
  return pa != pb ? pa < pb : a < b;
}

json sortedPorts(json ports) {
  std::sort(ports.begin(), ports.end(), [](const json& a, const json& b) {
    return std::make_tuple(a.value("name", ""), a.value("port", int64_t{0}),
                           a.value("protocol", "")) <
           std::make_tuple(b.value("name", ""), b.value("port", int64_t{0}),
                           b.value("protocol", ""));
  });
  return ports;
}

}  // namespace

bool hasSelector(const json& service) {
  const json& selector = field(field(service, "spec"), "selector");
  return selector.is_object() && !selector.empty();
}

bool selects(const json& service, const json& pod) {
  if (!hasSelector(service) || meta(service, "namespace") != meta(pod, "namespace")) {
    return false;
  }
  const json& labels = field(field(pod, "metadata"), "labels");
  for (const auto& [key, value] : field(field(service, "spec"), "selector").items()) {
    const json& have = field(labels, key.c_str());
    if (!have.is_string() || have != value) {
      return false;
    }
  }
  return true;
}

std::vector<PodEndpoint> podEndpoints(const json& service, const std::vector<json>& pods,
                                      bool forEndpoints) {
  const json& spec = field(service, "spec");
  const bool publishNotReady = field(spec, "publishNotReadyAddresses") == true;
  const json& servicePorts = field(spec, "ports");
  std::vector<PodEndpoint> out;
  for (const json& pod : pods) {
    if (!selects(service, pod)) {
      continue;
    }
    const json& status = field(pod, "status");
    std::string ip = text(status, "podIP");
    std::string phase = text(status, "phase");
    if (ip.empty() || phase == "Succeeded" || phase == "Failed") {
      continue;
    }
    PodEndpoint e;
    e.terminating = !meta(pod, "deletionTimestamp").empty();
    if (forEndpoints && e.terminating && !publishNotReady) {
      continue;
    }
    e.ip = ip;
    e.nodeName = text(field(pod, "spec"), "nodeName");
    e.serving = podReady(pod);
    e.ready = publishNotReady || (e.serving && !e.terminating);
    const json& podSpec = field(pod, "spec");
    if (!text(podSpec, "hostname").empty() &&
        text(podSpec, "subdomain") == meta(service, "name")) {
      e.hostname = text(podSpec, "hostname");
    }
    e.targetRef = {{"kind", "Pod"},
                   {"namespace", meta(pod, "namespace")},
                   {"name", meta(pod, "name")},
                   {"uid", meta(pod, "uid")}};
    if (servicePorts.is_array()) {
      for (const json& sp : servicePorts) {
        if (int64_t port = resolveTargetPort(sp, pod); port > 0) {
          e.ports.push_back(endpointPort(sp, port));
        }
      }
    }
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const PodEndpoint& a, const PodEndpoint& b) {
    return a.targetRef["name"].get<std::string>() < b.targetRef["name"].get<std::string>();
  });
  return out;
}

json desiredEndpoints(const json& service, const std::vector<json>& pods) {
  json labels = field(field(service, "metadata"), "labels");
  if (!labels.is_object()) {
    labels = json::object();
  }
  if (headless(service)) {
    labels[kHeadless] = "";
  }
  json metadata = {{"name", meta(service, "name")}, {"namespace", meta(service, "namespace")}};
  if (!labels.empty()) {
    metadata["labels"] = labels;
  }
  // Addresses grouped by the exact set of ports they serve, as upstream repacks subsets.
  std::map<std::string, std::pair<json, std::vector<std::pair<bool, json>>>> groups;
  for (const PodEndpoint& e : podEndpoints(service, pods, true)) {
    json ports = sortedPorts(e.ports);
    json address = {{"ip", e.ip}, {"targetRef", e.targetRef}};
    if (!e.nodeName.empty()) {
      address["nodeName"] = e.nodeName;
    }
    if (!e.hostname.empty()) {
      address["hostname"] = e.hostname;
    }
    auto& group = groups[ports.dump()];
    group.first = ports;
    group.second.emplace_back(e.ready, std::move(address));
  }
  json subsets = json::array();
  for (auto& [key, group] : groups) {
    auto& addresses = group.second;
    std::sort(addresses.begin(), addresses.end(), [](const auto& a, const auto& b) {
      return ipLess(a.second["ip"], b.second["ip"]);
    });
    json subset = json::object();
    for (auto& [ready, address] : addresses) {
      subset[ready ? "addresses" : "notReadyAddresses"].push_back(std::move(address));
    }
    if (!group.first.empty()) {
      subset["ports"] = group.first;
    }
    subsets.push_back(std::move(subset));
  }
  json endpoints = {{"apiVersion", "v1"}, {"kind", "Endpoints"}, {"metadata", metadata}};
  if (!subsets.empty()) {
    endpoints["subsets"] = std::move(subsets);
  }
  return endpoints;
}

std::vector<SliceContent> desiredSlices(const json& service, const std::vector<json>& pods,
                                        size_t maxPerSlice) {
  std::map<std::string, SliceContent> byPorts;
  std::vector<std::string> order;
  for (const PodEndpoint& e : podEndpoints(service, pods, false)) {
    json ports = sortedPorts(e.ports);
    std::string key = ports.dump();
    if (!byPorts.count(key)) {
      order.push_back(key);
    }
    SliceContent& s = byPorts[key];
    s.ports = ports;
    json endpoint = {{"addresses", {e.ip}},
                     {"conditions",
                      {{"ready", e.ready}, {"serving", e.serving}, {"terminating", e.terminating}}},
                     {"targetRef", e.targetRef}};
    if (!e.nodeName.empty()) {
      endpoint["nodeName"] = e.nodeName;
    }
    if (!e.hostname.empty()) {
      endpoint["hostname"] = e.hostname;
    }
    s.endpoints.push_back(std::move(endpoint));
  }
  std::vector<SliceContent> slices;
  for (const std::string& key : order) {
    SliceContent& all = byPorts[key];
    for (size_t i = 0; i < all.endpoints.size(); i += maxPerSlice) {
      SliceContent part;
      part.ports = all.ports;
      for (size_t j = i; j < std::min(all.endpoints.size(), i + maxPerSlice); ++j) {
        part.endpoints.push_back(all.endpoints[j]);
      }
      slices.push_back(std::move(part));
    }
  }
  if (slices.empty()) {
    slices.emplace_back();  // a placeholder, so that readers see the Service has none
  }
  return slices;
}

json sliceLabels(const json& service) {
  json labels = field(field(service, "metadata"), "labels");
  if (!labels.is_object()) {
    labels = json::object();
  }
  labels[kServiceName] = meta(service, "name");
  labels[kManagedBy] = kManager;
  if (headless(service)) {
    labels[kHeadless] = "";
  }
  return labels;
}

}  // namespace tug::controllers::endpoints
