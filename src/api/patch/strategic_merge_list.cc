// The list half of the strategic merge patch: merging lists by merge key or as sets, list
// directives, and the order rules of "$setElementOrder" (the directive's order first, then
// the patch's, then the live object's).
#include <algorithm>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "api/patch/go_format.h"
#include "api/patch/strategic_merge_internal.h"

namespace tug::api::smp {
namespace {

constexpr const char* kMapType = "map[string]interface {}";
constexpr const char* kListType = "[]interface {}";

int kindOf(const json& v) {
  return v.is_number() ? static_cast<int>(json::value_t::number_float)
                       : static_cast<int>(v.type());
}

// Whether the elements of two lists are objects (they must all be of one kind, and not
// lists). BadRequest when both are empty, as upstream refuses to guess.
Result<bool> elementsAreMaps(const json& a, const json& b) {
  const json* first = nullptr;
  for (const json* list : {&a, &b}) {
    for (const json& v : *list) {
      if (first == nullptr) {
        first = &v;
        if (v.is_array()) {
          return invalid("lists of lists are not supported");
        }
      } else if (kindOf(v) != kindOf(*first)) {
        return badRequest("list element types are not identical: " +
                          goValue(json::array({a, b})));
      }
    }
  }
  if (first == nullptr) {
    return badRequest("no elements in any of the given slices");
  }
  return first->is_object();
}

// What identifies a list element: its merge key's value in a list of objects, the element
// itself in a list of primitives. nullptr when an object lacks the key.
const json* identity(const json& item, const std::string& mergeKey, bool maps) {
  if (!maps) {
    return &item;
  }
  if (!item.is_object()) {
    return nullptr;
  }
  auto it = item.find(mergeKey);
  return it == item.end() ? nullptr : &*it;
}

bool sameIdentity(const json& a, const json& b, const std::string& mergeKey, bool maps) {
  const json* x = identity(a, mergeKey, maps);
  const json* y = identity(b, mergeKey, maps);
  if (x == nullptr || y == nullptr) {
    return x == y;  // two elements without the key look alike, as in upstream's lookup
  }
  return *x == *y;
}

size_t indexIn(const json& list, const json& item, const std::string& mergeKey, bool maps) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (sameIdentity(list[i], item, mergeKey, maps)) {
      return i;
    }
  }
  return std::numeric_limits<size_t>::max();
}

Status requireMergeKey(const json& item, const std::string& mergeKey) {
  if (!item.is_object()) {
    return errBadArgType(kMapType, item);
  }
  if (!item.contains(mergeKey)) {
    return errNoMergeKey(item, mergeKey);
  }
  return Status::ok();
}

bool isDeleteElement(const json& item) {
  auto it = item.find(kPatchDirective);
  return it != item.end() && *it == "delete";
}

// `toSort` stably sorted by where its elements stand in `order`; elements `order` does not
// hold keep their relative order after the others, and "$patch": "delete" elements go last.
Result<json> sortByOrder(json toSort, const json& order, const std::string& mergeKey, bool maps) {
  json deletes = json::array();
  if (maps) {
    for (const json* list : {static_cast<const json*>(&toSort), &order}) {
      for (const json& item : *list) {
        if (Status s = requireMergeKey(item, mergeKey); !s.isOk()) {
          return s;
        }
      }
    }
    json kept = json::array();
    for (json& item : toSort) {
      (isDeleteElement(item) ? deletes : kept).push_back(std::move(item));
    }
    toSort = std::move(kept);
  }
  std::vector<std::pair<size_t, json>> ranked;
  ranked.reserve(toSort.size());
  for (json& item : toSort) {
    size_t rank = indexIn(order, item, mergeKey, maps);
    ranked.emplace_back(rank, std::move(item));
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& l, const auto& r) { return l.first < r.first; });
  json sorted = json::array();
  for (auto& [rank, item] : ranked) {
    sorted.push_back(std::move(item));
  }
  for (json& item : deletes) {
    sorted.push_back(std::move(item));
  }
  return sorted;
}

// Interleaves server-only elements (`left`) into the patch's (`right`), keeping the order
// within each: a server-only element goes first when the live list had it before the
// patch element it is compared with.
json mergeSorted(json left, json right, const json& serverOrder, const std::string& mergeKey,
                 bool maps) {
  json out = json::array();
  size_t i = 0, j = 0;
  while (i < left.size() || j < right.size()) {
    if (j >= right.size()) {
      out.push_back(std::move(left[i++]));
      continue;
    }
    if (i >= left.size()) {
      out.push_back(std::move(right[j++]));
      continue;
    }
    size_t li = indexIn(serverOrder, left[i], mergeKey, maps);
    size_t ri = indexIn(serverOrder, right[j], mergeKey, maps);
    constexpr size_t kAbsent = std::numeric_limits<size_t>::max();
    if (li != kAbsent && ri != kAbsent && li < ri) {
      out.push_back(std::move(left[i++]));
    } else {
      out.push_back(std::move(right[j++]));
    }
  }
  return out;
}

