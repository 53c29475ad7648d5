#include "api/quota/pod_resources.h"

#include "api/json_member.h"

namespace tug::api::quota {
namespace {

// For each name, the larger of the two.
void keepMax(ResourceList& into, const ResourceList& other) {
  for (const auto& [name, amount] : other) {
    auto it = into.find(name);
    if (it == into.end() || it->second.quantity < amount.quantity) {
      into[name] = amount;
    }
  }
}

}  // namespace

ResourceList containerResources(const nlohmann::json& container, std::string_view which) {
  return resourceListFrom(member(member(container, "resources"), which));
}

ResourceList podResources(const nlohmann::json& pod, std::string_view which, bool withOverhead) {
  const nlohmann::json& spec = member(pod, "spec");
  ResourceList sum;
  const nlohmann::json& containers = member(spec, "containers");
  if (containers.is_array()) {
    for (const auto& c : containers) {
      sum = add(sum, containerResources(c, which));
    }
  }
  ResourceList sidecars, initPeak;
  const nlohmann::json& inits = member(spec, "initContainers");
  if (inits.is_array()) {
    for (const auto& c : inits) {
      ResourceList own = containerResources(c, which);
      const nlohmann::json& policy = member(c, "restartPolicy");
      if (policy.is_string() && policy.get<std::string>() == "Always") {
        sidecars = add(sidecars, own);
        keepMax(initPeak, sidecars);
      } else {
        keepMax(initPeak, add(own, sidecars));
      }
    }
  }
  ResourceList total = add(sum, sidecars);
  keepMax(total, initPeak);
  if (withOverhead) {
    // Overhead adds to every request, but only to the limits that are set.
    ResourceList overhead = resourceListFrom(member(spec, "overhead"));
    total = add(total, which == "limits" ? mask(overhead, namesOf(total)) : overhead);
  }
  return total;
}

bool isBestEffort(const nlohmann::json& pod) {
  const nlohmann::json& spec = member(pod, "spec");
  for (const char* list : {"containers", "initContainers"}) {
    const nlohmann::json& containers = member(spec, list);
    if (!containers.is_array()) {
      continue;
    }
    for (const auto& c : containers) {
      for (const char* which : {"requests", "limits"}) {
        ResourceList r = containerResources(c, which);
        for (const char* name : {"cpu", "memory"}) {
          auto it = r.find(name);
          if (it != r.end() && Quantity() < it->second.quantity) {
            return false;
          }
        }
      }
    }
  }
  return true;
}

}  // namespace tug::api::quota
