#pragma once

#include <nlohmann/json.hpp>

#include "api/type_node.h"

namespace tug::api {

// Upstream's Go types leave out an empty map or list (they are `omitempty`) when they write an
// object: a label map whose last key a patch removed is gone, not `{}`. Drops from `object`
// every empty map and list `type` declares, except required fields (which are not omitempty).
// Empty structs (`emptyDir: {}`) stay: Go writes those.
void dropEmptyCollections(const TypeNode& type, nlohmann::json& object);

}  // namespace tug::api