Result<json> normalizeOrder(json patchItems, json serverOnly, const json& patchOrder,
                            const json& serverOrder, const std::string& mergeKey, bool maps) {
  auto patchSorted = sortByOrder(std::move(patchItems), patchOrder, mergeKey, maps);
  if (!patchSorted.ok()) {
    return patchSorted.status();
  }
  auto serverSorted = sortByOrder(std::move(serverOnly), serverOrder, mergeKey, maps);
  if (!serverSorted.ok()) {
    return serverSorted.status();
  }
  return mergeSorted(std::move(*serverSorted), std::move(*patchSorted), serverOrder, mergeKey,
                     maps);
}

// Splits `merged` into the elements `by` holds and the others (server-only).
Result<std::pair<json, json>> partition(json merged, const json& by, const std::string& mergeKey,
                                        bool maps) {
  json inPatch = json::array();
  json serverOnly = json::array();
  for (json& item : merged) {
    if (maps) {
      if (Status s = requireMergeKey(item, mergeKey); !s.isOk()) {
        return s;
      }
    }
    bool found = indexIn(by, item, mergeKey, maps) != std::numeric_limits<size_t>::max();
    (found ? inPatch : serverOnly).push_back(std::move(item));
  }
  return std::pair<json, json>(std::move(inPatch), std::move(serverOnly));
}

// Handles the "$patch" elements of a merged list of objects: deletes by merge key, and
// "replace", which makes the patch's other elements the whole list. Returns the patch's
// remaining elements; `original` is updated.
Result<json> applyListDirectives(json& original, const json& patch, const std::string& mergeKey) {
  json plain = json::array();
  bool replace = false;
  for (const json& item : patch) {
    auto d = item.find(kPatchDirective);
    if (d == item.end()) {
      plain.push_back(item);
    } else if (*d == "delete") {
      auto key = item.find(mergeKey);
      if (key == item.end()) {
        return errNoMergeKey(item, mergeKey);
      }
      json kept = json::array();
      for (json& o : original) {
        if (!(o.is_object() && o.contains(mergeKey) && o[mergeKey] == *key)) {
          kept.push_back(std::move(o));
        }
      }
      original = std::move(kept);
    } else if (*d == "replace") {
      replace = true;  // the other "$patch" elements are still checked
    } else if (*d == "merge") {
      return badRequest("merging lists cannot yet be specified in the patch");
    } else {
      return errBadPatchType(*d, item);
    }
  }
  if (replace) {
    original = withoutDirectives(std::move(plain)).value_or(json::array());
    return json::array();
  }
  return plain;
}

// Merges each patch element into the original element with its merge key, or appends it.
Status mergeByKey(json& original, json& patch, const std::string& mergeKey,
                  const TypeNode* elem) {
  for (json& item : patch) {
    auto key = item.find(mergeKey);
    if (key == item.end()) {
      return errNoMergeKey(item, mergeKey);
    }
    auto match = std::find_if(original.begin(), original.end(), [&](const json& o) {
      return o.is_object() && o.contains(mergeKey) && o.at(mergeKey) == *key;
    });
    if (match != original.end()) {
      json itemCopy = item;
      if (Status s = mergeMap(*match, itemCopy, elem); !s.isOk()) {
        return s;
      }
    } else if (auto v = newValue(item)) {
      original.push_back(std::move(*v));
    }
  }
  return Status::ok();
}

Result<json> mergePrimitives(json original, const json& patch, bool deleteList) {
  if (deleteList) {
    json kept = json::array();
    for (json& v : original) {
      if (std::find(patch.begin(), patch.end(), v) == patch.end()) {
        kept.push_back(std::move(v));
      }
    }
    return kept;
  }
  json merged = json::array();
  for (const json* list : {static_cast<const json*>(&original), &patch}) {
    for (const json& v : *list) {
      if (std::find(merged.begin(), merged.end(), v) == merged.end()) {
        merged.push_back(v);
      }
    }
  }
  auto parts = partition(std::move(merged), patch, "", false);
  if (!parts.ok()) {
    return parts.status();
  }
  return normalizeOrder(std::move(parts->first), std::move(parts->second), patch, original, "",
                        false);
}

Result<json> mergeSlice(json original, json patch, const FieldMeta& meta, bool deleteList) {
  if (original.empty() && patch.empty()) {
    return original;
  }
  auto maps = elementsAreMaps(original, patch);
  if (!maps.ok()) {
    return maps.status();
  }
  if (!*maps) {
    return mergePrimitives(std::move(original), patch, deleteList);
  }
  if (meta.mergeKey.empty()) {
    return badRequest("cannot merge lists without merge key for " + meta.name);
  }
  auto plain = applyListDirectives(original, patch, meta.mergeKey);
  if (!plain.ok()) {
    return plain.status();
  }
  json serverOrder = original;
  if (Status s = mergeByKey(original, *plain, meta.mergeKey, meta.elem); !s.isOk()) {
    return s;
  }
  auto parts = partition(std::move(original), *plain, meta.mergeKey, true);
  if (!parts.ok()) {
    return parts.status();
  }
  return normalizeOrder(std::move(parts->first), std::move(parts->second), *plain, serverOrder,
                        meta.mergeKey, true);
}

