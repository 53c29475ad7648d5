#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

// The structure of an API type as the code that merges, patches, prunes and validates objects
// needs it: which fields an object has, what lists and maps hold, and how lists merge. Nodes
// are built from the embedded OpenAPI schemas of the built-in kinds and from CRD schemas;
// whoever builds them owns them (nodes point at each other, recursive types included), and a
// built graph is immutable and safe to share between threads.
namespace tug::api {

enum class TypeKind {
  kAny,     // anything goes (untyped, or x-kubernetes-preserve-unknown-fields without fields)
  kScalar,  // string, integer, number, boolean (or int-or-string, quantity, ...)
  kObject,  // a struct: named fields
  kMap,     // additionalProperties: string keys, values of one type
  kList,
};

// x-kubernetes-list-type: how server-side apply identifies list elements.
enum class ListType { kAtomic, kSet, kMap };
// x-kubernetes-map-type (objects and maps): granular merges per key; atomic replaces whole.
enum class MapType { kGranular, kAtomic };

struct TypeNode {
  TypeKind kind = TypeKind::kAny;
  std::string scalarType;  // "string", "integer", "number", "boolean"; "" when any scalar
  std::string format;      // "int-or-string", "date-time", "int32", "byte", ...
  std::vector<std::string> enumValues;

  // kObject: the declared fields. Required fields are listed by name.
  std::map<std::string, const TypeNode*, std::less<>> fields;
  std::vector<std::string> required;
  // Objects that keep fields they do not declare (x-kubernetes-preserve-unknown-fields).
  bool preserveUnknownFields = false;
  // x-kubernetes-embedded-resource: an object with apiVersion, kind and metadata of its own.
  bool embeddedResource = false;

  // kList and kMap: the element (value) type.
  const TypeNode* elem = nullptr;

  ListType listType = ListType::kAtomic;
  std::vector<std::string> listMapKeys;  // x-kubernetes-list-map-keys
  MapType mapType = MapType::kGranular;

  // Strategic merge patch, as declared on the field that holds this value:
  // x-kubernetes-patch-strategy ("merge", "retainKeys", "merge,retainKeys", "replace", "")
  // and x-kubernetes-patch-merge-key.
  std::string patchStrategy;
  std::string patchMergeKey;

  bool nullable = false;
  // The schema's default, as JSON text ("" when it declares none). Kept as text: few callers
  // need it, and a parsed value per node would cost more than the whole graph.
  std::string defaultValue;

  // The declared field `name`, or nullptr.
  const TypeNode* field(std::string_view name) const {
    auto it = fields.find(name);
    return it == fields.end() ? nullptr : it->second;
  }
  bool hasPatchStrategy(std::string_view s) const {
    return patchStrategy.find(s) != std::string::npos;
  }
};

}  // namespace tug::api
