#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "api/resource_registry.h"

// The resources the API serves right now: the built-in ones plus those of established
// CustomResourceDefinitions. Each request takes a snapshot and uses it throughout, so a CRD
// change never pulls a ResourceInfo from under a running request or an open watch.
namespace tug::apiserver {

class ApiCatalog {
 public:
  // `builtin` must outlive the catalog.
  explicit ApiCatalog(const api::ResourceRegistry& builtin);

  std::shared_ptr<const api::ResourceRegistry> snapshot() const;
  // Serves `custom` next to the built-in resources from now on (replacing the custom ones
  // served before) and returns the new snapshot. Thread-safe.
  std::shared_ptr<const api::ResourceRegistry> setCustom(
      std::vector<std::unique_ptr<api::ResourceInfo>> custom);

 private:
  const api::ResourceRegistry& builtin_;
  mutable std::mutex mu_;
  std::shared_ptr<const api::ResourceRegistry> current_;
};

}  // namespace tug::apiserver
