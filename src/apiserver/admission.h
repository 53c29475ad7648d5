#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/resource_registry.h"
#include "api/validation/field_error.h"
#include "apiserver/resource_verbs.h"

// The one step every write runs after decoding the body and before storing it: defaulting
// (with what upstream's registry strategies set on create and update), then validation. Create,
// update (PUT) and patch all call it, so an object is stored only in the shape and with the
// checks that upstream's API server gives it.
namespace tug::apiserver {

// A new object. REQUIRES: identity and server metadata are set (checkAndSetIdentity,
// prepareForCreate) and a generateName has been turned into a name. Defaults `obj` in place;
// returns the 422 Invalid reply when it may not be stored.
std::optional<Reply> admitCreate(const api::ResourceInfo& info, nlohmann::json& obj);

// An object replacing `old` (PUT, or the result of applying a patch to `old`). Run it before
// prepareForUpdate() so that the generation compares defaulted specs. Defaults `obj` in place;
// returns the 422 Invalid reply when the change is refused.
//
// Where the caller's mutation step can only return a Status (writeUpdate's Mutation), keep the
// reply in a variable the lambda captures and return it instead of writeUpdate's answer.
std::optional<Reply> admitUpdate(const api::ResourceInfo& info, nlohmann::json& obj,
                                 const nlohmann::json& old);

// The 422 reply upstream gives for `errors` about the object `name`: reason Invalid, message
// `<Kind>[.<group>] "<name>" is invalid: ...`, details {name, group, kind, causes}.
Reply invalidReply(const api::ResourceInfo& info, std::string_view name,
                   const api::validation::ErrorList& errors);

}  // namespace tug::apiserver
