#include "common/label_selector.h"

#include <algorithm>
#include <string>
#include <vector>

#include "common/go_quote.h"

namespace tug {
namespace {

const nlohmann::json* member(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) {
    return nullptr;
  }
  auto it = obj.find(key);
  return it != obj.end() ? &*it : nullptr;
}

std::string text(const nlohmann::json& obj, const char* key) {
  const nlohmann::json* v = member(obj, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : "";
}

const std::string* label(const nlohmann::json& labels, const std::string& key) {
  if (!labels.is_object()) {
    return nullptr;
  }
  auto it = labels.find(key);
  return it != labels.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

std::vector<std::string> stringList(const nlohmann::json* v) {
  std::vector<std::string> out;
  if (v != nullptr && v->is_array()) {
    for (const nlohmann::json& s : *v) {
      if (s.is_string()) {
        out.push_back(s.get<std::string>());
      }
    }
  }
  return out;
}

Result<bool> expressionMatches(const nlohmann::json& expr, const nlohmann::json& labels) {
  std::string key = text(expr, "key");
  std::string op = text(expr, "operator");
  std::vector<std::string> values = stringList(member(expr, "values"));
  const std::string* have = label(labels, key);
  if (op == "In" || op == "NotIn") {
    if (values.empty()) {
      return invalid("for 'in', 'notin' operators, values set can't be empty");
    }
    bool in = have != nullptr && std::find(values.begin(), values.end(), *have) != values.end();
    return op == "In" ? in : !in;
  }
  if (op == "Exists" || op == "DoesNotExist") {
    if (!values.empty()) {
      return invalid("values set must be empty for exists and does not exist");
    }
    return op == "Exists" ? have != nullptr : have == nullptr;
  }
  return invalid(goQuote(op) + " is not a valid label selector operator");
}

}  // namespace

Result<bool> labelSelectorMatches(const nlohmann::json& selector, const nlohmann::json& labels) {
  // Every expression is read before any label is compared: a malformed selector is an error
  // whatever the labels are.
  bool all = true;
  const nlohmann::json* expressions = member(selector, "matchExpressions");
  if (expressions != nullptr && expressions->is_array()) {
    for (const nlohmann::json& expr : *expressions) {
      Result<bool> m = expressionMatches(expr, labels);
      if (!m.ok()) {
        return m.status();
      }
      all = all && *m;
    }
  }
  const nlohmann::json* matchLabels = member(selector, "matchLabels");
  if (matchLabels != nullptr && matchLabels->is_object()) {
    for (const auto& [key, value] : matchLabels->items()) {
      const std::string* have = label(labels, key);
      all = all && value.is_string() && have != nullptr && *have == value.get<std::string>();
    }
  }
  return all;
}

}  // namespace tug
