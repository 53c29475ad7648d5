#pragma once

#include <nlohmann/json.hpp>

#include "apiserver/resource_verbs.h"

// Server-side apply, and the managedFields every other write records.
namespace tug::apiserver {

// PATCH with Content-Type application/apply-patch+yaml on an object or its status: the body
// (YAML or JSON) is the manager's whole configuration, merged into the live object (which is
// created when missing) with field ownership and conflicts as upstream's field manager keeps
// them. Parameters: fieldManager (required), force, dryRun, fieldValidation (ignored).
Reply applyResource(const VerbContext& ctx, const VerbRequest& req);

// Records a non-apply write (create, update, patch; the status subresource too) in
// next.metadata.managedFields: an Update entry for the fieldManager parameter, or the
// User-Agent up to its first '/'. `live` is the stored object, nullptr on create. Does nothing
// for apply requests, which keep managedFields themselves.
void recordManagedFields(const VerbRequest& req, const nlohmann::json* live,
                         nlohmann::json& next);

}  // namespace tug::apiserver
