#include "bench/api_bench_objects.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace tug::bench {
namespace {

using nlohmann::json;

constexpr const char* kTemplateHash = "5d8f7c9b6d";
constexpr const char* kAppImage = "registry.example.com/shop/web:1.4.2";
constexpr const char* kSidecarImage = "registry.example.com/infra/log-shipper:2.9.0";

// A UUID-shaped string made from `n` (objects need distinct uids, not random ones).
std::string uidFor(unsigned n, unsigned salt) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-a%03x-%012x", n * 2654435761u, salt & 0xffff,
                n & 0xfff, salt & 0xfff, n ^ 0x5bd1e995u);
  return buf;
}

// A container id or image digest: 64 hex digits derived from `n` and `salt`.
std::string hex64(unsigned n, unsigned salt) {
  std::string out;
  unsigned x = n * 2246822519u + salt * 3266489917u + 1;
  while (out.size() < 64) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    char part[9];
    std::snprintf(part, sizeof part, "%08x", x);
    out += part;
  }
  return out;
}

json probe(const char* path, int port, int delay) {
  return {{"httpGet", {{"path", path}, {"port", port}}},
          {"initialDelaySeconds", delay},
          {"periodSeconds", 10}};
}

// The application container: a port, env, both probes, resources and two volume mounts.
json appContainer(const std::string& image) {
  return {
      {"name", "web"},
      {"image", image},
      {"imagePullPolicy", "IfNotPresent"},
      {"ports", json::array({{{"name", "http"}, {"containerPort", 8080}, {"protocol", "TCP"}}})},
      {"env", json::array({{{"name", "LOG_LEVEL"}, {"value", "info"}}})},
      {"resources",
       {{"requests", {{"cpu", "100m"}, {"memory", "128Mi"}}},
        {"limits", {{"cpu", "500m"}, {"memory", "256Mi"}}}}},
      {"livenessProbe", probe("/healthz", 8080, 10)},
      {"readinessProbe", probe("/ready", 8080, 2)},
      {"volumeMounts", json::array({{{"name", "config"}, {"mountPath", "/etc/web"}},
                                    {{"name", "tmp"}, {"mountPath", "/tmp"}}})}};
}

// A log-shipping sidecar, smaller as sidecars are.
json sidecarContainer(const std::string& image) {
  return {{"name", "log-shipper"},
          {"image", image},
          {"env", json::array({{{"name", "TARGET"}, {"value", "logs.example.com:24224"}}})},
          {"resources", {{"requests", {{"cpu", "20m"}, {"memory", "32Mi"}}}}},
          {"volumeMounts", json::array({{{"name", "tmp"}, {"mountPath", "/tmp"}}})}};
}

json containerStatus(const std::string& name, const std::string& image, unsigned n, unsigned salt) {
  return {{"name", name},
          {"state", {{"running", {{"startedAt", "2025-03-01T10:00:05Z"}}}}},
          {"ready", true},
          {"restartCount", 0},
          {"image", image},
          {"imageID", "sha256:" + hex64(salt, 7)},
          {"containerID", "containerd://" + hex64(n, salt)},
          {"started", true}};
}

json condition(const char* type, const char* time) {
  return {
      {"type", type}, {"status", "True"}, {"lastProbeTime", nullptr}, {"lastTransitionTime", time}};
}

}  // namespace

std::string configMapJson(const std::string& name, size_t dataBytes) {
  json data = json::object();
  constexpr int kKeys = 4;
  for (int k = 0; k < kKeys; ++k) {
    data["key-" + std::to_string(k)] = std::string(dataBytes / kKeys, static_cast<char>('a' + k));
  }
  json cm = {{"apiVersion", "v1"},
             {"kind", "ConfigMap"},
             {"metadata", {{"name", name}, {"labels", {{"app", "bench"}}}}},
             {"data", std::move(data)}};
  return cm.dump();
}

std::string podName(int index) {
  char name[32];
  std::snprintf(name, sizeof name, "web-%s-%05x", kTemplateHash, static_cast<unsigned>(index));
  return name;
}

std::string podJson(int index) {
  const auto n = static_cast<unsigned>(index);
  const std::string hash = kTemplateHash;
  json toleration = {{"operator", "Exists"}, {"effect", "NoExecute"}, {"tolerationSeconds", 300}};
  json notReady = toleration, unreachable = toleration;
  notReady["key"] = "node.kubernetes.io/not-ready";
  unreachable["key"] = "node.kubernetes.io/unreachable";
  json pod = {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata",
       {{"name", podName(index)},
        {"labels", {{"app", "web"}, {"tier", "frontend"}, {"pod-template-hash", hash}}},
        {"ownerReferences", json::array({{{"apiVersion", "apps/v1"},
                                          {"kind", "ReplicaSet"},
                                          {"name", "web-" + hash},
                                          {"uid", uidFor(7, 7)},
                                          {"controller", true},
                                          {"blockOwnerDeletion", true}}})}}},
      {"spec",
       {{"containers", json::array({appContainer(kAppImage), sidecarContainer(kSidecarImage)})},
        {"volumes", json::array({{{"name", "config"},
                                  {"configMap", {{"name", "web-config"}, {"defaultMode", 420}}}},
                                 {{"name", "tmp"}, {"emptyDir", json::object()}}})},
        {"restartPolicy", "Always"},
        {"terminationGracePeriodSeconds", 30},
        {"dnsPolicy", "ClusterFirst"},
        {"serviceAccountName", "default"},
        {"nodeName", "node-" + std::to_string(n % 8)},
        {"schedulerName", "default-scheduler"},
        {"tolerations", json::array({notReady, unreachable})},
        {"priority", 0}}}};
  return pod.dump();
}

std::string podStatusPatch(int index) {
  const auto n = static_cast<unsigned>(index);
  const std::string ip =
      "10.42." + std::to_string(n / 250 % 250) + "." + std::to_string(n % 250 + 2);
  json patch = {
      {"status",
       {{"phase", "Running"},
        {"conditions", json::array({condition("Initialized", "2025-03-01T10:00:01Z"),
                                    condition("Ready", "2025-03-01T10:00:09Z"),
                                    condition("ContainersReady", "2025-03-01T10:00:09Z"),
                                    condition("PodScheduled", "2025-03-01T10:00:00Z")})},
        {"hostIP", "192.168.1." + std::to_string(10 + n % 8)},
        {"podIP", ip},
        {"podIPs", json::array({{{"ip", ip}}})},
        {"startTime", "2025-03-01T10:00:01Z"},
        {"containerStatuses", json::array({containerStatus("web", kAppImage, n, 1),
                                           containerStatus("log-shipper", kSidecarImage, n, 2)})},
        {"qosClass", "Burstable"}}}};
  return patch.dump();
}

}  // namespace tug::bench
