#include "scheduler/selectors.h"

#include <charconv>

#include "api/tolerations.h"
#include "common/label_selector.h"

namespace tug::scheduler {
namespace {

std::string str(const json& obj, const char* field) {
  auto it = obj.find(field);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

bool contains(const json& values, const std::string& v) {
  if (!values.is_array()) {
    return false;
  }
  for (const json& x : values) {
    if (x.is_string() && x.get_ref<const std::string&>() == v) {
      return true;
    }
  }
  return false;
}

bool parseInt(const std::string& s, int64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

// One requirement on a value that is present (`has`) or not.
bool requirementHolds(const std::string& op, const json& values, bool has,
                      const std::string& value) {
  if (op == "In") {
    return has && contains(values, value);
  }
  if (op == "NotIn") {
    return !has || !contains(values, value);
  }
  if (op == "Exists") {
    return has;
  }
  if (op == "DoesNotExist") {
    return !has;
  }
  if (op == "Gt" || op == "Lt") {
    int64_t mine = 0, bound = 0;
    if (!has || !values.is_array() || values.size() != 1 || !values[0].is_string() ||
        !parseInt(value, &mine) || !parseInt(values[0].get<std::string>(), &bound)) {
      return false;
    }
    return op == "Gt" ? mine > bound : mine < bound;
  }
  return false;
}

}  // namespace

bool labelSelectorMatches(const json& selector, const json& labels) {
  if (!selector.is_object()) {
    return false;
  }
  Result<bool> r = tug::labelSelectorMatches(selector, labels);
  return r.ok() && *r;  // an invalid selector selects nothing
}

bool nodeSelectorTermMatches(const json& term, const NodeInfo& node) {
  const json& exprs = member(term, "matchExpressions");
  const json& fields = member(term, "matchFields");
  bool anything = false;
  if (exprs.is_array()) {
    for (const json& e : exprs) {
      anything = true;
      std::string have;
      bool has = node.label(str(e, "key"), &have);
      if (!requirementHolds(str(e, "operator"), member(e, "values"), has, have)) {
        return false;
      }
    }
  }
  if (fields.is_array()) {
    for (const json& f : fields) {
      anything = true;
      std::string op = str(f, "operator");
      if (str(f, "key") != "metadata.name" || (op != "In" && op != "NotIn")) {
        return false;
      }
      if (!requirementHolds(op, member(f, "values"), true, node.name)) {
        return false;
      }
    }
  }
  return anything;
}

bool nodeSelectorTermsMatch(const json& terms, const NodeInfo& node) {
  if (!terms.is_array()) {
    return false;
  }
  for (const json& t : terms) {
    if (nodeSelectorTermMatches(t, node)) {
      return true;
    }
  }
  return false;
}

bool podMatchesNodeSelectorAndAffinity(const PodInfo& pod, const NodeInfo& node) {
  const json& spec = pod.spec();
  const json& selector = member(spec, "nodeSelector");
  for (auto& [k, v] : selector.items()) {
    std::string have;
    if (!v.is_string() || !node.label(k, &have) || have != v.get<std::string>()) {
      return false;
    }
  }
  const json& required = member(member(member(spec, "affinity"), "nodeAffinity"),
                                "requiredDuringSchedulingIgnoredDuringExecution");
  if (required.is_object() && !required.empty()) {
    return nodeSelectorTermsMatch(member(required, "nodeSelectorTerms"), node);
  }
  return true;
}

bool anyToleratesTaint(const json& tolerations, const json& taint) {
  if (!tolerations.is_array()) {
    return false;
  }
  for (const json& t : tolerations) {
    if (api::toleratesTaint(t, taint)) {
      return true;
    }
  }
  return false;
}

}  // namespace tug::scheduler
