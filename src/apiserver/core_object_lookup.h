#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "api/resource_registry.h"
#include "common/status.h"
#include "store/store.h"

// Reading a few core/v1 objects by name, for the API server's own checks (service-account
// tokens name the service account, pod, secret or node they belong to). A seam so that those
// checks can be tested without a store.
namespace tug::apiserver {

class CoreObjectLookup {
 public:
  virtual ~CoreObjectLookup() = default;
  // The object of core/v1 `resource` ("serviceaccounts", "pods", "secrets", "nodes") named
  // `name` in `ns` ("" for nodes). NotFound with upstream's message (`pods "x" not found`) when
  // it does not exist; other errors as the store reports them. Thread-safe.
  virtual Result<nlohmann::json> get(std::string_view resource, std::string_view ns,
                                     std::string_view name) const = 0;
};

// Reads the store directly, without the verbs' admission or authorization: the server asking
// itself. `store` and `registry` must outlive it.
class StoreObjectLookup : public CoreObjectLookup {
 public:
  StoreObjectLookup(store::Store& store, const api::ResourceRegistry& registry)
      : store_(store), registry_(registry) {}

  Result<nlohmann::json> get(std::string_view resource, std::string_view ns,
                             std::string_view name) const override;

 private:
  store::Store& store_;
  const api::ResourceRegistry& registry_;
};

}  // namespace tug::apiserver
