#include "api/crd/custom_resource.h"

namespace tug::api {

const TypeNode* resourceType(const ResourceInfo& info) {
  if (info.custom) {
    return info.custom->graph ? info.custom->graph->root() : nullptr;
  }
  return info.builtin ? builtinType(info.group, info.version, info.kind) : nullptr;
}

}  // namespace tug::api
