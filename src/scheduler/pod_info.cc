#include "scheduler/pod_info.h"

#include <algorithm>

#include "api/quantity.h"

namespace tug::scheduler {
namespace {

// Requests of one container; limits stand in for missing requests, as defaulting sets them.
Resources containerRequests(const json& container, bool nonZero) {
  const json& resources = memberObject(container, "resources");
  json requests = memberObject(resources, "requests");
  if (!requests.is_object()) {
    requests = json::object();
  }
  const json& limits = memberObject(resources, "limits");
  if (limits.is_object()) {
    for (auto& [k, v] : limits.items()) {
      if (!requests.contains(k)) {
        requests[k] = v;
      }
    }
  }
  Resources r = resourcesOf(requests);
  if (nonZero) {
    if (!requests.contains("cpu")) {
      r.milliCpu = kDefaultMilliCpuRequest;
    }
    if (!requests.contains("memory")) {
      r.memory = kDefaultMemoryRequest;
    }
  }
  return r;
}

}  // namespace

void Resources::add(const Resources& o) {
  milliCpu += o.milliCpu;
  memory += o.memory;
  ephemeralStorage += o.ephemeralStorage;
  for (const auto& [k, v] : o.scalar) {
    scalar[k] += v;
  }
}

void Resources::subtract(const Resources& o) {
  milliCpu -= o.milliCpu;
  memory -= o.memory;
  ephemeralStorage -= o.ephemeralStorage;
  for (const auto& [k, v] : o.scalar) {
    scalar[k] -= v;
  }
}

void Resources::takeMax(const Resources& o) {
  milliCpu = std::max(milliCpu, o.milliCpu);
  memory = std::max(memory, o.memory);
  ephemeralStorage = std::max(ephemeralStorage, o.ephemeralStorage);
  for (const auto& [k, v] : o.scalar) {
    scalar[k] = std::max(scalar[k], v);
  }
}

bool Resources::isZero() const {
  return milliCpu == 0 && memory == 0 && ephemeralStorage == 0 &&
         std::all_of(scalar.begin(), scalar.end(), [](const auto& e) { return e.second == 0; });
}

int64_t Resources::get(const std::string& name) const {
  if (name == "cpu") {
    return milliCpu;
  }
  if (name == "memory") {
    return memory;
  }
  if (name == "ephemeral-storage") {
    return ephemeralStorage;
  }
  auto it = scalar.find(name);
  return it == scalar.end() ? 0 : it->second;
}

Resources resourcesOf(const json& list) {
  Resources r;
  if (!list.is_object()) {
    return r;
  }
  for (auto& [name, value] : list.items()) {
    auto q = api::quantityFromJson(value);
    if (!q.ok()) {
      continue;
    }
    if (name == "cpu") {
      r.milliCpu = q->milliValue();
    } else if (name == "memory") {
      r.memory = q->value();
    } else if (name == "ephemeral-storage") {
      r.ephemeralStorage = q->value();
    } else if (name != "pods") {
      r.scalar[name] = q->value();
    }
  }
  return r;
}

Resources podRequests(const json& pod, bool nonZero) {
  const json& spec = memberObject(pod, "spec");
  Resources total;
  const json& containers = memberObject(spec, "containers");
  if (containers.is_array()) {
    for (const json& c : containers) {
      total.add(containerRequests(c, nonZero));
    }
  }
  // Sidecars (restartable init containers) run beside everything started after them; a plain
  // init container runs alone with the sidecars started before it.
  Resources sidecars, initPeak;
  const json& inits = memberObject(spec, "initContainers");
  if (inits.is_array()) {
    for (const json& c : inits) {
      Resources r = containerRequests(c, nonZero);
      if (c.is_object() && c.value("restartPolicy", "") == "Always") {
        total.add(r);
        sidecars.add(r);
        initPeak.takeMax(sidecars);
      } else {
        r.add(sidecars);
        initPeak.takeMax(r);
      }
    }
  }
  total.takeMax(initPeak);
  total.add(resourcesOf(memberObject(spec, "overhead")));
  return total;
}

bool HostPort::conflicts(const HostPort& o) const {
  return port == o.port && protocol == o.protocol &&
         (ip == o.ip || ip == "0.0.0.0" || o.ip == "0.0.0.0");
}

std::vector<HostPort> hostPorts(const json& pod) {
  std::vector<HostPort> out;
  const json& containers = memberObject(memberObject(pod, "spec"), "containers");
  if (!containers.is_array()) {
    return out;
  }
  for (const json& c : containers) {
    const json& ports = memberObject(c, "ports");
    if (!ports.is_array()) {
      continue;
    }
    for (const json& p : ports) {
      int hostPort = p.is_object() ? p.value("hostPort", 0) : 0;
      if (hostPort <= 0) {
        continue;
      }
      std::string ip = p.value("hostIP", "");
      out.push_back(HostPort{ip.empty() ? "0.0.0.0" : ip, p.value("protocol", "TCP"), hostPort});
    }
  }
  return out;
}

const json& PodInfo::labels() const {
  return memberObject(memberObject(pod, "metadata"), "labels");
}

const json& PodInfo::spec() const { return memberObject(pod, "spec"); }

PodInfoPtr makePodInfo(json pod) {
  auto info = std::make_shared<PodInfo>();
  const json& meta = memberObject(pod, "metadata");
  info->ns = meta.value("namespace", "");
  info->name = meta.value("name", "");
  info->uid = meta.value("uid", "");
  info->key = info->ns + "/" + info->name;
  const json& spec = memberObject(pod, "spec");
  info->nodeName = spec.value("nodeName", "");
  info->requests = podRequests(pod);
  info->nonZeroRequests = podRequests(pod, true);
  info->ports = hostPorts(pod);
  if (auto p = spec.find("priority"); p != spec.end() && p->is_number_integer()) {
    info->priority = p->get<int32_t>();
  }
  const json& affinity = memberObject(spec, "affinity");
  const json& anti = memberObject(affinity, "podAntiAffinity");
  info->hasRequiredAntiAffinity =
      memberObject(anti, "requiredDuringSchedulingIgnoredDuringExecution").is_array();
  info->hasAffinity = !memberObject(affinity, "podAffinity").empty() || !anti.empty();
  info->pod = std::move(pod);
  return info;
}

}  // namespace tug::scheduler
