#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/managed/field_set.h"
#include "api/type_node.h"
#include "common/status.h"

// Field ownership on writes: what a non-apply write (create, update, patch) records in
// metadata.managedFields, and server-side apply. Free of HTTP and of the store: callers pass
// objects in and write what comes back.
namespace tug::api::managed {

// Who writes, and where.
struct Writer {
  std::string manager;      // the fieldManager parameter, or the User-Agent up to its first '/'
  std::string apiVersion;   // group/version of the request ("apps/v1", "v1")
  std::string subresource;  // "" or "status"
  std::string time;         // now, RFC 3339
  // The write goes to the main resource of a kind with a status subresource: .status is the
  // status writers' and is neither owned nor changed here.
  bool statusIsSubresource = false;
};

// Records a non-apply write in next.metadata.managedFields. `live` is the stored object
// (nullptr when creating). The entries come from `next` when a main-resource write sends
// some (clients may set them), from `live` otherwise. The writer's Update entry gains the
// fields the write added or changed (and gets the time); every entry loses the fields this
// write changed or removed; entries that own nothing are dropped. Server-managed metadata
// (name, uid, resourceVersion, ...) is never owned.
void recordUpdate(const nlohmann::json* live, nlohmann::json& next, const TypeNode* type,
                  const Writer& writer);

struct Conflict {
  std::string owner;  // ManagerEntry::describe() of the other manager
  FieldPath path;
};

struct Applied {
  nlohmann::json object;  // the live object with the configuration applied, managedFields set
  std::vector<Conflict> conflicts;  // not empty: the apply failed and `object` is unset
};

// Server-side apply of `config` by writer.manager to `live` (nullptr when creating).
// The configuration is merged by the type; fields the manager applied before and no longer
// applies are removed unless another manager owns them; a changed field owned by another
// manager is a conflict unless `force`, which takes it over. BadRequest when the configuration
// carries managedFields or `live` has managedFields that cannot be read.
Result<Applied> applyConfiguration(const nlohmann::json* live, const nlohmann::json& config,
                                   const TypeNode* type, const Writer& writer, bool force);

// "Apply failed with 1 conflict: conflict with \"x\" using apps/v1: .spec.replicas", or the
// many-conflicts form grouped by manager.
std::string conflictMessage(const std::vector<Conflict>& conflicts);
// The metav1.StatusCause list: {"reason":"FieldManagerConflict","message":"conflict with ...",
// "field":".spec.replicas"} per conflict.
nlohmann::json conflictCauses(const std::vector<Conflict>& conflicts);

}  // namespace tug::api::managed
