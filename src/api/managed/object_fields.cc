#include "api/managed/object_fields.h"

#include <map>
#include <set>

#include "api/managed/type_walk.h"

namespace tug::api::managed {
namespace {

bool emptyOrNull(const nlohmann::json& v) {
  return v.is_null() || ((v.is_object() || v.is_array()) && v.empty());
}

void collect(const nlohmann::json& value, const TypeNode* type, FieldPath& path, FieldSet& out);

void collectObject(const nlohmann::json& obj, const TypeNode* type, FieldPath& path,
                   FieldSet& out) {
  for (const auto& [name, child] : obj.items()) {
    path.push_back(fieldElement(name));
    collect(child, childType(type, name), path, out);
    if (child.is_null() || (child.is_object() && child.empty()) ||
        !isDeclaredField(type, name)) {
      out.insert(path);
    }
    path.pop_back();
  }
}

void collectList(const nlohmann::json& list, const TypeNode* type, FieldPath& path,
                 FieldSet& out) {
  std::map<PathElement, int> seen;
  for (size_t i = 0; i < list.size(); ++i) {
    ++seen[listElement(type, list[i], i)];
  }
  for (size_t i = 0; i < list.size(); ++i) {
    PathElement pe = listElement(type, list[i], i);
    path.push_back(pe);
    // Duplicated elements are owned as a whole, as upstream does.
    if (seen[pe] == 1) {
      collect(list[i], elementType(type), path, out);
    }
    out.insert(path);
    path.pop_back();
  }
}

void collect(const nlohmann::json& value, const TypeNode* type, FieldPath& path, FieldSet& out) {
  if (isGranularObject(type, value)) {
    collectObject(value, type, path, out);
  } else if (isAssociativeList(type, value)) {
    collectList(value, type, path, out);
  } else if (!path.empty()) {
    out.insert(path);
  }
}

// Walks two versions of one value; either may be absent (nullptr).
class Comparer {
 public:
  Comparer(Comparison& out, const CompareScope& scope) : out_(out), scope_(scope) {}

  void compare(const nlohmann::json* before, const nlohmann::json* after, const TypeNode* type,
               bool listItem) {
    if (scope_.withoutManagedFields && atMetadata()) {
      before = withoutOnlyManagedFields(before);
      after = withoutOnlyManagedFields(after);
    }
    const nlohmann::json& probe = after != nullptr ? *after : *before;
    bool sameShape = before == nullptr || after == nullptr ||
                     before->type() == after->type() ||
                     (before->is_number() && after->is_number());
    bool bothEmpty = (before == nullptr || emptyOrNull(*before)) &&
                     (after == nullptr || emptyOrNull(*after));
    if (!sameShape || bothEmpty) {
      leaf(before, after);
    } else if (isGranularObject(type, probe)) {
      compareObjects(before, after, type);
      whole(before, after, type, listItem);
    } else if (isAssociativeList(type, probe)) {
      compareLists(before, after, type);
      whole(before, after, type, listItem);
    } else {
      leaf(before, after);
    }
  }

 private:
  void leaf(const nlohmann::json* before, const nlohmann::json* after) {
    if (before == nullptr) {
      out_.added.insert(path_);
    } else if (after == nullptr) {
      out_.removed.insert(path_);
    } else if (*before != *after) {
      out_.modified.insert(path_);
    }
  }

  // A value that appeared or went away as a whole.
  void whole(const nlohmann::json* before, const nlohmann::json* after, const TypeNode* type,
             bool listItem) {
    bool isStruct = type != nullptr && type->kind == TypeKind::kObject;
    if (path_.empty() || (isStruct && !listItem)) {
      return;
    }
    if (before == nullptr) {
      out_.added.insert(path_);
    } else if (after == nullptr) {
      out_.removed.insert(path_);
    }
  }

  void compareObjects(const nlohmann::json* before, const nlohmann::json* after,
                      const TypeNode* type) {
    std::set<std::string> names;
    for (const nlohmann::json* side : {before, after}) {
      if (side != nullptr && side->is_object()) {
        for (const auto& [k, v] : side->items()) {
          names.insert(k);
        }
      }
    }
    const bool inMetadata = scope_.withoutManagedFields && atMetadata();
    const bool atRoot = path_.empty();
    for (const std::string& name : names) {
      if ((inMetadata && name == "managedFields") ||
          (atRoot && !scope_.onlyMember.empty() && name != scope_.onlyMember) ||
          (atRoot && name == scope_.exceptMember)) {
        continue;
      }
      path_.push_back(fieldElement(name));
      compare(member(before, name), member(after, name), childType(type, name), false);
      path_.pop_back();
    }
  }

