#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

// Sets of field paths, as server-side apply tracks ownership. A path element is kept in its
// FieldsV1 spelling, which is also a total order that needs no parsing:
//   "f:<name>"  a field of an object or a key of a map
//   "k:<json>"  an element of a list of type map, by its key fields ({"name":"c"})
//   "v:<json>"  an element of a list of type set, by its value
//   "i:<n>"     an element by index (only read from stored entries; never produced here)
namespace tug::api::managed {

using PathElement = std::string;
using FieldPath = std::vector<PathElement>;

PathElement fieldElement(std::string_view name);
// `keyFields` is an object of the element's key fields; nlohmann sorts them by name, which is
// the order upstream serialises them in.
PathElement keyElement(const nlohmann::json& keyFields);
PathElement valueElement(const nlohmann::json& value);

// ".spec.replicas", ".spec.containers[name=\"c\"].image", ".metadata.finalizers[=\"x\"]": how
// conflict messages name a path.
std::string pathString(const FieldPath& path);

// A trie of path elements; a node is in the set when it is a member. Copyable value type.
class FieldSet {
 public:
  bool empty() const { return !member_ && children_.empty(); }
  bool operator==(const FieldSet&) const = default;

  void insert(const FieldPath& path);
  bool contains(const FieldPath& path) const;
  // True when `path` or anything below it is a member.
  bool containsPrefix(const FieldPath& path) const;
  // The subtree at `path` (paths relative to it), or nullptr.
  const FieldSet* find(const FieldPath& path) const;
  // The subtree below one element, or nullptr.
  const FieldSet* child(std::string_view pe) const;
  // True when the node this set is rooted at is itself a member.
  bool isMember() const { return member_; }

  FieldSet unionWith(const FieldSet& other) const;
  // Members of this set that are not members of `other` (subtrees are not implied).
  FieldSet difference(const FieldSet& other) const;
  FieldSet intersection(const FieldSet& other) const;
  // This set with every path at or below a member of `other` removed.
  FieldSet recursiveDifference(const FieldSet& other) const;
  // Only the paths at or below `prefix` (kept at their full paths).
  FieldSet restrictedTo(const FieldPath& prefix) const;

  // Calls `fn` for every member path, parents before children, siblings in element order.
  void forEachMember(const std::function<void(const FieldPath&)>& fn) const;

  // FieldsV1 JSON: {"f:spec":{"f:replicas":{}},"f:metadata":{"f:labels":{".":{},...}}}.
  nlohmann::json toFieldsV1() const;
  // BadRequest when `fields` is not FieldsV1 (not an object, unknown element prefix, bad JSON).
  static Result<FieldSet> fromFieldsV1(const nlohmann::json& fields);

 private:
  void forEachMember(FieldPath& prefix, const std::function<void(const FieldPath&)>& fn) const;

  bool member_ = false;
  std::map<PathElement, FieldSet, std::less<>> children_;
};

}  // namespace tug::api::managed
