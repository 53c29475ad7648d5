#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/type_node.h"
#include "common/status.h"

// Shared between the map and list halves of the strategic merge patch; not an API.
namespace tug::api::smp {

using nlohmann::json;

inline constexpr std::string_view kPatchDirective = "$patch";
inline constexpr std::string_view kRetainKeysDirective = "$retainKeys";
inline constexpr std::string_view kDeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";
inline constexpr std::string_view kSetElementOrderPrefix = "$setElementOrder";

// How the patch treats one field, from the node of its value.
struct FieldMeta {
  std::string name;
  const TypeNode* node = nullptr;  // the field's value; nullptr when unknown
  const TypeNode* elem = nullptr;  // list elements
  bool mergeList = false;          // patchStrategy merge on a list
  bool replaceMap = false;         // patchStrategy replace on a map or object
  std::string mergeKey;
};

FieldMeta fieldMeta(const TypeNode* parent, const std::string& field);
bool isUnknown(const TypeNode* node);

// Upstream's messages (apimachinery mergepatch errors).
Status errBadArgType(std::string_view expected, const json& actual);
Status errNoMergeKey(const json& map, const std::string& key);
Status errBadPatchType(const json& directive, const json& map);

// The field a "<prefix>/<field>" directive key names; upstream's format error otherwise.
Result<std::string> directiveField(std::string_view key, std::string_view prefix);

// The value a patch member takes where the original has nothing to merge with: nulls in its
// objects dropped and directives removed. nullopt when the value itself is a "$patch" map,
// which leaves nothing behind.
std::optional<json> newValue(json v);
// Directives removed, nulls kept (lists that replace the original).
std::optional<json> withoutDirectives(json v);

// The map half: merges `patch` into `original` (an object, or null for none).
Status mergeMap(json& original, json& patch, const TypeNode* node);

// The list half.
// A list field present in both documents (upstream's mergeSliceHandler): merged when the
// field merges or `deleteList` ($deleteFromPrimitiveList), replaced otherwise.
Result<json> mergeListField(json original, json patch, const FieldMeta& meta, bool deleteList);
// Every "$setElementOrder/<field>" of `patch` with its list: merged, then ordered as the
// directive says. Removes what it handled from `patch`.
Status applyElementOrders(json& original, json& patch, const TypeNode* node);

}  // namespace tug::api::smp
