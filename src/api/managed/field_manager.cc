#include "api/managed/field_manager.h"

#include <algorithm>
#include <map>
#include <optional>

#include "api/managed/managed_fields.h"
#include "api/managed/object_fields.h"
#include "api/managed/object_merge.h"

namespace tug::api::managed {
namespace {

// Metadata the server manages; nobody owns it (the members themselves, not what is below).
const FieldSet& serverManaged() {
  static const FieldSet kSet = [] {
    FieldSet s;
    for (const char* f : {"apiVersion", "kind", "metadata"}) {
      s.insert({fieldElement(f)});
    }
    for (const char* f : {"name", "namespace", "creationTimestamp", "selfLink", "uid",
                          "clusterName", "generation", "managedFields", "resourceVersion"}) {
      s.insert({fieldElement("metadata"), fieldElement(f)});
    }
    return s;
  }();
  return kSet;
}

// The part of `s` this writer may own: not server-managed metadata, and only .status on the
// status subresource, anything but .status on a main resource that has one.
FieldSet ownable(const FieldSet& s, const Writer& w) {
  FieldSet out = s.difference(serverManaged());
  FieldSet status;
  status.insert({fieldElement("status")});
  if (w.subresource == "status") {
    return out.restrictedTo({fieldElement("status")});
  }
  if (w.statusIsSubresource) {
    return out.recursiveDifference(status);
  }
  return out;
}

nlohmann::json withoutManagedFields(const nlohmann::json* obj) {
  if (obj == nullptr || !obj->is_object()) {
    return nlohmann::json::object();
  }
  nlohmann::json copy = *obj;
  clearManagedFields(copy);
  return copy;
}

ManagerEntry& entryFor(ManagedFields& entries, const ManagerEntry& who) {
  auto it = std::find_if(entries.begin(), entries.end(),
                         [&](const ManagerEntry& e) { return e.sameOwner(who); });
  if (it != entries.end()) {
    return *it;
  }
  entries.push_back(who);
  return entries.back();
}

// Takes what changed away from the other entries. Without `force`, changed fields that
// others own are conflicts instead, and nothing is taken.
std::vector<Conflict> transferOwnership(ManagedFields& entries, const ManagerEntry* self,
                                        const Comparison& cmp, bool force) {
  FieldSet changed = cmp.modified.unionWith(cmp.added);
  // Forced, the conflicts would only be thrown away: a non-apply write takes what it changes.
  if (!force) {
    std::vector<Conflict> conflicts;
    for (const ManagerEntry& e : entries) {
      if (self != nullptr && e.sameOwner(*self)) {
        continue;
      }
      e.fields.intersection(changed).forEachMember(
          [&](const FieldPath& p) { conflicts.push_back({e.describe(), p}); });
    }
    if (!conflicts.empty()) {
      return conflicts;
    }
  }
  for (ManagerEntry& e : entries) {
    if (self != nullptr && e.sameOwner(*self)) {
      continue;
    }
    e.fields = e.fields.difference(changed).difference(cmp.removed);
  }
  return {};
}

// What changed from `before` to `after` that `w` may own. The comparison leaves out what
// ownable() would drop whole: managedFields, and .status or all but .status.
Comparison ownableChanges(const nlohmann::json& before, const nlohmann::json& after,
                          const TypeNode* type, const Writer& w) {
  CompareScope scope{.withoutManagedFields = true};
  if (w.subresource == "status") {
    scope.onlyMember = "status";
  } else if (w.statusIsSubresource) {
    scope.exceptMember = "status";
  }
  Comparison cmp = compareObjects(before, after, type, scope);
  cmp.added = ownable(cmp.added, w);
  cmp.modified = ownable(cmp.modified, w);
  cmp.removed = ownable(cmp.removed, w);
  return cmp;
}

// What of an applied configuration reaches the object: .status only through the status
// subresource, and only .status there.
nlohmann::json applicablePart(const nlohmann::json& config, const Writer& w) {
  if (w.subresource == "status") {
    nlohmann::json out = nlohmann::json::object();
    if (auto s = config.find("status"); s != config.end()) {
      out["status"] = *s;
    }
    return out;
  }
  nlohmann::json out = config;
  if (w.statusIsSubresource) {
    out.erase("status");
  }
  return out;
}

// obj.metadata.managedFields, when present and not null.
const nlohmann::json* managedFieldsList(const nlohmann::json& obj) {
  if (!obj.is_object()) {
    return nullptr;
  }
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) {
    return nullptr;
  }
  auto f = m->find("managedFields");
  return f != m->end() && !f->is_null() ? &*f : nullptr;
}

bool hasManagedFields(const nlohmann::json& obj) { return managedFieldsList(obj) != nullptr; }

// Takes membership away from the member at `key` of a FieldsV1 node, as a FieldSet difference
// does: a lone member goes, one with members below it loses its ".".
void unmark(nlohmann::json& node, const std::string& key) {
  auto it = node.find(key);
  if (it == node.end()) {
    return;
  }
  if (it->empty()) {
    node.erase(it);
  } else {
    it->erase(".");
  }
}

// ownable() for a create's added fields, on their FieldsV1.
void keepOwnable(nlohmann::json& fields, const Writer& w) {
  serverManaged().forEachMember([&fields](const FieldPath& path) {
    nlohmann::json* node = &fields;
    for (size_t i = 0; i + 1 < path.size(); ++i) {
      auto it = node->find(path[i]);
      if (it == node->end()) {
        return;
      }
      node = &*it;
    }
    unmark(*node, path.back());
  });
  // Unmarking metadata's members can leave it holding nothing.
  if (auto m = fields.find("f:metadata"); m != fields.end() && m->empty()) {
    fields.erase(m);
  }
  if (w.statusIsSubresource) {
    fields.erase("f:status");
  }
}

// A create that brings no entries of its own: everything it holds is new and the writer's.
void recordCreate(nlohmann::json& next, const TypeNode* type, const Writer& writer) {
  clearManagedFields(next);
  nlohmann::json fields = addedFieldsV1(next, type);
  keepOwnable(fields, writer);
  if (fields.empty()) {
    return;
  }
  ManagerEntry self{writer.manager, "Update", writer.apiVersion, writer.time, "", FieldSet()};
  nlohmann::json entry = encodeEntry(self, std::move(fields));
  next["metadata"]["managedFields"] = nlohmann::json::array({std::move(entry)});
}

}  // namespace

