#include "auth/escalation.h"

#include <set>
#include <string>
#include <vector>

#include "auth/authorizer.h"
#include "common/go_quote.h"
#include "auth/json_fields.h"
#include "auth/rule_covers.h"
#include "auth/rule_resolver.h"

namespace tug::auth {
namespace {

constexpr const char* kRbacGroup = "rbac.authorization.k8s.io";

// Zero values, as Go's typed objects have them, read as absent: `"finalizers": []` and no
// finalizers are the same object.
nlohmann::json withoutZeroValues(const nlohmann::json& v) {
  if (v.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const nlohmann::json& e : v) {
      out.push_back(withoutZeroValues(e));
    }
    return out;
  }
  if (!v.is_object()) {
    return v;
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : v.items()) {
    nlohmann::json n = withoutZeroValues(value);
    bool zero = n.is_null() || (n.is_string() && n.get_ref<const std::string&>().empty()) ||
                (n.is_boolean() && !n.get<bool>()) || (n.is_number() && n == 0) ||
                ((n.is_object() || n.is_array()) && n.empty());
    if (!zero) {
      out[key] = std::move(n);
    }
  }
  return out;
}

// Upstream's IsOnlyMutatingGCFields: equal once the fields the garbage collector writes are
// taken from the old object.
bool onlyGcFieldsChange(const nlohmann::json& obj, const nlohmann::json& old) {
  if (!obj.is_object() || !old.is_object()) {
    return false;
  }
  nlohmann::json copy = obj;
  nlohmann::json& meta = copy["metadata"];
  if (!meta.is_object()) {
    meta = nlohmann::json::object();
  }
  for (const char* key : {"ownerReferences", "finalizers", "selfLink", "managedFields"}) {
    const nlohmann::json* was = field(old, {"metadata", key});
    if (was != nullptr) {
      meta[key] = *was;
    } else {
      meta.erase(key);
    }
  }
  return withoutZeroValues(copy) == withoutZeroValues(old);
}

// apierrors.NewForbidden for an RBAC resource.
Status forbiddenWrite(const std::string& resource, const std::string& name,
                      const std::string& why) {
  std::string qualified = resource + "." + kRbacGroup;
  std::string head = name.empty() ? qualified : qualified + " " + goQuote(name);
  return Status(Code::kForbidden, head + " is forbidden: " + why);
}

// Upstream's ConfirmNoEscalation: "" when the user's rules in `ns` cover `rules`, otherwise
// what they are missing.
std::string missingRules(const RbacLookup& lookup, const User& user, const std::string& ns,
                         const std::vector<PolicyRule>& rules) {
  RuleResolver::Rules owner = RuleResolver(lookup, NotFoundWording::kStorage).rulesFor(user, ns);
  std::vector<PolicyRule> uncovered;
  if (covers(owner.rules, rules, &uncovered)) {
    return "";
  }
  std::set<std::string> missing;  // sorted and without repeats, as upstream lists them
  for (const PolicyRule& r : compactRules(uncovered)) {
    missing.insert(compactString(r));
  }
  std::string list;
  for (const std::string& m : missing) {
    list += (list.empty() ? "" : "\n") + m;
  }
  std::string msg = "user " + goQuote(user.name) + " (groups=" + goQuote(user.groups) +
                    ") is attempting to grant RBAC permissions not currently held:\n" + list;
  if (!owner.errors.empty()) {
    msg += "; resolution errors: [" + aggregateErrors(owner.errors) + "]";
  }
  return msg;
}

bool allowed(const RbacLookup& lookup, Attributes attrs) {
  attrs.resourceRequest = true;
  attrs.apiVersion = "*";
  return RbacAuthorizer(lookup).authorize(attrs).allowed;
}

// Upstream's RoleEscalationAuthorized: `escalate` on the role the request names.
bool mayEscalate(const RbacLookup& lookup, const Attributes& request) {
  if (!request.resourceRequest || request.apiGroup != kRbacGroup ||
      (request.resource != "roles" && request.resource != "clusterroles")) {
    return false;
  }
  Attributes a{request.user, "escalate"};
  a.apiGroup = request.apiGroup;
  a.resource = request.resource;
  a.name = request.name;
  a.ns = request.ns;
  return allowed(lookup, a);
}

// Upstream's BindingAuthorized: `bind` on the referenced role, in the binding's namespace.
bool mayBind(const RbacLookup& lookup, const User& user, const nlohmann::json& roleRef,
             const std::string& ns) {
  std::string kind = stringField(roleRef, {"kind"});
  if (kind != "Role" && kind != "ClusterRole") {
    return false;
  }
  Attributes a{user, "bind"};
  a.apiGroup = stringField(roleRef, {"apiGroup"});
  a.resource = kind == "Role" ? "roles" : "clusterroles";
  a.name = stringField(roleRef, {"name"});
  a.ns = ns;
  return allowed(lookup, a);
}

bool hasAggregationRule(const nlohmann::json* role) {
  const nlohmann::json* selectors =
      role != nullptr ? field(*role, {"aggregationRule", "clusterRoleSelectors"}) : nullptr;
  return selectors != nullptr && selectors->is_array() && !selectors->empty();
}

const std::vector<PolicyRule>& fullAuthority() {
  static const std::vector<PolicyRule> rules = {PolicyRule{{"*"}, {"*"}, {"*"}, {}, {}},
                                                PolicyRule{{"*"}, {}, {}, {}, {"*"}}};
  return rules;
}

}  // namespace

Status checkRoleWrite(const RbacLookup& lookup, const Attributes& request,
                      const nlohmann::json& role, const nlohmann::json* old) {
  if (isPrivileged(request.user) || mayEscalate(lookup, request)) {
    return Status::ok();
  }
  if (old != nullptr && onlyGcFieldsChange(role, *old)) {
    return Status::ok();
  }
  std::string name = stringField(role, {"metadata", "name"});
  const nlohmann::json* rules = field(role, {"rules"});
  std::string missing =
      missingRules(lookup, request.user, request.ns,
                   rules ? policyRulesFromJson(*rules) : std::vector<PolicyRule>{});
  if (!missing.empty()) {
    return forbiddenWrite(request.resource, name, missing);
  }
  // An aggregationRule can gather any rule, now or later, so only who holds them all may set
  // or change one.
  if (request.resource == "clusterroles" &&
      (hasAggregationRule(&role) || hasAggregationRule(old)) &&
      !missingRules(lookup, request.user, request.ns, fullAuthority()).empty()) {
    return forbiddenWrite(request.resource, name,
                          "must have cluster-admin privileges to use the aggregationRule");
  }
  return Status::ok();
}

Status checkBindingWrite(const RbacLookup& lookup, const Attributes& request,
                         const nlohmann::json& binding, const nlohmann::json* old) {
  if (isPrivileged(request.user)) {
    return Status::ok();
  }
  if (old != nullptr && onlyGcFieldsChange(binding, *old)) {
    return Status::ok();
  }
  const nlohmann::json* ref = field(binding, {"roleRef"});
  nlohmann::json roleRef = ref != nullptr ? *ref : nlohmann::json::object();
  if (mayBind(lookup, request.user, roleRef, request.ns)) {
    return Status::ok();
  }
  auto rules =
      RuleResolver(lookup, NotFoundWording::kStorage).roleReferenceRules(roleRef, request.ns);
  if (!rules.ok()) {
    return rules.status();
  }
  std::string missing = missingRules(lookup, request.user, request.ns, *rules);
  if (!missing.empty()) {
    return forbiddenWrite(request.resource, stringField(binding, {"metadata", "name"}), missing);
  }
  return Status::ok();
}

}  // namespace tug::auth
