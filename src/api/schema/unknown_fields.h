#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/type_node.h"

// Fields an object has but its type does not declare, as strict decoding and pruning see them.
namespace tug::api {

// The paths of fields in `object` that `type` does not declare, in upstream's strict-decoding
// wording: "spec.foo", "spec.template.spec.containers[0].foo" (map keys are data, never
// unknown). Objects that preserve unknown fields, and untyped values, report nothing below
// them. Order: depth first, keys in sorted order.
std::vector<std::string> unknownFields(const TypeNode& type, const nlohmann::json& object);

// Drops from `object` every field `type` does not declare, except where unknown fields are
// preserved; what remains is what upstream would store. Returns how many fields were dropped.
size_t prune(const TypeNode& type, nlohmann::json& object);

// "a.b" from "a" and "b"; "b" from "" and "b". Paths of fields, as the messages spell them.
std::string fieldPath(const std::string& parent, const std::string& field);
// "a[3]" from "a" and 3.
std::string indexPath(const std::string& parent, size_t index);

}  // namespace tug::api
