#pragma once

#include <string>

// Request bodies for the API benchmark, as JSON text.
namespace tug::bench {

// A ConfigMap named `name` with about `dataBytes` bytes of data in four keys.
std::string configMapJson(const std::string& name, size_t dataBytes = 1024);

// A pod as a ReplicaSet's controller and a kubelet leave it (labels, an owner reference, two
// containers with resources, env, ports, probes and volume mounts, tolerations, and a running
// status): about 2.5 KiB of JSON, the size a LIST of real pods carries per item. `index` makes
// its name, uid, IPs and container ids unique.
std::string podJson(int index);

}  // namespace tug::bench
