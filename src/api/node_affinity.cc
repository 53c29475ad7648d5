#include "api/node_affinity.h"

#include <algorithm>
#include <string>

#include "api/json_member.h"
#include "common/parse_int.h"

namespace tug::api {
namespace {

using json = nlohmann::json;

const std::string* stringAt(const json& obj, const char* key) {
  const json& v = member(obj, key);
  return v.is_string() ? &v.get_ref<const std::string&>() : nullptr;
}

bool contains(const json& values, const std::string& v) {
  return values.is_array() && std::any_of(values.begin(), values.end(), [&](const json& x) {
           return x.is_string() && x.get_ref<const std::string&>() == v;
         });
}

// One requirement on a value the node has (`value` non-null) or lacks.
bool requirementHolds(const std::string& op, const json& values, const std::string* value) {
  if (op == "In") {
    return value != nullptr && contains(values, *value);
  }
  if (op == "NotIn") {
    return value == nullptr || !contains(values, *value);
  }
  if (op == "Exists") {
    return value != nullptr;
  }
  if (op == "DoesNotExist") {
    return value == nullptr;
  }
  if (op == "Gt" || op == "Lt") {
    if (value == nullptr || !values.is_array() || values.size() != 1 || !values[0].is_string()) {
      return false;
    }
    auto mine = parseInt64(*value);
    auto bound = parseInt64(values[0].get_ref<const std::string&>());
    return mine && bound && (op == "Gt" ? *mine > *bound : *mine < *bound);
  }
  return false;
}

}  // namespace

bool nodeSelectorTermMatches(const json& term, const json& node) {
  const json& metadata = member(node, "metadata");
  const json& labels = member(metadata, "labels");
  const json& exprs = member(term, "matchExpressions");
  const json& fields = member(term, "matchFields");
  bool anything = false;
  if (exprs.is_array()) {
    for (const json& e : exprs) {
      anything = true;
      const std::string* key = stringAt(e, "key");
      const std::string* have = key != nullptr ? stringAt(labels, key->c_str()) : nullptr;
      if (!requirementHolds(memberString(e, "operator"), member(e, "values"), have)) {
        return false;
      }
    }
  }
  if (fields.is_array()) {
    const std::string* name = stringAt(metadata, "name");
    static const std::string kNoName;
    for (const json& f : fields) {
      anything = true;
      std::string op = memberString(f, "operator");
      if (memberString(f, "key") != "metadata.name" || (op != "In" && op != "NotIn")) {
        return false;
      }
      if (!requirementHolds(op, member(f, "values"), name != nullptr ? name : &kNoName)) {
        return false;
      }
    }
  }
  return anything;
}

bool nodeSelectorTermsMatch(const json& terms, const json& node) {
  return terms.is_array() && std::any_of(terms.begin(), terms.end(), [&](const json& t) {
           return nodeSelectorTermMatches(t, node);
         });
}

bool podSpecFitsNode(const json& podSpec, const json& node) {
  const json& labels = member(member(node, "metadata"), "labels");
  const json& selector = member(podSpec, "nodeSelector");
  if (selector.is_object()) {
    for (auto& [k, v] : selector.items()) {
      const std::string* have = stringAt(labels, k.c_str());
      if (!v.is_string() || have == nullptr || *have != v.get_ref<const std::string&>()) {
        return false;
      }
    }
  }
  const json& required =
      member(member(member(podSpec, "affinity"), "nodeAffinity"),
             "requiredDuringSchedulingIgnoredDuringExecution");
  if (!required.is_object()) {
    return true;
  }
  return nodeSelectorTermsMatch(member(required, "nodeSelectorTerms"), node);
}

}  // namespace tug::api
