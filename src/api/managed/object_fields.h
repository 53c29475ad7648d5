#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "api/managed/field_set.h"
#include "api/type_node.h"

// The fields an object holds and the fields that differ between two objects, read against
// the object's type (nullptr: untyped). Paths are relative to the object given.
namespace tug::api::managed {

// Every field an applied configuration sets: scalars, atomic lists and maps, list elements,
// map entries, and empty or null values; a struct field holding a non-empty object is not a
// member itself, only what it holds.
FieldSet fieldsOf(const nlohmann::json& obj, const TypeNode* type);

struct Comparison {
  FieldSet added;     // present only in the new object
  FieldSet modified;  // present in both with different values
  FieldSet removed;   // present only in the old object
};

// What a comparison looks at; the default, everything. Leaving parts out costs less than
// comparing them and dropping what was found there.
struct CompareScope {
  bool withoutManagedFields = false;  // as if neither object held metadata.managedFields
  std::string_view onlyMember;        // not empty: only this top-level member is compared
  std::string_view exceptMember;      // not empty: this top-level member is not compared
};

// What changed from `before` to `after`. A struct that appears or disappears as a whole is
// not itself listed (upstream compares against zero-valued structs), only its contents; a
// list element or a map entry is.
Comparison compareObjects(const nlohmann::json& before, const nlohmann::json& after,
                          const TypeNode* type, const CompareScope& scope = {});

// compareObjects({}, obj, type).added as FieldsV1, written in one walk without building
// FieldSets: what a create adds, which every create records.
nlohmann::json addedFieldsV1(const nlohmann::json& obj, const TypeNode* type);

}  // namespace tug::api::managed
