#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/json_member.h"

// What the scheduler reads from a pod, computed once when the pod is seen: its requests as
// upstream computes them, its host ports, its priority.
namespace tug::scheduler {

using json = nlohmann::json;

// Amounts of resources: cpu in milli-cores, everything else in whole units (bytes, devices).
struct Resources {
  int64_t milliCpu = 0;
  int64_t memory = 0;
  int64_t ephemeralStorage = 0;
  std::map<std::string, int64_t> scalar;  // extended resources, hugepages-*, ...

  void add(const Resources& o);
  void subtract(const Resources& o);
  // Each resource the larger of the two.
  void takeMax(const Resources& o);
  bool isZero() const;
  int64_t get(const std::string& name) const;
};

// obj[name] when obj is an object that has it (and it is not null); an empty object otherwise.
using api::memberObject;

// A resource list ({"cpu": "500m", "memory": "1Gi"}). Quantities that do not parse count as
// zero (validation refuses them before they are stored).
Resources resourcesOf(const json& list);

// Requests scoring assumes for containers that set none (upstream's 100m and 200Mi).
constexpr int64_t kDefaultMilliCpuRequest = 100;
constexpr int64_t kDefaultMemoryRequest = 200 * 1024 * 1024;

// The pod's effective requests: the sum of its containers (and restartable init containers),
// or the largest init container step when that is more, plus spec.overhead. A container's
// limit stands for its request when only the limit is given. `nonZero`: containers without a
// cpu or memory request count upstream's defaults instead (for scoring).
Resources podRequests(const json& pod, bool nonZero = false);

struct HostPort {
  std::string ip;        // "0.0.0.0" when unset
  std::string protocol;  // TCP when unset
  int port = 0;
  // The same port of one protocol, on the same address or either on all addresses.
  bool conflicts(const HostPort& o) const;
};
std::vector<HostPort> hostPorts(const json& pod);

struct PodInfo {
  json pod;
  std::string ns, name, uid;
  std::string key;  // "<ns>/<name>"
  std::string nodeName;
  Resources requests, nonZeroRequests;
  std::vector<HostPort> ports;
  int32_t priority = 0;
  bool hasRequiredAntiAffinity = false;
  bool hasAffinity = false;  // any pod affinity or anti-affinity, required or preferred

  const json& labels() const;
  const json& spec() const;
};
using PodInfoPtr = std::shared_ptr<const PodInfo>;

PodInfoPtr makePodInfo(json pod);

}  // namespace tug::scheduler