// Upstream's check that the patch list follows the directive's order (deletions aside).
Status checkAgainstOrder(const json& patchList, const json& order, const std::string& mergeKey) {
  if (order.empty() || patchList.empty()) {
    return Status::ok();
  }
  std::vector<const json*> items;
  for (const json& item : patchList) {
    if (!mergeKey.empty()) {
      if (!item.is_object()) {
        return errBadArgType(kMapType, item);
      }
      if (isDeleteElement(item)) {
        continue;
      }
    }
    items.push_back(&item);
  }
  size_t p = 0, o = 0;
  while (p < items.size() && o < order.size()) {
    const json& item = *items[p];
    if (item.is_object() && item.contains(kPatchDirective)) {
      ++p;
      continue;
    }
    if (!mergeKey.empty()) {
      if (Status s = requireMergeKey(item, mergeKey); !s.isOk()) {
        return s;
      }
      if (Status s = requireMergeKey(order[o], mergeKey); !s.isOk()) {
        return s;
      }
    }
    if (sameIdentity(item, order[o], mergeKey, !mergeKey.empty())) {
      ++p;
    }
    ++o;
  }
  if (p < items.size()) {
    return badRequest("The order in patch list:\n" + goValue(patchList) +
                      "\n doesn't match $setElementOrder list:\n" + goValue(order) + "\n");
  }
  return Status::ok();
}

// For a field the type graph does not know, the directive's entries say how the list merges:
// entries that are primitives make it a set; objects that all name the same single key make
// that key the merge key.
void inferFromOrder(FieldMeta& meta, const json& order) {
  if (!isUnknown(meta.node) || order.empty()) {
    return;
  }
  if (std::none_of(order.begin(), order.end(), [](const json& e) { return e.is_structured(); })) {
    meta.mergeList = true;
    return;
  }
  std::string key;
  for (const json& e : order) {
    if (!e.is_object() || e.size() != 1 || (!key.empty() && e.begin().key() != key)) {
      return;
    }
    key = e.begin().key();
  }
  meta.mergeList = true;
  meta.mergeKey = key;
}

// One "$setElementOrder/<field>" directive with its list.
Status applyElementOrder(json& original, json& patch, const TypeNode* node, const std::string& key,
                         const json& order) {
  if (!order.is_array()) {
    return errBadArgType(kListType, order);
  }
  auto field = directiveField(key, kSetElementOrderPrefix);
  if (!field.ok()) {
    return field.status();
  }
  FieldMeta meta = fieldMeta(node, *field);
  inferFromOrder(meta, order);
  auto o = original.find(*field);
  auto p = patch.find(*field);
  bool inOriginal = o != original.end();
  bool inPatch = p != patch.end();
  if (inOriginal && !o->is_array()) {
    return errBadArgType(kListType, *o);
  }
  if (inPatch && !p->is_array()) {
    return errBadArgType(kListType, *p);
  }
  json originalList = inOriginal ? *o : json::array();
  json patchList = inPatch ? *p : json::array();
  if (Status s = checkAgainstOrder(patchList, order, meta.mergeKey); !s.isOk()) {
    return s;
  }
  if (!inOriginal && !inPatch) {
    return Status::ok();
  }
  json merged;
  if (!inPatch) {
    merged = originalList;
  } else if (!inOriginal) {
    merged = withoutDirectives(patchList).value_or(json::array());
  } else {
    auto m = mergeListField(originalList, patchList, meta, /*deleteList=*/false);
    if (!m.ok()) {
      return m.status();
    }
    merged = std::move(*m);
  }
  patch.erase(*field);
  if (originalList.empty() && patchList.empty()) {
    original[*field] = std::move(merged);
    return Status::ok();
  }
  auto maps = elementsAreMaps(originalList, patchList);
  if (!maps.ok()) {
    return maps.status();
  }
  bool byKey = !meta.mergeKey.empty();
  auto parts = partition(std::move(merged), order, meta.mergeKey, byKey);
  if (!parts.ok()) {
    return parts.status();
  }
  auto ordered = normalizeOrder(std::move(parts->first), std::move(parts->second), order,
                                originalList, meta.mergeKey, *maps);
  if (!ordered.ok()) {
    return ordered.status();
  }
  original[*field] = std::move(*ordered);
  return Status::ok();
}

}  // namespace

Result<json> mergeListField(json original, json patch, const FieldMeta& meta, bool deleteList) {
  if (meta.mergeList || deleteList) {
    return mergeSlice(std::move(original), std::move(patch), meta, deleteList);
  }
  return withoutDirectives(std::move(patch)).value_or(json::array());
}

Status applyElementOrders(json& original, json& patch, const TypeNode* node) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : patch.items()) {
    if (k.rfind(kSetElementOrderPrefix, 0) == 0) {
      keys.push_back(k);
    }
  }
  for (const std::string& key : keys) {
    json order = std::move(patch[key]);
    patch.erase(key);
    if (Status s = applyElementOrder(original, patch, node, key, order); !s.isOk()) {
      return s;
    }
  }
  return Status::ok();
}

}  // namespace tug::api::smp
