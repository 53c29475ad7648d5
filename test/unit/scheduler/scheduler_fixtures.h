#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "scheduler/node_info.h"
#include "scheduler/pod_info.h"

// Plain Node and Pod objects for the scheduler's tests, as the API serves them.
namespace tug::scheduler::testing {

inline json node(const std::string& name, const std::string& cpu = "4",
                 const std::string& memory = "8Gi", json labels = json::object(),
                 int pods = 110) {
  labels["kubernetes.io/hostname"] = name;
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata", {{"name", name}, {"labels", labels}}},
          {"spec", json::object()},
          {"status",
           {{"allocatable", {{"cpu", cpu}, {"memory", memory}, {"pods", std::to_string(pods)}}},
            {"capacity", {{"cpu", cpu}, {"memory", memory}, {"pods", std::to_string(pods)}}},
            {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}};
}

inline json pod(const std::string& name, const std::string& cpu = "",
                const std::string& memory = "", json labels = json::object()) {
  json requests = json::object();
  if (!cpu.empty()) {
    requests["cpu"] = cpu;
  }
  if (!memory.empty()) {
    requests["memory"] = memory;
  }
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata",
           {{"name", name}, {"namespace", "default"}, {"uid", "uid-" + name}, {"labels", labels}}},
          {"spec",
           {{"containers",
             {{{"name", "c"}, {"image", "nginx"}, {"resources", {{"requests", requests}}}}}}}}};
}

// A node with pods already on it.
inline NodeInfoPtr nodeWith(json n, std::initializer_list<json> pods = {}) {
  auto info = std::make_shared<NodeInfo>(makeNodeInfo(std::move(n)));
  for (json p : pods) {
    p["spec"]["nodeName"] = info->name;
    info->addPod(makePodInfo(std::move(p)));
  }
  return info;
}

}  // namespace tug::scheduler::testing
