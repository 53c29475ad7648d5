#pragma once

#include "apiserver/routes.h"
#include "auth/rbac_lookup.h"

// The review resources clients ask the server about themselves with: SelfSubjectReview
// (`kubectl auth whoami`), SelfSubjectAccessReview (`kubectl auth can-i`), SubjectAccessReview
// and LocalSubjectAccessReview (may someone else do something?). They are created, never
// stored: the answer comes back in the object's status, decided by the same RBAC rules that
// authorize requests. Install before the resource routes, which would refuse them (no get).
namespace tug::apiserver {

RouteInstaller accessReviewRoutes(const auth::RbacLookup& lookup);

}  // namespace tug::apiserver
