#include "controllers/garbagecollector/patches.h"

#include <algorithm>

namespace tug::controllers::gc {
namespace {

const json* metadataList(const json& obj, const char* key) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) {
    return nullptr;
  }
  auto l = m->find(key);
  return l != m->end() && l->is_array() ? &*l : nullptr;
}

json testUid(const json& obj) {
  return {{"op", "test"}, {"path", "/metadata/uid"}, {"value", obj["metadata"].value("uid", "")}};
}

std::string entryPath(const char* list, size_t i) {
  return "/metadata/" + std::string(list) + "/" + std::to_string(i);
}

std::string refUid(const json& ref) {
  return ref.is_object() ? ref.value("uid", "") : "";
}

}  // namespace

std::optional<std::string> removeOwnerReferencesPatch(const json& obj,
                                                      const std::vector<std::string>& ownerUids) {
  const json* refs = metadataList(obj, "ownerReferences");
  if (refs == nullptr) {
    return std::nullopt;
  }
  std::vector<size_t> drop;
  for (size_t i = 0; i < refs->size(); ++i) {
    if (std::find(ownerUids.begin(), ownerUids.end(), refUid((*refs)[i])) != ownerUids.end()) {
      drop.push_back(i);
    }
  }
  if (drop.empty()) {
    return std::nullopt;
  }
  json ops = json::array({testUid(obj)});
  for (size_t i : drop) {
    ops.push_back({{"op", "test"}, {"path", entryPath("ownerReferences", i) + "/uid"},
                   {"value", refUid((*refs)[i])}});
  }
  if (drop.size() == refs->size()) {
    ops.push_back({{"op", "remove"}, {"path", "/metadata/ownerReferences"}});
  } else {
    // From the end, so that the indices of the entries still to remove stay valid.
    for (auto it = drop.rbegin(); it != drop.rend(); ++it) {
      ops.push_back({{"op", "remove"}, {"path", entryPath("ownerReferences", *it)}});
    }
  }
  return ops.dump();
}

std::optional<std::string> unblockOwnerReferencesPatch(const json& obj) {
  const json* refs = metadataList(obj, "ownerReferences");
  if (refs == nullptr) {
    return std::nullopt;
  }
  json ops = json::array({testUid(obj)});
  for (size_t i = 0; i < refs->size(); ++i) {
    const json& ref = (*refs)[i];
    if (ref.is_object() && ref.value("blockOwnerDeletion", false)) {
      ops.push_back({{"op", "test"}, {"path", entryPath("ownerReferences", i) + "/uid"},
                     {"value", refUid(ref)}});
      ops.push_back({{"op", "replace"},
                     {"path", entryPath("ownerReferences", i) + "/blockOwnerDeletion"},
                     {"value", false}});
    }
  }
  if (ops.size() == 1) {
    return std::nullopt;
  }
  return ops.dump();
}

std::optional<std::string> removeFinalizerPatch(const json& obj, const std::string& finalizer) {
  const json* finalizers = metadataList(obj, "finalizers");
  if (finalizers == nullptr) {
    return std::nullopt;
  }
  json ops = json::array({testUid(obj)});
  std::vector<size_t> drop;
  for (size_t i = 0; i < finalizers->size(); ++i) {
    if ((*finalizers)[i] == finalizer) {
      drop.push_back(i);
      ops.push_back({{"op", "test"}, {"path", entryPath("finalizers", i)}, {"value", finalizer}});
    }
  }
  if (drop.empty()) {
    return std::nullopt;
  }
  for (auto it = drop.rbegin(); it != drop.rend(); ++it) {
    ops.push_back({{"op", "remove"}, {"path", entryPath("finalizers", *it)}});
  }
  return ops.dump();
}

}  // namespace tug::controllers::gc
