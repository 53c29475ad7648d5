#include "apiserver/api_catalog.h"

namespace tug::apiserver {

ApiCatalog::ApiCatalog(const api::ResourceRegistry& builtin)
    // Aliasing constructor without an owner: the built-in registry lives as long as we do.
    : builtin_(builtin), current_(std::shared_ptr<const api::ResourceRegistry>(), &builtin) {}

std::shared_ptr<const api::ResourceRegistry> ApiCatalog::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

std::shared_ptr<const api::ResourceRegistry> ApiCatalog::setCustom(
    std::vector<std::unique_ptr<api::ResourceInfo>> custom) {
  std::shared_ptr<const api::ResourceRegistry> next =
      api::ResourceRegistry::withCustom(builtin_, std::move(custom));
  std::lock_guard<std::mutex> lock(mu_);
  current_ = next;
  return next;
}

}  // namespace tug::apiserver
