#include "api/patch/patch_schema.h"

#include "api/schema/type_graph.h"

namespace tug::api {

// Custom resources never get here (they have no strategic merge patch); their kinds are not
// among the built-in definitions anyway.
const TypeNode* strategicPatchSchema(const ResourceInfo& info) {
  return builtinType(info.group, info.version, info.kind);
}

}  // namespace tug::api
