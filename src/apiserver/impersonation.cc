#include "apiserver/impersonation.h"

#include <algorithm>
#include <cctype>

#include "api/validation/name_rules.h"
#include "common/go_quote.h"
#include "apiserver/rbac_authorizer.h"

namespace tug::apiserver {
namespace {

constexpr std::string_view kUserHeader = "Impersonate-User";
constexpr std::string_view kGroupHeader = "Impersonate-Group";
constexpr std::string_view kUidHeader = "Impersonate-Uid";
constexpr std::string_view kExtraPrefix = "Impersonate-Extra-";
constexpr std::string_view kServiceAccountPrefix = "system:serviceaccount:";
constexpr const char* kAuthenticationV1 = "authentication.k8s.io/v1";
constexpr const char* kAuthenticated = "system:authenticated";
constexpr const char* kUnauthenticated = "system:unauthenticated";
constexpr const char* kAnonymous = "system:anonymous";

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool sameName(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

// Most requests impersonate nobody: one pass without allocations tells.
bool anyImpersonationHeader(const httplib::Headers& headers) {
  constexpr std::string_view kPrefix = "impersonate-";
  for (const auto& entry : headers) {
    const std::string& key = entry.first;
    if (key.size() > kPrefix.size() &&
        std::equal(kPrefix.begin(), kPrefix.end(), key.begin(), [](char p, char c) {
          return p == std::tolower(static_cast<unsigned char>(c));
        })) {
      return true;
    }
  }
  return false;
}

// Every value of a header, in the order sent (header names are case-insensitive).
std::vector<std::string> values(const httplib::Headers& headers, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [key, value] : headers) {
    if (sameName(key, name)) {
      out.push_back(value);
    }
  }
  return out;
}

// Go's url.PathUnescape; the key as sent when it does not decode.
std::string pathUnescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      return s;
    }
    out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
    i += 2;
  }
  return out;
}

// Upstream's serviceaccount.SplitUsername: system:serviceaccount:<ns>:<name> with a valid
// namespace and service account name.
bool splitServiceAccount(const std::string& user, std::string* ns, std::string* name) {
  if (!user.starts_with(kServiceAccountPrefix)) {
    return false;
  }
  std::string rest = user.substr(kServiceAccountPrefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string::npos || rest.find(':', colon + 1) != std::string::npos) {
    return false;
  }
  *ns = rest.substr(0, colon);
  *name = rest.substr(colon + 1);
  return api::validation::dns1123Label(*ns).empty() &&
         api::validation::dns1123Subdomain(*name).empty();
}

// Go's %v of a v1.ObjectReference: its seven fields, space-separated, in braces.
std::string goValue(const ImpersonationTarget& t) {
  return "{" + t.kind + " " + t.ns + " " + t.name + "  " + t.apiVersion + "  " + t.fieldPath +
         "}";
}

bool has(const std::vector<std::string>& groups, std::string_view g) {
  return std::find(groups.begin(), groups.end(), g) != groups.end();
}

// Upstream's responsewriters.InternalError.
ImpersonationRefusal internalError(const std::string& requestUri, const std::string& why) {
  std::string text = "Internal Server Error: " + goQuote(requestUri) + ": " + why;
  std::string sanitized;
  for (char c : text) {
    switch (c) {
      case '&': sanitized += "&amp;"; break;
      case '<': sanitized += "&lt;"; break;
      case '>': sanitized += "&gt;"; break;
      default: sanitized += c;
    }
  }
  return ImpersonationRefusal{500, "text/plain; charset=utf-8", sanitized + "\n"};
}

}  // namespace

