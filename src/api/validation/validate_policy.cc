// PodDisruptionBudgets (upstream pkg/apis/policy/validation).
#include "api/validation/validate_kinds.h"

namespace tug::api::validation {

ErrorList validatePodDisruptionBudget(const Json& obj) {
  const Json& spec = specOf(obj);
  const Path p("spec");
  ErrorList errs;
  const Json* minAvailable = field(spec, "minAvailable");
  const Json* maxUnavailable = field(spec, "maxUnavailable");
  const bool hasMin = minAvailable != nullptr && !minAvailable->is_null();
  const bool hasMax = maxUnavailable != nullptr && !maxUnavailable->is_null();
  if (hasMin && hasMax) {
    errs.push_back(invalid(p, spec, "minAvailable and maxUnavailable cannot be both set"));
  }
  if (hasMin) {
    append(errs, validateIntOrPercent(spec, "minAvailable", p.child("minAvailable")));
  }
  if (hasMax) {
    append(errs, validateIntOrPercent(spec, "maxUnavailable", p.child("maxUnavailable")));
  }
  if (const Json* selector = objectField(spec, "selector")) {
    append(errs, validateLabelSelector(*selector, p.child("selector")));
  }
  if (const Json* policy = field(spec, "unhealthyPodEvictionPolicy");
      policy != nullptr && !policy->is_null() && *policy != "AlwaysAllow" &&
      *policy != "IfHealthyBudget") {
    errs.push_back(notSupported(p.child("unhealthyPodEvictionPolicy"), *policy,
                                {"AlwaysAllow", "IfHealthyBudget"}));
  }
  return errs;
}

}  // namespace tug::api::validation
