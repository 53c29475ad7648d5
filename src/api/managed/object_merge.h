#pragma once

#include <nlohmann/json.hpp>

#include "api/managed/field_set.h"
#include "api/type_node.h"

// Merging an applied configuration into a live object, and taking fields out again, by the
// object's type (nullptr: untyped).
namespace tug::api::managed {

// `live` with `applied` merged in: objects merge key by key unless atomic, lists of type set
// and map merge element by element (applied elements in applied order, live-only elements kept
// near their neighbours), atomic lists and scalars are replaced. A null in `applied` removes
// the field.
nlohmann::json mergeApplied(const nlohmann::json& live, const nlohmann::json& applied,
                            const TypeNode* type);

// Removes from `obj` every member of `remove`, except where `keep` holds the path or anything
// below it (then only the parts of it that `keep` does not hold go). Objects and lists that
// this leaves empty go too.
void removeFields(nlohmann::json& obj, const FieldSet& remove, const FieldSet& keep,
                  const TypeNode* type);

}  // namespace tug::api::managed
