#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "apiserver/resource_verbs.h"
#include "apiserver/service_ranges.h"
#include "store/store.h"

// Cluster IPs and node ports for Services, handed out by the API server as the object is
// written (so the reply to a create already carries them), as upstream's service registry does.
//
// Each address or port in use has a claim in the store (/registry/ranges/serviceips/<ip>,
// /registry/ranges/servicenodeports/<port>) naming the Service that holds it. A store create
// is the atomic step: two Services can never hold one value. Claims are released when their
// Service is deleted or stops using them; a claim left behind by a write that never landed
// (a crash between claim and write) is taken over once its holder is seen not to use it.
namespace tug::apiserver {

class ServiceAllocation {
 public:
  ServiceAllocation(store::Store& store, const ServiceRanges& ranges)
      : store_(store), ranges_(ranges) {}

  // Fills in what `svc` needs and does not ask for (clusterIP/clusterIPs, each port's
  // nodePort, healthCheckNodePort) and claims everything it uses that `old` (the stored
  // version, nullptr on create) did not hold. A value out of range or held by another
  // Service is upstream's 422. With `dryRun`, values are checked and chosen but not claimed.
  // On error nothing stays claimed.
  std::optional<Reply> allocate(nlohmann::json& svc, const nlohmann::json* old, bool dryRun);

  // After a write of `now` replacing `before` landed (`now` nullptr: deleted), the values
  // `before` held and `now` does not are released. After a failed write, pass the object
  // that was to be written as `before` and the stored one (or nullptr) as `now`.
  void release(const nlohmann::json& before, const nlohmann::json* now);

 private:
  // Claims a key for the Service being written (or, in a dry run, checks it could).
  using Claim = std::function<Status(const std::string& key, bool heldBefore)>;
  std::optional<std::string> chooseIp(const Claim& claim) const;
  std::optional<int64_t> choosePort(const std::set<int64_t>& taken, const Claim& claim) const;

  store::Store& store_;
  const ServiceRanges ranges_;
};

// Whether a verb must run the allocation for this resource (core/v1 services).
bool allocatesServiceAddresses(const api::ResourceInfo& info);

}  // namespace tug::apiserver