Result<std::vector<ImpersonationTarget>> impersonationTargets(const httplib::Headers& headers) {
  std::vector<ImpersonationTarget> targets;
  std::vector<std::string> users = values(headers, kUserHeader);
  bool hasUser = !users.empty() && !users.front().empty();
  if (hasUser) {
    ImpersonationTarget t;
    if (splitServiceAccount(users.front(), &t.ns, &t.name)) {
      t.kind = "ServiceAccount";
    } else {
      t.kind = "User";
      t.name = users.front();
    }
    targets.push_back(std::move(t));
  }
  std::vector<std::string> groups = values(headers, kGroupHeader);
  for (const std::string& g : groups) {
    targets.push_back(ImpersonationTarget{"Group", "", g, "", ""});
  }
  bool hasExtra = false;
  for (const auto& [key, value] : headers) {
    if (key.size() > kExtraPrefix.size() &&
        sameName(std::string_view(key).substr(0, kExtraPrefix.size()), kExtraPrefix)) {
      hasExtra = true;
      std::string extraKey = pathUnescape(lower(key.substr(kExtraPrefix.size())));
      targets.push_back(ImpersonationTarget{"UserExtra", "", value, kAuthenticationV1, extraKey});
    }
  }
  std::vector<std::string> uids = values(headers, kUidHeader);
  bool hasUid = !uids.empty() && !uids.front().empty();
  if (hasUid) {
    targets.push_back(ImpersonationTarget{"UID", "", uids.front(), kAuthenticationV1, ""});
  }
  if ((!groups.empty() || hasExtra || hasUid) && !hasUser) {
    std::string list;
    for (const ImpersonationTarget& t : targets) {
      list += (list.empty() ? "" : " ") + goValue(t);
    }
    return Status(Code::kInternal, "requested [" + list + "] without impersonating a user");
  }
  return targets;
}

auth::Attributes impersonationAttributes(const UserInfo& requester,
                                         const ImpersonationTarget& target) {
  auth::Attributes a{auth::User{requester.name, requester.groups}, "impersonate"};
  a.resourceRequest = true;
  a.ns = target.ns;
  a.name = target.name;
  if (target.kind == "ServiceAccount") {
    a.resource = "serviceaccounts";
  } else if (target.kind == "User") {
    a.resource = "users";
  } else if (target.kind == "Group") {
    a.resource = "groups";
  } else if (target.kind == "UserExtra") {
    a.apiGroup = "authentication.k8s.io";
    a.apiVersion = "v1";
    a.resource = "userextras";
    a.subresource = target.fieldPath;
  } else {
    a.apiGroup = "authentication.k8s.io";
    a.apiVersion = "v1";
    a.resource = "uids";
  }
  return a;
}

std::variant<UserInfo, ImpersonationRefusal> impersonate(const UserInfo& requester,
                                                         const httplib::Headers& headers,
                                                         const std::string& requestUri,
                                                         const AccessCheck& authorize) {
  if (!anyImpersonationHeader(headers)) {
    return requester;
  }
  auto targets = impersonationTargets(headers);
  if (!targets.ok()) {
    return internalError(requestUri, targets.status().message());
  }
  if (targets->empty()) {
    return requester;
  }
  // Groups given are the authority; a service account's are known when none are given.
  bool groupsGiven = !values(headers, kGroupHeader).empty();
  UserInfo acting;
  for (const ImpersonationTarget& t : *targets) {
    auth::Attributes attrs = impersonationAttributes(requester, t);
    auth::Decision d = authorize(attrs);
    if (!d.allowed) {
      return ImpersonationRefusal{403, "application/json",
                                  forbiddenStatus(attrs, d.reason).dump()};
    }
    if (t.kind == "ServiceAccount") {
      acting.name = std::string(kServiceAccountPrefix) + t.ns + ":" + t.name;
      if (!groupsGiven) {
        acting.groups = {"system:serviceaccounts", "system:serviceaccounts:" + t.ns};
      }
    } else if (t.kind == "User") {
      acting.name = t.name;
    } else if (t.kind == "Group") {
      acting.groups.push_back(t.name);
    } else if (t.kind == "UserExtra") {
      acting.extra[t.fieldPath].push_back(t.name);
    } else {
      acting.uid = t.name;
    }
  }
  if (acting.name != kAnonymous) {
    if (!has(acting.groups, kAuthenticated) && !has(acting.groups, kUnauthenticated)) {
      acting.groups.push_back(kAuthenticated);
    }
  } else if (!has(acting.groups, kUnauthenticated)) {
    acting.groups.push_back(kUnauthenticated);
  }
  acting.authenticated = true;  // the requester was; authorization decides for the new user
  return acting;
}

}  // namespace tug::apiserver
