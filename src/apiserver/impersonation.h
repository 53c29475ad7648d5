#pragma once

#include <httplib.h>

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "apiserver/user_info.h"
#include "auth/attributes.h"
#include "auth/authorizer.h"

// Acting as another user, as upstream's impersonation filter allows it: the Impersonate-User,
// Impersonate-Group (repeatable), Impersonate-Uid and Impersonate-Extra-<key> headers name the
// user the request is then authorized and served as. The requester must be allowed the verb
// `impersonate` on each thing it asks for:
//   Impersonate-User: x                       users "x" (or, for system:serviceaccount:<ns>:<n>,
//                                             serviceaccounts "<n>" in the namespace <ns>)
//   Impersonate-Group: g                      groups "g"
//   Impersonate-Uid: u                        uids "u" in authentication.k8s.io
//   Impersonate-Extra-<key>: v                userextras/<key> "v" in authentication.k8s.io
// The key of an extra is the header's rest in lower case, percent-decoded.
namespace tug::apiserver {

// One thing a request asks to act as (upstream builds a v1.ObjectReference for each).
struct ImpersonationTarget {
  std::string kind;  // User, ServiceAccount, Group, UserExtra or UID
  std::string ns, name;
  std::string apiVersion;  // authentication.k8s.io/v1 for UserExtra and UID
  std::string fieldPath;   // the extra's key
};

// What the headers ask for, in upstream's order: the user, the groups, the extras, the uid.
// Empty when there is no impersonation header. An error (upstream answers it with 500, as a
// plain-text "Internal Server Error") when groups, extras or a uid come without a user:
//   requested [{Group  devs    }] without impersonating a user
Result<std::vector<ImpersonationTarget>> impersonationTargets(const httplib::Headers& headers);

// The authorization question for one target, asked about `requester`.
auth::Attributes impersonationAttributes(const UserInfo& requester,
                                         const ImpersonationTarget& target);

// A refusal: the HTTP code and body to answer with.
struct ImpersonationRefusal {
  int code = 0;
  std::string contentType;
  std::string body;
};

// The user `requester` acts as: itself when there is no impersonation header, or the user the
// headers name when `authorize` allows every part of it. The impersonated user gets
// system:authenticated unless its groups already say system:authenticated or
// system:unauthenticated (system:unauthenticated for system:anonymous); a service account
// without Impersonate-Group gets system:serviceaccounts and system:serviceaccounts:<ns>.
// `requestUri` is the path and query, which the 500 quotes as upstream does.
using AccessCheck = std::function<auth::Decision(const auth::Attributes&)>;
std::variant<UserInfo, ImpersonationRefusal> impersonate(const UserInfo& requester,
                                                         const httplib::Headers& headers,
                                                         const std::string& requestUri,
                                                         const AccessCheck& authorize);

}  // namespace tug::apiserver
