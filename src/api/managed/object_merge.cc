#include "api/managed/object_merge.h"

#include <map>
#include <set>
#include <vector>

#include "api/managed/type_walk.h"

namespace tug::api::managed {
namespace {

bool emptyOrNull(const nlohmann::json& v) {
  return v.is_null() || ((v.is_object() || v.is_array()) && v.empty());
}

nlohmann::json merge(const nlohmann::json* live, const nlohmann::json& applied,
                     const TypeNode* type);

nlohmann::json mergeObjects(const nlohmann::json& live, const nlohmann::json& applied,
                            const TypeNode* type) {
  nlohmann::json out = live;
  for (const auto& [name, value] : applied.items()) {
    if (value.is_null()) {
      out.erase(name);
      continue;
    }
    auto it = live.find(name);
    out[name] = merge(it == live.end() ? nullptr : &*it, value, childType(type, name));
  }
  return out;
}

struct IndexedList {
  std::vector<PathElement> elements;              // in list order, duplicates included
  std::map<PathElement, const nlohmann::json*> first;  // the first element for each
};

IndexedList indexList(const nlohmann::json& list, const TypeNode* type) {
  IndexedList out;
  for (size_t i = 0; i < list.size(); ++i) {
    out.elements.push_back(listElement(type, list[i], i));
    out.first.emplace(out.elements.back(), &list[i]);
  }
  return out;
}

// Applied elements come in applied order; a live element the configuration does not name
// stays after the element it followed, so that merging keeps others' elements in place.
nlohmann::json mergeLists(const nlohmann::json& live, const nlohmann::json& applied,
                          const TypeNode* type) {
  const TypeNode* elem = elementType(type);
  IndexedList l = indexList(live, type);
  IndexedList r = indexList(applied, type);
  std::vector<PathElement> shared;  // applied elements also live, in applied order
  std::set<PathElement> seenApplied;
  for (const PathElement& pe : r.elements) {
    if (l.first.count(pe) != 0 && seenApplied.insert(pe).second) {
      shared.push_back(pe);
    }
  }
  size_t nextShared = 0;
  auto advanceShared = [&](const PathElement& pe) {
    if (nextShared < shared.size() && shared[nextShared] == pe) {
      ++nextShared;
    }
  };
  std::set<PathElement> merged;
  nlohmann::json out = nlohmann::json::array();
  auto takeApplied = [&](size_t rI) {
    const PathElement& pe = r.elements[rI];
    if (!merged.insert(pe).second) {
      return;  // a duplicate in the configuration: the first one counts
    }
    auto li = l.first.find(pe);
    out.push_back(merge(li == l.first.end() ? nullptr : li->second, applied[rI], elem));
    advanceShared(pe);
  };
  size_t lI = 0;
  size_t rI = 0;
  while (lI < l.elements.size() || rI < r.elements.size()) {
    if (lI < l.elements.size() && rI < r.elements.size()) {
      const PathElement& pe = l.elements[lI];
      if (pe == r.elements[rI]) {
        takeApplied(rI);
        ++lI;
        ++rI;
        continue;
      }
      if (r.first.count(pe) != 0 && nextShared < shared.size() && shared[nextShared] != pe) {
        ++lI;  // a shared element, but not the one due next
        continue;
      }
    }
    if (lI < l.elements.size()) {
      const PathElement& pe = l.elements[lI];
      if (r.first.count(pe) == 0) {
        out.push_back(live[lI]);
        ++lI;
        continue;
      }
      if (merged.count(pe) != 0) {
        ++lI;
      }
    }
    if (rI < r.elements.size()) {
      takeApplied(rI);
      ++rI;
    }
  }
  return out;
}

nlohmann::json merge(const nlohmann::json* live, const nlohmann::json& applied,
                     const TypeNode* type) {
  if (live == nullptr || live->type() != applied.type() ||
      (emptyOrNull(*live) && emptyOrNull(applied))) {
    return applied;
  }
  if (isGranularObject(type, applied)) {
    return mergeObjects(*live, applied, type);
  }
  if (isAssociativeList(type, applied)) {
    return mergeLists(*live, applied, type);
  }
  return applied;
}

void removeFrom(nlohmann::json& value, const FieldSet& remove, const FieldSet* keep,
                const TypeNode* type);

// Whether to drop the whole value at one element, or to descend into it.
enum class Action { kKeep, kDrop, kDescend };

Action actionFor(const FieldSet* remove, const FieldSet* keep) {
  if (remove == nullptr) {
    return Action::kKeep;
  }
  bool kept = keep != nullptr && !keep->empty();
  if (remove->isMember() && !kept) {
    return Action::kDrop;
  }
  return Action::kDescend;
}

void removeFromObject(nlohmann::json& obj, const FieldSet& remove, const FieldSet* keep,
                      const TypeNode* type) {
  for (auto it = obj.begin(); it != obj.end();) {
    PathElement pe = fieldElement(it.key());
    const FieldSet* rm = remove.child(pe);
    const FieldSet* kp = keep == nullptr ? nullptr : keep->child(pe);
    Action action = actionFor(rm, kp);
    if (action == Action::kDescend) {
      bool wasEmpty = emptyOrNull(it.value());
      removeFrom(it.value(), *rm, kp, childType(type, it.key()));
      // What pruning emptied goes too, unless someone owns the empty value.
      if (!wasEmpty && emptyOrNull(it.value()) && !(kp != nullptr && kp->isMember())) {
        action = Action::kDrop;
      }
    }
    it = action == Action::kDrop ? obj.erase(it) : std::next(it);
  }
}

void removeFromList(nlohmann::json& list, const FieldSet& remove, const FieldSet* keep,
                    const TypeNode* type) {
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < list.size(); ++i) {
    PathElement pe = listElement(type, list[i], i);
    const FieldSet* rm = remove.child(pe);
    const FieldSet* kp = keep == nullptr ? nullptr : keep->child(pe);
    Action action = actionFor(rm, kp);
    if (action == Action::kDrop) {
      continue;
    }
    if (action == Action::kDescend) {
      removeFrom(list[i], *rm, kp, elementType(type));
    }
    out.push_back(std::move(list[i]));
  }
  list = std::move(out);
}

void removeFrom(nlohmann::json& value, const FieldSet& remove, const FieldSet* keep,
                const TypeNode* type) {
  if (isGranularObject(type, value)) {
    removeFromObject(value, remove, keep, type);
  } else if (isAssociativeList(type, value)) {
    removeFromList(value, remove, keep, type);
  }
}

}  // namespace

nlohmann::json mergeApplied(const nlohmann::json& live, const nlohmann::json& applied,
                            const TypeNode* type) {
  return merge(&live, applied, type);
}

void removeFields(nlohmann::json& obj, const FieldSet& remove, const FieldSet& keep,
                  const TypeNode* type) {
  removeFrom(obj, remove, &keep, type);
}

}  // namespace tug::api::managed
