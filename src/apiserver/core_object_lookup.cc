#include "apiserver/core_object_lookup.h"

#include "apiserver/object_meta.h"
#include "apiserver/resource_errors.h"

namespace tug::apiserver {

Result<nlohmann::json> StoreObjectLookup::get(std::string_view resource, std::string_view ns,
                                              std::string_view name) const {
  const api::ResourceInfo* info = registry_.find("", "v1", resource);
  if (info == nullptr) {
    return internalError("no core/v1 resource " + std::string(resource));
  }
  auto kv = store_.get(api::storageKey(*info, info->namespaced ? ns : "", name));
  if (!kv.ok()) {
    return kv.status().code() == Code::kNotFound ? resourceNotFound(*info, name) : kv.status();
  }
  return decodeStored(*kv, *info);
}

}  // namespace tug::apiserver
