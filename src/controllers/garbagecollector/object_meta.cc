#include "controllers/garbagecollector/object_meta.h"

#include <algorithm>

namespace tug::controllers::gc {
namespace {

std::string stringField(const json& o, const char* key) {
  auto v = o.find(key);
  return v != o.end() && v->is_string() ? v->get<std::string>() : "";
}

bool boolField(const json& o, const char* key) {
  auto v = o.find(key);
  return v != o.end() && v->is_boolean() && v->get<bool>();
}

}  // namespace

std::string Identity::describe() const {
  return apiVersion + "/" + kind + " " + (ns.empty() ? "" : ns + "/") + name + " (uid " + uid + ")";
}

bool ObjectMeta::hasFinalizer(std::string_view name) const {
  return std::find(finalizers.begin(), finalizers.end(), name) != finalizers.end();
}

ObjectMeta readObjectMeta(const json& obj, const std::string& apiVersion,
                          const std::string& kind) {
  ObjectMeta m;
  m.identity.apiVersion = apiVersion;
  m.identity.kind = kind;
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->is_object()) {
    return m;
  }
  m.identity.ns = stringField(*meta, "namespace");
  m.identity.name = stringField(*meta, "name");
  m.identity.uid = stringField(*meta, "uid");
  m.beingDeleted = !stringField(*meta, "deletionTimestamp").empty();
  if (auto refs = meta->find("ownerReferences"); refs != meta->end() && refs->is_array()) {
    for (const json& r : *refs) {
      if (!r.is_object()) {
        continue;
      }
      m.owners.push_back(OwnerReference{stringField(r, "apiVersion"), stringField(r, "kind"),
                                        stringField(r, "name"), stringField(r, "uid"),
                                        boolField(r, "blockOwnerDeletion")});
    }
  }
  if (auto f = meta->find("finalizers"); f != meta->end() && f->is_array()) {
    for (const json& name : *f) {
      if (name.is_string()) {
        m.finalizers.push_back(name.get<std::string>());
      }
    }
  }
  return m;
}

json metadataOnly(json&& obj) {
  json out = json::object();
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->is_object()) {
    return out;
  }
  json kept = json::object();
  for (const char* key : {"name", "namespace", "uid", "deletionTimestamp", "finalizers"}) {
    if (auto v = meta->find(key); v != meta->end()) {
      kept[key] = std::move(*v);
    }
  }
  if (auto refs = meta->find("ownerReferences"); refs != meta->end() && refs->is_array()) {
    json slim = json::array();
    for (json& r : *refs) {
      if (r.is_object()) {
        r.erase("controller");  // not read by the collector
        slim.push_back(std::move(r));
      }
    }
    kept["ownerReferences"] = std::move(slim);
  }
  out["metadata"] = std::move(kept);
  return out;
}

std::string groupOf(std::string_view apiVersion) {
  auto slash = apiVersion.find('/');
  return slash == std::string_view::npos ? "" : std::string(apiVersion.substr(0, slash));
}

bool refersTo(const OwnerReference& ref, const Identity& identity) {
  return ref.uid == identity.uid && ref.name == identity.name && ref.kind == identity.kind &&
         ref.apiVersion == identity.apiVersion;
}

}  // namespace tug::controllers::gc
