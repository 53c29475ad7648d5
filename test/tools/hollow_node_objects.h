#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

// What a kubelet writes, built for a hollow node (a node without containers): the Node it
// registers, its Lease in kube-node-lease, and the status of a pod it "runs". Pure functions.
namespace tug::hollow {

using json = nlohmann::json;
using TimePoint = std::chrono::system_clock::time_point;

struct NodeShape {
  std::string cpu = "4";
  std::string memory = "16Gi";
  std::string pods = "110";
  std::string ephemeralStorage = "100Gi";
};

// Node `index` of a hollow fleet: podCIDR 10.(128 + index / 256).(index % 256).0/24 and
// InternalIP 172.(16 + index / 65536).(index / 256 % 256).(index % 256), never routed.
std::string podCidr(int index);
std::string nodeIp(int index);
// The pod address number `n` (from 0) hands out on node `index`: .2 to .254 in turn.
std::string podIp(int index, int n);

json nodeObject(const std::string& name, int index);
// status: capacity, allocatable, the four kubelet conditions (Ready True), addresses, daemon
// endpoints and nodeInfo; `heartbeat` is every condition's lastHeartbeatTime, `since` its
// lastTransitionTime.
json nodeStatus(const std::string& name, int index, const NodeShape& shape, TimePoint heartbeat,
                TimePoint since);
json leaseObject(const std::string& nodeName, const std::string& nodeUid, TimePoint renew);
// metav1.MicroTime: RFC 3339 with microseconds.
std::string microTime(TimePoint t);
std::string formatTime(TimePoint t);

// The status a kubelet reports for a pod whose containers all started: Running, the
// PodReadyToStartContainers, Initialized, Ready, ContainersReady and PodScheduled conditions
// (True), host and pod IPs, startTime, a running, ready, started status per container and a
// completed one per init container.
json runningPodStatus(const json& pod, const std::string& hostIp, const std::string& podIp,
                      TimePoint now);

// The status of a pod whose containers all exited with `exitCode` at `now`: Succeeded (0) or
// Failed, Ready and ContainersReady False (reason PodCompleted), and each container
// terminated (reason Completed or Error) since the pod's start.
json finishedPodStatus(const json& pod, int exitCode, TimePoint now);

}  // namespace tug::hollow
