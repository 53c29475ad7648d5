#pragma once

#include <string_view>

#include "api/validation/json_access.h"

// What upstream's registry strategies change on writes beyond defaulting: the generated Job
// selector and labels, a Namespace's `kubernetes` finalizer, a Service's IP family fields, a
// new Pod's status, a DaemonSet's template generation. Run after defaulting and before
// validation.
namespace tug::api::validation {

// REQUIRES: metadata.name and metadata.uid are set (the Job's generated labels use them).
void prepareCreate(std::string_view group, std::string_view kind, Json& obj);
// Carries over what a full replacement may omit but the server owns (a Service's cluster IPs
// and IP families, a Namespace's spec.finalizers).
void prepareUpdate(std::string_view group, std::string_view kind, Json& obj, const Json& old);

}  // namespace tug::api::validation
