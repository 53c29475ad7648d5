// The map half of the strategic merge patch: members, nulls, "$patch" and "$retainKeys" in
// objects, and the entry point.
#include <set>
#include <string>
#include <vector>

#include "api/patch/go_format.h"
#include "api/patch/strategic_merge_internal.h"
#include "api/patch/strategic_merge_patch.h"

namespace tug::api {
namespace smp {
namespace {

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool isDirectiveKey(std::string_view key) {
  return key == kPatchDirective || key == kRetainKeysDirective ||
         startsWith(key, kDeleteFromPrimitiveListPrefix) || startsWith(key, kSetElementOrderPrefix);
}

// JSON's kinds as Go's decoder types them, numbers being one kind here: a patch member of
// another kind than the original's replaces it instead of merging.
int kindOf(const json& v) {
  if (v.is_number()) {
    return static_cast<int>(json::value_t::number_float);
  }
  return static_cast<int>(v.type());
}

// Removes directive keys (and, when `dropNulls`, null members) in place; false when `v` is a
// "$patch" map and must go altogether.
bool strip(json& v, bool dropNulls) {
  if (v.is_object()) {
    if (v.contains(kPatchDirective)) {
      return false;
    }
    for (auto it = v.begin(); it != v.end();) {
      if (isDirectiveKey(it.key()) || (dropNulls && it->is_null()) || !strip(*it, dropNulls)) {
        it = v.erase(it);
      } else {
        ++it;
      }
    }
  } else if (v.is_array()) {
    json kept = json::array();
    for (json& e : v) {
      if (strip(e, dropNulls)) {
        kept.push_back(std::move(e));
      }
    }
    v = std::move(kept);
  }
  return true;
}

// "$retainKeys": members of the original not listed go; every member the patch sets must be
// listed.
Status applyRetainKeys(json& original, json& patch) {
  auto it = patch.find(kRetainKeysDirective);
  if (it == patch.end()) {
    return Status::ok();
  }
  json keys = std::move(*it);
  patch.erase(it);
  if (!keys.is_array()) {
    return badRequest("invalid patch format of retainKeys");
  }
  auto listed = [&keys](const std::string& k) {
    for (const json& key : keys) {
      if (key.is_string() && key.get_ref<const std::string&>() == k) {
        return true;
      }
    }
    return false;
  };
  for (const auto& [k, v] : patch.items()) {
    if (v.is_null() || startsWith(k, kDeleteFromPrimitiveListPrefix) ||
        startsWith(k, kSetElementOrderPrefix)) {
      continue;
    }
    if (!listed(k)) {
      return badRequest("invalid patch format of retainKeys");
    }
  }
  for (auto o = original.begin(); o != original.end();) {
    o = listed(o.key()) ? std::next(o) : original.erase(o);
  }
  return Status::ok();
}

// Sets original[key] to a member the original cannot merge with.
void setNew(json& original, const std::string& key, json value) {
  if (auto v = newValue(std::move(value))) {
    original[key] = std::move(*v);
  } else {
    original.erase(key);
  }
}

// Merges one patch member into the original. `deleteList` marks a
// "$deleteFromPrimitiveList/<key>" member.
Status mergeMember(json& original, const std::string& key, json& value, bool deleteList,
                   const TypeNode* node) {
  if (value.is_null()) {
    original.erase(key);
    return Status::ok();
  }
  auto it = original.find(key);
  if (it == original.end() || kindOf(*it) != kindOf(value)) {
    if (!deleteList) {
      setNew(original, key, std::move(value));
    }
    return Status::ok();
  }
  FieldMeta meta = fieldMeta(node, key);
  if (it->is_object()) {
    if (meta.replaceMap) {
      setNew(original, key, std::move(value));
      return Status::ok();
    }
    return mergeMap(*it, value, meta.node);
  }
  if (it->is_array()) {
    auto merged = mergeListField(std::move(*it), std::move(value), meta, deleteList);
    if (!merged.ok()) {
      return merged.status();
    }
    original[key] = std::move(*merged);
    return Status::ok();
  }
  if (!deleteList) {
    *it = std::move(value);
  }
  return Status::ok();
}

}  // namespace

bool isUnknown(const TypeNode* node) { return node == nullptr || node->kind == TypeKind::kAny; }

FieldMeta fieldMeta(const TypeNode* parent, const std::string& field) {
  FieldMeta m;
  m.name = field;
  if (parent == nullptr) {
    return m;
  }
  if (parent->kind == TypeKind::kObject) {
    m.node = parent->field(field);
  } else if (parent->kind == TypeKind::kMap) {
    m.node = parent->elem;
  }
  if (m.node == nullptr) {
    return m;
  }
  if (m.node->kind == TypeKind::kList) {
    m.elem = m.node->elem;
    m.mergeList = m.node->hasPatchStrategy("merge");
    m.mergeKey = m.node->patchMergeKey;
  }
  m.replaceMap = (m.node->kind == TypeKind::kObject || m.node->kind == TypeKind::kMap) &&
                 m.node->hasPatchStrategy("replace");
  return m;
}

Status errBadArgType(std::string_view expected, const json& actual) {
  return badRequest("expected a " + std::string(expected) + ", but received a " +
                    goTypeName(actual));
}

Status errNoMergeKey(const json& map, const std::string& key) {
  return badRequest("map: " + goValue(map) + " does not contain declared merge key: " + key);
}

Status errBadPatchType(const json& directive, const json& map) {
  return badRequest("unknown patch type: " + goValue(directive) + " in map: " + goValue(map));
}

Result<std::string> directiveField(std::string_view key, std::string_view prefix) {
  size_t slash = key.find('/');
  if (slash == std::string_view::npos || key.substr(0, slash) != prefix) {
    return badRequest(prefix == kSetElementOrderPrefix
                          ? "invalid patch format of setElementOrder list"
                          : "invalid patch format of primitive list");
  }
  return std::string(key.substr(slash + 1));
}

std::optional<json> newValue(json v) {
  if (!strip(v, /*dropNulls=*/true)) {
    return std::nullopt;
  }
  return v;
}

std::optional<json> withoutDirectives(json v) {
  if (!strip(v, /*dropNulls=*/false)) {
    return std::nullopt;
  }
  return v;
}

Status mergeMap(json& original, json& patch, const TypeNode* node) {
  if (auto d = patch.find(kPatchDirective); d != patch.end()) {
    if (*d == "replace") {
      patch.erase(d);
      original = newValue(std::move(patch)).value_or(json::object());
      return Status::ok();
    }
    if (*d == "delete") {
      original = json::object();
      return Status::ok();
    }
    if (*d != "merge") {  // merge is the default; saying so changes nothing
      return errBadPatchType(*d, patch);
    }
    patch.erase(d);
  }
  if (!original.is_object()) {
    original = json::object();
  }
  if (Status s = applyRetainKeys(original, patch); !s.isOk()) {
    return s;
  }
  if (Status s = applyElementOrders(original, patch, node); !s.isOk()) {
    return s;
  }
  for (auto& [k, v] : patch.items()) {
    std::string key = k;
    bool deleteList = startsWith(k, kDeleteFromPrimitiveListPrefix);
    if (deleteList) {
      auto field = directiveField(k, kDeleteFromPrimitiveListPrefix);
      if (!field.ok()) {
        return field.status();
      }
      key = std::move(*field);
    }
    if (Status s = mergeMember(original, key, v, deleteList, node); !s.isOk()) {
      return s;
    }
  }
  return Status::ok();
}

}  // namespace smp

Result<nlohmann::json> applyStrategicMergePatch(nlohmann::json original, nlohmann::json patch,
                                                const TypeNode* schema) {
  if (!patch.is_object()) {
    std::string kind = patch.is_boolean() ? "bool" : patch.type_name();
    return badRequest("json: cannot unmarshal " + kind +
                      " into Go value of type map[string]interface {}");
  }
  if (Status s = smp::mergeMap(original, patch, schema); !s.isOk()) {
    return s;
  }
  return original;
}

}  // namespace tug::api