  void compareLists(const nlohmann::json* before, const nlohmann::json* after,
                    const TypeNode* type) {
    std::map<PathElement, const nlohmann::json*> b = index(before, type);
    std::map<PathElement, const nlohmann::json*> a = index(after, type);
    std::set<PathElement> all;
    for (const auto& [pe, v] : b) {
      all.insert(pe);
    }
    for (const auto& [pe, v] : a) {
      all.insert(pe);
    }
    for (const PathElement& pe : all) {
      auto bi = b.find(pe);
      auto ai = a.find(pe);
      path_.push_back(pe);
      compare(bi == b.end() ? nullptr : bi->second, ai == a.end() ? nullptr : ai->second,
              elementType(type), true);
      path_.pop_back();
    }
  }

  bool atMetadata() const {
    static const PathElement kMetadata = fieldElement("metadata");
    return path_.size() == 1 && path_[0] == kMetadata;
  }

  // Metadata holding nothing but managedFields is, without them, an empty object.
  static const nlohmann::json* withoutOnlyManagedFields(const nlohmann::json* metadata) {
    static const nlohmann::json kEmpty = nlohmann::json::object();
    if (metadata != nullptr && metadata->is_object() && metadata->size() == 1 &&
        metadata->contains("managedFields")) {
      return &kEmpty;
    }
    return metadata;
  }

  static const nlohmann::json* member(const nlohmann::json* obj, const std::string& name) {
    if (obj == nullptr || !obj->is_object()) {
      return nullptr;
    }
    auto it = obj->find(name);
    return it == obj->end() ? nullptr : &*it;
  }

  // The first element for each path element (later duplicates are not told apart).
  static std::map<PathElement, const nlohmann::json*> index(const nlohmann::json* list,
                                                            const TypeNode* type) {
    std::map<PathElement, const nlohmann::json*> out;
    if (list != nullptr && list->is_array()) {
      for (size_t i = 0; i < list->size(); ++i) {
        out.emplace(listElement(type, (*list)[i], i), &(*list)[i]);
      }
    }
    return out;
  }

  Comparison& out_;
  const CompareScope& scope_;
  FieldPath path_;
};

// The FieldsV1 node of a value that is wholly new, as Comparer::compare(nullptr, value, ...)
// records it: `members` receives what lies below it; the result says whether the value's path
// is itself a member.
bool addAll(const nlohmann::json& value, const TypeNode* type, bool listItem,
            nlohmann::json& members);

// Adds `key` to `parent` as FieldsV1 writes a trie node: a member alone is {}, a member with
// members below it marks itself with "."; a node that is neither is left out.
void emitNode(nlohmann::json& parent, std::string key, nlohmann::json node, bool member) {
  if (!member && node.empty()) {
    return;
  }
  if (member && !node.empty()) {
    node["."] = nlohmann::json::object();
  }
  parent[std::move(key)] = std::move(node);
}

bool addAll(const nlohmann::json& value, const TypeNode* type, bool listItem,
            nlohmann::json& members) {
  if (emptyOrNull(value)) {
    return true;
  }
  if (isGranularObject(type, value)) {
    for (const auto& [name, child] : value.items()) {
      nlohmann::json node = nlohmann::json::object();
      bool member = addAll(child, childType(type, name), false, node);
      emitNode(members, fieldElement(name), std::move(node), member);
    }
    const bool isStruct = type != nullptr && type->kind == TypeKind::kObject;
    return !isStruct || listItem;
  }
  if (isAssociativeList(type, value)) {
    // The first element for each path element, in path element order, as Comparer indexes.
    std::map<PathElement, const nlohmann::json*> elements;
    for (size_t i = 0; i < value.size(); ++i) {
      elements.emplace(listElement(type, value[i], i), &value[i]);
    }
    for (auto& [pe, element] : elements) {
      nlohmann::json node = nlohmann::json::object();
      bool member = addAll(*element, elementType(type), true, node);
      emitNode(members, pe, std::move(node), member);
    }
  }
  return true;
}

}  // namespace

nlohmann::json addedFieldsV1(const nlohmann::json& obj, const TypeNode* type) {
  nlohmann::json out = nlohmann::json::object();
  // The root is never a member itself, and a comparison from {} adds nothing below a root
  // it does not walk as an object (it is then modified as a whole).
  if (isGranularObject(type, obj)) {
    addAll(obj, type, false, out);
  }
  return out;
}

FieldSet fieldsOf(const nlohmann::json& obj, const TypeNode* type) {
  FieldSet out;
  FieldPath path;
  collect(obj, type, path, out);
  return out;
}

Comparison compareObjects(const nlohmann::json& before, const nlohmann::json& after,
                          const TypeNode* type, const CompareScope& scope) {
  Comparison out;
  Comparer(out, scope).compare(&before, &after, type, false);
  return out;
}

}  // namespace tug::api::managed
