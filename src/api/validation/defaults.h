#pragma once

#include <string_view>

#include "api/validation/json_access.h"

// Defaulting of the built-in kinds: what upstream's pkg/apis/<group>/v1/defaults.go fills in
// when an object is decoded, so that `kubectl get -o yaml` shows the same object and
// `kubectl diff` after `kubectl apply` is empty. Never fails; fields of an unexpected type are
// left alone for validation to report.
namespace tug::api::validation {

// Defaults an object of the given group and kind in place. Unknown kinds are left as they are.
void applyDefaults(std::string_view group, std::string_view kind, Json& obj);

// The pieces, for kinds that embed them.
void defaultPodSpec(Json& spec);          // PodSpec, as in pod templates
void defaultPodTemplateSpec(Json& tmpl);  // {metadata, spec}
void defaultPod(Json& pod);               // a Pod: PodSpec plus the Pod-only defaults
void defaultPersistentVolumeClaim(Json& pvc);

}  // namespace tug::api::validation
