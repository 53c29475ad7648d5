#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "api/managed/field_set.h"
#include "api/type_node.h"

// How server-side apply reads a value against its type. A null TypeNode* stands for an
// unknown type, read as upstream reads untyped data: objects merge key by key, lists are
// atomic, everything else is a scalar.
namespace tug::api::managed {

// The type of `obj.<name>` (a declared field, a map value, or unknown).
const TypeNode* childType(const TypeNode* type, std::string_view name);
// True when `name` is a declared field of a struct: such fields are not owned themselves
// when they hold a non-empty object, only what is inside them.
bool isDeclaredField(const TypeNode* type, std::string_view name);
// An object merged key by key (a struct, a granular map, an untyped object).
bool isGranularObject(const TypeNode* type, const nlohmann::json& value);
// A list whose elements are tracked one by one (list types set and map).
bool isAssociativeList(const TypeNode* type, const nlohmann::json& value);
// The element type of a list.
const TypeNode* elementType(const TypeNode* type);

// The path element naming `item` in an associative list: its key fields for list type map
// (a missing key field takes its schema default, as kube-apiserver defaults objects before it
// keys them), its value for list type set. Elements that cannot be keyed get their index.
PathElement listElement(const TypeNode* listType, const nlohmann::json& item, size_t index);

}  // namespace tug::api::managed
