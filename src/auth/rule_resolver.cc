#include "auth/rule_resolver.h"

#include <algorithm>
#include <set>

#include "common/go_quote.h"
#include "auth/json_fields.h"

namespace tug::auth {
namespace {

constexpr std::string_view kServiceAccountPrefix = "system:serviceaccount:";

std::string describeSubject(const nlohmann::json& subject, std::string_view bindingNamespace) {
  std::string kind = stringField(subject, {"kind"});
  std::string name = stringField(subject, {"name"});
  if (kind == "ServiceAccount") {
    std::string ns = stringField(subject, {"namespace"});
    // Upstream prints name/namespace here, the reverse of the user name's order.
    return kind + " " + goQuote(name + "/" + (ns.empty() ? std::string(bindingNamespace) : ns));
  }
  return kind + " " + goQuote(name);
}

}  // namespace

std::string RuleSource::describe() const {
  std::string name = stringField(*binding, {"metadata", "name"});
  std::string ns = stringField(*binding, {"metadata", "namespace"});
  std::string refKind = stringField(*binding, {"roleRef", "kind"});
  std::string refName = stringField(*binding, {"roleRef", "name"});
  std::string head = clusterBinding ? "ClusterRoleBinding " + goQuote(name)
                                    : "RoleBinding " + goQuote(name + "/" + ns);
  return head + " of " + refKind + " " + goQuote(refName) + " to " +
         describeSubject(*subject, clusterBinding ? "" : ns);
}

bool subjectMatches(const User& user, const nlohmann::json& subject,
                    std::string_view bindingNamespace) {
  std::string kind = stringField(subject, {"kind"});
  std::string name = stringField(subject, {"name"});
  if (kind == "User") {
    return user.name == name;
  }
  if (kind == "Group") {
    return std::find(user.groups.begin(), user.groups.end(), name) != user.groups.end();
  }
  if (kind == "ServiceAccount") {
    std::string ns = stringField(subject, {"namespace"});
    if (ns.empty()) {
      ns = bindingNamespace;  // lets RoleBindings name their own namespace's accounts briefly
    }
    if (ns.empty()) {
      return false;
    }
    return user.name == std::string(kServiceAccountPrefix) + ns + ":" + name;
  }
  return false;
}

RuleResolver::RuleResolver(const RbacLookup& lookup, NotFoundWording wording)
    : lookup_(lookup), wording_(wording) {}

const nlohmann::json* RuleResolver::matchingSubject(const User& user, const nlohmann::json& binding,
                                                    std::string_view bindingNamespace) {
  const nlohmann::json* subjects = field(binding, {"subjects"});
  if (subjects == nullptr || !subjects->is_array()) {
    return nullptr;
  }
  for (const nlohmann::json& s : *subjects) {
    if (subjectMatches(user, s, bindingNamespace)) {
      return &s;
    }
  }
  return nullptr;
}

bool RuleResolver::visitBinding(const User& user, const nlohmann::json& binding, bool cluster,
                                std::string_view ns, const Visitor& visit,
                                std::vector<std::string>& errors) const {
  const nlohmann::json* subject = matchingSubject(user, binding, ns);
  if (subject == nullptr) {
    return true;
  }
  const nlohmann::json* roleRef = field(binding, {"roleRef"});
  auto rules = roleReferenceRules(roleRef != nullptr ? *roleRef : nlohmann::json::object(), ns);
  if (!rules.ok()) {
    errors.push_back(rules.status().message());
    return true;
  }
  RuleSource source{&binding, subject, cluster};
  for (const PolicyRule& rule : *rules) {
    if (!visit(source, rule)) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> RuleResolver::visitRulesFor(const User& user, std::string_view ns,
                                                     const Visitor& visit) const {
  std::vector<std::string> errors;
  for (const ObjectPtr& binding : lookup_.clusterRoleBindings()) {
    if (!visitBinding(user, *binding, true, "", visit, errors)) {
      return errors;
    }
  }
  if (ns.empty()) {
    return errors;
  }
  for (const ObjectPtr& binding : lookup_.roleBindings(ns)) {
    if (!visitBinding(user, *binding, false, ns, visit, errors)) {
      return errors;
    }
  }
  return errors;
}

RuleResolver::Rules RuleResolver::rulesFor(const User& user, std::string_view ns) const {
  Rules out;
  out.errors = visitRulesFor(user, ns, [&](const RuleSource&, const PolicyRule& rule) {
    out.rules.push_back(rule);
    return true;
  });
  return out;
}

Result<std::vector<PolicyRule>> RuleResolver::roleReferenceRules(
    const nlohmann::json& roleRef, std::string_view bindingNamespace) const {
  std::string kind = stringField(roleRef, {"kind"});
  std::string name = stringField(roleRef, {"name"});
  ObjectPtr role;
  if (kind == "Role") {
    role = lookup_.role(bindingNamespace, name);
  } else if (kind == "ClusterRole") {
    role = lookup_.clusterRole(name);
  } else {
    return internalError("unsupported role reference kind: " + goQuote(kind));
  }
  if (role == nullptr) {
    std::string resource = kind == "Role" ? "role" : "clusterrole";
    if (wording_ == NotFoundWording::kStorage) {
      resource += "s";
    }
    return notFound(resource + ".rbac.authorization.k8s.io " + goQuote(name) + " not found");
  }
  const nlohmann::json* rules = field(*role, {"rules"});
  return rules != nullptr ? policyRulesFromJson(*rules) : std::vector<PolicyRule>{};
}

std::string aggregateErrors(const std::vector<std::string>& errors) {
  if (errors.empty()) {
    return "";
  }
  if (errors.size() == 1) {
    return errors[0];
  }
  std::set<std::string> seen;
  std::string joined;
  for (const std::string& e : errors) {
    if (seen.insert(e).second) {
      joined += (seen.size() > 1 ? ", " : "") + e;
    }
  }
  return seen.size() == 1 ? joined : "[" + joined + "]";
}

}  // namespace tug::auth
