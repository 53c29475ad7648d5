#pragma once

#include <string>
#include <string_view>

#include "auth/attributes.h"
#include "common/status.h"

namespace tug::auth {

// The message of upstream's 403 for a request the authorizer denied, word for word:
//   pods "web" is forbidden: User "bob" cannot get resource "pods" in API group "" in the
//     namespace "dev"
//   deployments.apps is forbidden: User "bob" cannot list resource "deployments" in API group
//     "apps" at the cluster scope
//   pods "web" is forbidden: User "bob" cannot get resource "pods/log" in API group "" ...
//   forbidden: User "bob" cannot get path "/foo"
// A non-empty `reason` (the authorizer's) follows after ": ". Like upstream, &, < and > in the
// part after "forbidden: " are written as HTML entities, so that no client renders it as markup.
// The Status object's details are the request's: group apiGroup, kind resource, name name.
std::string forbiddenMessage(const Attributes& request, std::string_view reason = "");

// The same, as a Forbidden status.
Status forbidden(const Attributes& request, std::string_view reason = "");

}  // namespace tug::auth
