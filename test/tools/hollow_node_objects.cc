#include "hollow_node_objects.h"
#include "common/rfc3339.h"

#include <ctime>

namespace tug::hollow {
namespace {

std::string hex64(const std::string& seed) {
  // A stable, container-id-looking digest of `seed` (FNV-1a, repeated): 64 hex characters.
  std::string out;
  uint64_t h = 1469598103934665603ull;
  for (int round = 0; round < 4; ++round) {
    for (unsigned char c : seed + std::to_string(round)) {
      h ^= c;
      h *= 1099511628211ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    out += buf;
  }
  return out;
}

json condition(const char* type, const char* status, const char* reason, const char* message,
               const std::string& heartbeat, const std::string& since) {
  return {{"type", type},
          {"status", status},
          {"lastHeartbeatTime", heartbeat},
          {"lastTransitionTime", since},
          {"reason", reason},
          {"message", message}};
}

json containerStatuses(const json& containers, const std::string& podUid, const std::string& now,
                       bool init) {
  json out = json::array();
  if (!containers.is_array()) {
    return out;
  }
  for (const json& c : containers) {
    const std::string name = c.value("name", "");
    const std::string image = c.value("image", "");
    json s = {{"name", name},
              {"image", image},
              {"imageID", "docker.io/library/" + image + "@sha256:" + hex64(image)},
              {"containerID", "containerd://" + hex64(podUid + "/" + name)},
              {"restartCount", 0},
              {"lastState", json::object()}};
    if (init) {
      s["state"] = {{"terminated",
                     {{"exitCode", 0},
                      {"reason", "Completed"},
                      {"startedAt", now},
                      {"finishedAt", now},
                      {"containerID", s["containerID"]}}}};
      s["ready"] = true;
      s["started"] = false;
    } else {
      s["state"] = {{"running", {{"startedAt", now}}}};
      s["ready"] = true;
      s["started"] = true;
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::string formatTime(TimePoint t) { return formatRfc3339(t); }

std::string microTime(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    t - std::chrono::system_clock::from_time_t(secs))
                    .count();
  if (micros < 0) {  // times before the epoch's second boundary do not occur here
    micros = 0;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[48];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%06lldZ", static_cast<long long>(micros));
  return std::string(buf) + frac;
}

std::string podCidr(int index) {
  return "10." + std::to_string(128 + index / 256) + "." + std::to_string(index % 256) + ".0/24";
}

std::string nodeIp(int index) {
  return "172." + std::to_string(16 + index / 65536) + "." + std::to_string(index / 256 % 256) +
         "." + std::to_string(index % 256);
}

std::string podIp(int index, int n) {
  return "10." + std::to_string(128 + index / 256) + "." + std::to_string(index % 256) + "." +
         std::to_string(2 + n % 253);
}

json nodeObject(const std::string& name, int index) {
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata",
           {{"name", name},
            {"labels",
             {{"kubernetes.io/hostname", name},
              {"kubernetes.io/os", "linux"},
              {"kubernetes.io/arch", "amd64"},
              {"beta.kubernetes.io/os", "linux"},
              {"beta.kubernetes.io/arch", "amd64"}}},
            {"annotations",
             {{"node.alpha.kubernetes.io/ttl", "0"},
              {"volumes.kubernetes.io/controller-managed-attach-detach", "true"}}}}},
          {"spec", {{"podCIDR", podCidr(index)}, {"podCIDRs", json::array({podCidr(index)})}}}};
}

json nodeStatus(const std::string& name, int index, const NodeShape& shape, TimePoint heartbeat,
                TimePoint since) {
  const std::string hb = formatTime(heartbeat), tr = formatTime(since);
  json resources = {{"cpu", shape.cpu},
                    {"memory", shape.memory},
                    {"pods", shape.pods},
                    {"ephemeral-storage", shape.ephemeralStorage}};
  return {
      {"capacity", resources},
      {"allocatable", resources},
      {"conditions",
       json::array(
           {condition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                      "kubelet has sufficient memory available", hb, tr),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure",
                      "kubelet has no disk pressure", hb, tr),
            condition("PIDPressure", "False", "KubeletHasSufficientPID",
                      "kubelet has sufficient PID available", hb, tr),
            condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", hb, tr)})},
      {"addresses", json::array({{{"type", "InternalIP"}, {"address", nodeIp(index)}},
                                 {{"type", "Hostname"}, {"address", name}}})},
      {"daemonEndpoints", {{"kubeletEndpoint", {{"Port", 10250}}}}},
      {"nodeInfo",
       {{"machineID", hex64(name).substr(0, 32)},
        {"systemUUID", hex64("uuid" + name).substr(0, 32)},
        {"bootID", hex64("boot" + name).substr(0, 32)},
        {"kernelVersion", "6.1.0-hollow"},
        {"osImage", "Hollow Node"},
        {"containerRuntimeVersion", "hollow://1.0.0"},
        {"kubeletVersion", "v1.31.0"},
        {"kubeProxyVersion", "v1.31.0"},
        {"operatingSystem", "linux"},
        {"architecture", "amd64"}}}};
}

json leaseObject(const std::string& nodeName, const std::string& nodeUid, TimePoint renew) {
  json meta = {{"name", nodeName}, {"namespace", "kube-node-lease"}};
  if (!nodeUid.empty()) {
    meta["ownerReferences"] = json::array(
        {{{"apiVersion", "v1"}, {"kind", "Node"}, {"name", nodeName}, {"uid", nodeUid}}});
  }
  return {{"apiVersion", "coordination.k8s.io/v1"},
          {"kind", "Lease"},
          {"metadata", meta},
          {"spec",
           {{"holderIdentity", nodeName},
            {"leaseDurationSeconds", 40},
            {"renewTime", microTime(renew)}}}};
}

json runningPodStatus(const json& pod, const std::string& hostIp, const std::string& podIp,
                      TimePoint now) {
  const std::string t = formatTime(now);
  const json spec = pod.value("spec", json::object());
  const json meta = pod.value("metadata", json::object());
  const std::string uid = meta.value("uid", "");
  json conditions = json::array();
  for (const char* type : {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"}) {
    conditions.push_back(
        {{"type", type}, {"status", "True"}, {"lastProbeTime", nullptr}, {"lastTransitionTime", t}});
  }
  // The scheduler's PodScheduled stays as it wrote it; a pod created on the node gets one.
  json scheduled = {{"type", "PodScheduled"}, {"status", "True"}, {"lastProbeTime", nullptr},
                    {"lastTransitionTime", t}};
  const json old = pod.value("status", json::object()).value("conditions", json::array());
  for (const json& c : old) {
    if (c.is_object() && c.value("type", "") == "PodScheduled") {
      scheduled = c;
    }
  }
  conditions.push_back(scheduled);
  json status = {{"phase", "Running"},
                 {"conditions", conditions},
                 {"hostIP", hostIp},
                 {"hostIPs", json::array({{{"ip", hostIp}}})},
                 {"podIP", podIp},
                 {"podIPs", json::array({{{"ip", podIp}}})},
                 {"startTime", t},
                 {"containerStatuses",
                  containerStatuses(spec.value("containers", json::array()), uid, t, false)}};
  if (spec.contains("initContainers")) {
    status["initContainerStatuses"] =
        containerStatuses(spec.value("initContainers", json::array()), uid, t, true);
  }
  return status;
}

json finishedPodStatus(const json& pod, int exitCode, TimePoint now) {
  const std::string t = formatTime(now);
  json status = pod.value("status", json::object());
  const std::string started = status.value("startTime", t);
  json conditions = json::array();
  for (json c : status.value("conditions", json::array())) {
    const std::string type = c.value("type", "");
    if (type == "Ready" || type == "ContainersReady" || type == "PodReadyToStartContainers") {
      c["status"] = "False";
      c["lastTransitionTime"] = t;
      if (type != "PodReadyToStartContainers") {
        c["reason"] = "PodCompleted";
      }
    }
    conditions.push_back(c);
  }
  json containers = json::array();
  for (json c : status.value("containerStatuses", json::array())) {
    c["ready"] = false;
    c["started"] = false;
    c["state"] = {{"terminated",
                   {{"exitCode", exitCode},
                    {"reason", exitCode == 0 ? "Completed" : "Error"},
                    {"startedAt", started},
                    {"finishedAt", t},
                    {"containerID", c.value("containerID", "")}}}};
    containers.push_back(c);
  }
  status["phase"] = exitCode == 0 ? "Succeeded" : "Failed";
  status["conditions"] = conditions;
  status["containerStatuses"] = containers;
  return status;
}

}  // namespace tug::hollow
