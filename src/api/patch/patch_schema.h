#pragma once

#include "api/resource_registry.h"
#include "api/type_node.h"

// Where the strategic merge patch finds the type of a built-in kind.
namespace tug::api {

// The root type node of `info`'s kind for a strategic merge patch: its fields' patch
// strategies and merge keys. nullptr when the type is not known; the patch then merges as
// strategic_merge_patch.h describes for unknown types.
const TypeNode* strategicPatchSchema(const ResourceInfo& info);

}  // namespace tug::api
