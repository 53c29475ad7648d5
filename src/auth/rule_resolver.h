#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/attributes.h"
#include "auth/policy_rule.h"
#include "auth/rbac_lookup.h"
#include "common/status.h"

namespace tug::auth {

// The binding, and the subject in it, that brought a rule to a user.
struct RuleSource {
  const nlohmann::json* binding = nullptr;
  const nlohmann::json* subject = nullptr;  // the first of the binding's subjects that matched
  bool clusterBinding = false;

  // As upstream's reasons print it: `ClusterRoleBinding "x" of ClusterRole "y" to User "z"`,
  // `RoleBinding "x/ns" of Role "y" to ServiceAccount "sa/ns"`.
  std::string describe() const;
};

// How a missing role is named in errors. The authorizer reads roles from informer caches,
// whose errors say `clusterrole.rbac.authorization.k8s.io "x" not found`; the escalation
// checks read them through storage, which says `clusterroles.rbac.authorization.k8s.io`.
enum class NotFoundWording { kCache, kStorage };

// Whether a binding subject is `user`: a User by name, a Group among the user's groups, a
// ServiceAccount as the user "system:serviceaccount:<namespace>:<name>", its namespace
// defaulting to the binding's (a ClusterRoleBinding has none, so there it must be given).
bool subjectMatches(const User& user, const nlohmann::json& subject,
                    std::string_view bindingNamespace);

// Finds the rules that apply to a user, as upstream's DefaultRuleResolver. Holds `lookup` by
// reference; as thread-safe as the lookup.
class RuleResolver {
 public:
  explicit RuleResolver(const RbacLookup& lookup,
                        NotFoundWording wording = NotFoundWording::kCache);

  // Returns false to stop the visit.
  using Visitor = std::function<bool(const RuleSource& source, const PolicyRule& rule)>;

  // Visits the rules granted to `user` in namespace `ns`: those of every ClusterRoleBinding,
  // then, when `ns` is not empty, those of the RoleBindings in `ns`. Returns the errors met on
  // the way (a binding that names a missing role), which upstream reports with a denial.
  std::vector<std::string> visitRulesFor(const User& user, std::string_view ns,
                                         const Visitor& visit) const;

  struct Rules {
    std::vector<PolicyRule> rules;
    std::vector<std::string> errors;
  };
  // Every rule `user` holds in `ns` (cluster-wide ones included): what a
  // SelfSubjectRulesReview lists and what escalation checks compare against.
  Rules rulesFor(const User& user, std::string_view ns) const;

  // The rules of the role a roleRef names: a Role in `bindingNamespace`, or a ClusterRole.
  // NotFound when it does not exist; Internal for another kind.
  Result<std::vector<PolicyRule>> roleReferenceRules(const nlohmann::json& roleRef,
                                                     std::string_view bindingNamespace) const;

 private:
  // The first subject of `binding` that is `user`, or nullptr.
  static const nlohmann::json* matchingSubject(const User& user, const nlohmann::json& binding,
                                               std::string_view bindingNamespace);
  // Visits the rules of one binding; false when the visitor stopped.
  bool visitBinding(const User& user, const nlohmann::json& binding, bool cluster,
                    std::string_view ns, const Visitor& visit,
                    std::vector<std::string>& errors) const;

  const RbacLookup& lookup_;
  NotFoundWording wording_;
};

// Errors joined as upstream's utilerrors aggregate prints them: one error alone, several as
// "[a, b]" with duplicates dropped.
std::string aggregateErrors(const std::vector<std::string>& errors);

}  // namespace tug::auth