void recordUpdate(const nlohmann::json* live, nlohmann::json& next, const TypeNode* type,
                  const Writer& writer) {
  static const nlohmann::json kNothing = nlohmann::json::object();
  const nlohmann::json& before = live != nullptr && live->is_object() ? *live : kNothing;
  const nlohmann::json& after = next.is_object() ? next : kNothing;
  std::optional<Comparison> cmp;
  if (live != nullptr) {
    const nlohmann::json* stored = managedFieldsList(*live);
    const nlohmann::json* sent = writer.subresource.empty() ? managedFieldsList(next) : nullptr;
    if (sent == nullptr || (stored != nullptr && *sent == *stored)) {
      cmp = ownableChanges(before, after, type, writer);
      if (cmp->added.empty() && cmp->modified.empty() && cmp->removed.empty()) {
        // Nothing the writer may own changed, so the stored entries stand as they are: the
        // server wrote them, in upstream's order and without empty entries, as below.
        if (stored != nullptr) {
          next["metadata"]["managedFields"] = *stored;
        } else {
          clearManagedFields(next);
        }
        return;
      }
    }
  }
  // A client may set the entries on a main-resource write; a broken or empty list keeps
  // the stored ones rather than losing them.
  ManagedFields entries;
  bool fromClient = false;
  if (writer.subresource.empty()) {
    auto sent = managedFieldsOf(next);
    if (sent.ok() && !sent->empty()) {
      entries = std::move(*sent);
      fromClient = true;
    }
  }
  if (!fromClient && live != nullptr) {
    auto stored = managedFieldsOf(*live);
    entries = stored.ok() ? std::move(*stored) : ManagedFields{};
  }
  if (live == nullptr && entries.empty() && writer.subresource.empty()) {
    recordCreate(next, type, writer);
    return;
  }
  if (!cmp) {
    cmp = ownableChanges(before, after, type, writer);
  }
  ManagerEntry self{writer.manager, "Update", writer.apiVersion, writer.time,
                    writer.subresource, FieldSet()};
  (void)transferOwnership(entries, &self, *cmp, /*force=*/true);
  ManagerEntry& mine = entryFor(entries, self);
  mine.fields = mine.fields.difference(cmp->removed);
  FieldSet changed = cmp->modified.unionWith(cmp->added);
  if (!changed.empty()) {
    mine.fields = mine.fields.unionWith(changed);
    mine.time = writer.time;
  }
  setManagedFields(next, std::move(entries));
  if (!hasManagedFields(next)) {
    clearManagedFields(next);
  }
}

