#pragma once

#include <string>

// Request bodies for the API benchmark, as JSON text.
namespace tug::bench {

// A ConfigMap named `name` with about `dataBytes` bytes of data in four keys.
std::string configMapJson(const std::string& name, size_t dataBytes = 1024);

// Pods as a ReplicaSet's controller creates them and a kubelet then reports them, together
// about 3 KiB of JSON, what a LIST of real pods carries per item; `index` makes the name, the
// IPs and the container ids unique. The pod: labels, an owner reference, two containers
// (resources, env, volume mounts; the first also a port and two probes), volumes, tolerations.
std::string podName(int index);
std::string podJson(int index);
// A merge patch for the pod's /status: running, with conditions and container statuses.
std::string podStatusPatch(int index);

}  // namespace tug::bench
