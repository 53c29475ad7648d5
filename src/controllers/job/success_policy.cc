#include "controllers/job/success_policy.h"

#include "controllers/job/job_logic.h"

namespace tug::controllers::job {

std::optional<std::string> matchSuccessPolicy(const json& job, const std::set<int64_t>& succeeded,
                                              int64_t completions) {
  const json* rules = at(job, {"spec", "successPolicy", "rules"});
  if (rules == nullptr || !rules->is_array() || succeeded.empty()) {
    return std::nullopt;
  }
  for (size_t i = 0; i < rules->size(); ++i) {
    const json& rule = (*rules)[i];
    if (!rule.is_object()) {
      continue;
    }
    const json* count = at(rule, {"succeededCount"});
    const bool hasCount = count != nullptr && count->is_number_integer();
    const json* indexes = at(rule, {"succeededIndexes"});
    bool met = false;
    if (indexes != nullptr && indexes->is_string()) {
      const std::set<int64_t> wanted = parseIndexes(indexes->get<std::string>(), completions);
      if (wanted.empty()) {
        continue;
      }
      int64_t done = 0;
      for (int64_t index : wanted) {
        done += succeeded.count(index);
      }
      met = done == static_cast<int64_t>(wanted.size()) ||
            (hasCount && done >= count->get<int64_t>());
    } else if (hasCount) {
      met = static_cast<int64_t>(succeeded.size()) >= count->get<int64_t>();
    }
    if (met) {
      return "Matched rules at index " + std::to_string(i);
    }
  }
  return std::nullopt;
}

}  // namespace tug::controllers::job