Result<Applied> applyConfiguration(const nlohmann::json* live, const nlohmann::json& config,
                                   const TypeNode* type, const Writer& writer, bool force) {
  if (hasManagedFields(config)) {
    return badRequest("metadata.managedFields must be nil");
  }
  ManagedFields entries;
  if (live != nullptr) {
    auto stored = managedFieldsOf(*live);
    if (!stored.ok()) {
      return stored.status();
    }
    entries = std::move(*stored);
  }
  const nlohmann::json before = withoutManagedFields(live);
  const nlohmann::json part = applicablePart(config, writer);
  nlohmann::json merged = mergeApplied(before, part, type);

  ManagerEntry self{writer.manager, "Apply", writer.apiVersion, writer.time,
                    writer.subresource, FieldSet()};
  const bool isNew = std::none_of(entries.begin(), entries.end(),
                                  [&](const ManagerEntry& e) { return e.sameOwner(self); });
  ManagerEntry& mine = entryFor(entries, self);
  const FieldSet previous = mine.fields;
  mine.fields = ownable(fieldsOf(part, type), writer);
  mine.apiVersion = writer.apiVersion;

  // Fields this manager stops applying go, unless someone (itself included) still owns them.
  FieldSet dropped = previous.difference(mine.fields);
  if (!dropped.empty()) {
    FieldSet owned;
    for (const ManagerEntry& e : entries) {
      owned = owned.unionWith(e.fields);
    }
    removeFields(merged, dropped, owned, type);
  }

  Comparison cmp = ownableChanges(before, merged, type, writer);
  std::vector<Conflict> conflicts = transferOwnership(entries, &self, cmp, force);
  if (!conflicts.empty()) {
    std::sort(conflicts.begin(), conflicts.end(), [](const Conflict& a, const Conflict& b) {
      return std::tie(a.owner, a.path) < std::tie(b.owner, b.path);
    });
    return Applied{nlohmann::json(), std::move(conflicts)};
  }
  // An apply that changes nothing keeps the entry's time: re-applying is not a change.
  ManagerEntry& entry = entryFor(entries, self);
  if (isNew || merged != before) {
    entry.time = writer.time;
  }
  setManagedFields(merged, std::move(entries));
  return Applied{std::move(merged), {}};
}

std::string conflictMessage(const std::vector<Conflict>& conflicts) {
  if (conflicts.size() == 1) {
    return "Apply failed with 1 conflict: conflict with " + conflicts[0].owner + ": " +
           pathString(conflicts[0].path);
  }
  std::map<std::string, std::vector<std::string>> byOwner;
  for (const Conflict& c : conflicts) {
    byOwner[c.owner].push_back(pathString(c.path));
  }
  std::string out = "Apply failed with " + std::to_string(conflicts.size()) + " conflicts: ";
  bool first = true;
  for (const auto& [owner, paths] : byOwner) {
    out += (first ? "" : "\n") + std::string("conflicts with ") + owner + ":";
    for (const std::string& p : paths) {
      out += "\n- " + p;
    }
    first = false;
  }
  return out;
}

nlohmann::json conflictCauses(const std::vector<Conflict>& conflicts) {
  nlohmann::json causes = nlohmann::json::array();
  for (const Conflict& c : conflicts) {
    causes.push_back({{"reason", "FieldManagerConflict"},
                      {"message", "conflict with " + c.owner},
                      {"field", pathString(c.path)}});
  }
  return causes;
}

}  // namespace tug::api::managed
