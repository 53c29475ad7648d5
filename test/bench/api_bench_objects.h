#pragma once

#include <string>

// Request bodies for the API benchmark, as JSON text.
namespace tug::bench {

// A ConfigMap named `name` with about `dataBytes` bytes of data in four keys.
std::string configMapJson(const std::string& name, size_t dataBytes = 1024);

// A pod as a ReplicaSet's controller and a kubelet leave it: labels, an owner reference, two
// containers (resources, env, volume mounts; the first also a port and two probes), volumes,
// tolerations, and a running status with conditions and container statuses. About 3 KiB of
// JSON, what a LIST of real pods carries per item. `index` makes its name, IPs and container
// ids unique.
std::string podJson(int index);

}  // namespace tug::bench
