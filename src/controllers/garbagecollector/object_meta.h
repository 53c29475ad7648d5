#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// What the garbage collector reads of an object: who it is, who owns it, and whether it is
// being deleted and how. Nothing else of an object is kept.
namespace tug::controllers::gc {

using json = nlohmann::json;

inline constexpr const char* kForegroundFinalizer = "foregroundDeletion";
inline constexpr const char* kOrphanFinalizer = "orphan";

struct OwnerReference {
  std::string apiVersion, kind, name, uid;
  bool blockOwnerDeletion = false;
  bool operator==(const OwnerReference&) const = default;
};

// Enough to find an object through the API. `ns` is empty for cluster-scoped objects (and,
// for an owner known only from a reference, the namespace of the dependent that names it).
struct Identity {
  std::string apiVersion, kind, ns, name, uid;
  bool operator==(const Identity&) const = default;
  // "v1/ConfigMap default/a (uid ...)", for logs.
  std::string describe() const;
};

struct ObjectMeta {
  Identity identity;
  std::vector<OwnerReference> owners;
  std::vector<std::string> finalizers;
  bool beingDeleted = false;  // has a deletionTimestamp

  bool hasFinalizer(std::string_view name) const;
};

// The metadata of `obj`; apiVersion and kind are the caller's (items of a list may omit them).
ObjectMeta readObjectMeta(const json& obj, const std::string& apiVersion, const std::string& kind);

// `obj` cut down to the metadata readObjectMeta reads: the transform of the collector's
// informers, so that their caches hold a few hundred bytes per object.
json metadataOnly(json&& obj);

// "apps" of "apps/v1", "" of "v1".
std::string groupOf(std::string_view apiVersion);

// Whether `ref` names `identity` (same apiVersion, kind, name and uid).
bool refersTo(const OwnerReference& ref, const Identity& identity);

}  // namespace tug::controllers::gc
