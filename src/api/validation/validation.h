#pragma once

#include <string_view>

#include "api/validation/field_error.h"
#include "api/validation/json_access.h"

// Validation of the built-in kinds, as upstream's pkg/apis/<group>/validation does it: the
// returned list is empty when the object is valid; otherwise the API server answers 422
// Invalid with these errors as causes. Objects are expected to be defaulted first.
namespace tug::api::validation {

struct KindRef {
  std::string_view group;  // "" for the core group
  std::string_view kind;
  bool namespaced = true;
};

// An object about to be created. Unknown kinds get the metadata checks only.
ErrorList validateCreate(const KindRef& kind, const Json& obj);
// An object replacing `old`: the create rules plus what may not change.
ErrorList validateUpdate(const KindRef& kind, const Json& obj, const Json& old);

// Pod specs, shared by Pods and every template.
ErrorList validatePodSpec(const Json& spec, const Path& p);
// {metadata, spec} of a template: labels, annotations and the spec.
ErrorList validatePodTemplateSpec(const Json& tmpl, const Path& p);

}  // namespace tug::api::validation
