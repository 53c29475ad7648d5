#include "apiserver/resource_selector.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace tug::apiserver {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && isSpace(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

// Label keys are an optional DNS prefix and '/' and a name; values are names or empty. The
// characters are checked here, the finer length and shape rules belong to validation.
bool isKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
         c == '/';
}
bool isValueChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
}

bool validKey(std::string_view k) {
  return !k.empty() && k.size() <= 317 && std::all_of(k.begin(), k.end(), isKeyChar) &&
         k.front() != '/' && k.back() != '/';
}
bool validValue(std::string_view v) {
  return v.size() <= 63 && std::all_of(v.begin(), v.end(), isValueChar);
}

Status parseError(std::string_view text, std::string_view why) {
  return badRequest("unable to parse requirement: \"" + std::string(text) +
                    "\": " + std::string(why));
}

// Splits on commas outside parentheses: "a in (x,y),b" is two requirements.
Result<std::vector<std::string_view>> splitRequirements(std::string_view text) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (text[i] == ',' && depth == 0)) {
      out.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    } else if (text[i] == '(') {
      ++depth;
    } else if (text[i] == ')') {
      --depth;
    }
    if (depth < 0 || depth > 1) {
      return parseError(text, "unbalanced parentheses");
    }
  }
  if (depth != 0) {
    return parseError(text, "unbalanced parentheses");
  }
  return out;
}

Result<std::vector<std::string>> parseSet(std::string_view whole, std::string_view set) {
  set = trim(set);
  if (set.size() < 2 || set.front() != '(' || set.back() != ')') {
    return parseError(whole, "expected a parenthesised set of values");
  }
  std::vector<std::string> values;
  set = set.substr(1, set.size() - 2);
  size_t start = 0;
  for (size_t i = 0; i <= set.size(); ++i) {
    if (i == set.size() || set[i] == ',') {
      std::string_view v = trim(set.substr(start, i - start));
      if (!validValue(v)) {
        return parseError(whole, "invalid label value \"" + std::string(v) + "\"");
      }
      values.emplace_back(v);
      start = i + 1;
    }
  }
  return values;
}

// "key in (..)" / "key notin (..)": the word must stand alone after the key.
bool splitSetOp(std::string_view req, std::string_view word, std::string_view* key,
                std::string_view* set) {
  for (size_t pos = req.find(word); pos != std::string_view::npos; pos = req.find(word, pos + 1)) {
    bool before = pos > 0 && isSpace(req[pos - 1]);
    size_t end = pos + word.size();
    bool after = end < req.size() && (isSpace(req[end]) || req[end] == '(');
    if (before && after) {
      *key = trim(req.substr(0, pos));
      *set = req.substr(end);
      return true;
    }
  }
  return false;
}

Result<LabelSelector::Requirement> parseRequirement(std::string_view req) {
  using Op = LabelSelector::Op;
  LabelSelector::Requirement r;
  std::string_view key, rest;
  bool notIn = splitSetOp(req, "notin", &key, &rest);
  if (notIn || splitSetOp(req, "in", &key, &rest)) {
    r.op = notIn ? Op::kNotIn : Op::kIn;
    auto values = parseSet(req, rest);
    if (!values.ok()) {
      return values.status();
    }
    r.values = std::move(*values);
  } else if (req.starts_with("!")) {
    key = trim(req.substr(1));
    r.op = Op::kNotExists;
  } else if (size_t p = req.find_first_of("=!<>"); p != std::string_view::npos) {
    key = trim(req.substr(0, p));
    std::string_view op = req.substr(p);
    size_t opLen = op.starts_with("==") || op.starts_with("!=") ? 2 : 1;
    switch (op[0]) {
      case '=':
        r.op = Op::kEquals;
        break;
      case '>':
        r.op = Op::kGreater;
        break;
      case '<':
        r.op = Op::kLess;
        break;
      default:
        if (opLen != 2) {
          return parseError(req, "unknown operator");
        }
        r.op = Op::kNotEquals;
    }
    std::string_view value = trim(req.substr(p + opLen));
    if (!validValue(value)) {
      return parseError(req, "invalid label value \"" + std::string(value) + "\"");
    }
    if (r.op == Op::kGreater || r.op == Op::kLess) {
      int64_t n = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || ec != std::errc() || ptr != value.data() + value.size()) {
        return parseError(req, "for 'Gt', 'Lt' operators, the value must be an integer");
      }
    }
    r.values.emplace_back(value);
  } else {
    key = trim(req);
    r.op = Op::kExists;
  }
  if (!validKey(key)) {
    return parseError(req, "invalid label key \"" + std::string(key) + "\"");
  }
  r.key = std::string(key);
  return r;
}

bool contains(const std::vector<std::string>& values, const std::string& v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

bool compareInt(const std::string& have, const std::string& want, bool greater) {
  int64_t a = 0, b = 0;
  auto ra = std::from_chars(have.data(), have.data() + have.size(), a);
  auto rb = std::from_chars(want.data(), want.data() + want.size(), b);
  if (ra.ec != std::errc() || rb.ec != std::errc() || ra.ptr != have.data() + have.size()) {
    return false;
  }
  return greater ? a > b : a < b;
}

}  // namespace

Result<LabelSelector> LabelSelector::parse(std::string_view text) {
  LabelSelector s;
  text = trim(text);
  if (text.empty()) {
    return s;
  }
  auto parts = splitRequirements(text);
  if (!parts.ok()) {
    return parts.status();
  }
  for (std::string_view part : *parts) {
    if (part.empty()) {
      return parseError(text, "empty requirement");
    }
    auto r = parseRequirement(part);
    if (!r.ok()) {
      return r.status();
    }
    s.requirements_.push_back(std::move(*r));
  }
  return s;
}

bool LabelSelector::matches(const std::map<std::string, std::string>& labels) const {
  for (const Requirement& r : requirements_) {
    auto it = labels.find(r.key);
    bool has = it != labels.end();
    bool ok = false;
    switch (r.op) {
      case Op::kExists:
        ok = has;
        break;
      case Op::kNotExists:
        ok = !has;
        break;
      case Op::kEquals:
        ok = has && it->second == r.values[0];
        break;
      case Op::kIn:
        ok = has && contains(r.values, it->second);
        break;
      // Upstream: a missing label satisfies != and notin.
      case Op::kNotEquals:
        ok = !has || it->second != r.values[0];
        break;
      case Op::kNotIn:
        ok = !has || !contains(r.values, it->second);
        break;
      case Op::kGreater:
        ok = has && compareInt(it->second, r.values[0], true);
        break;
      case Op::kLess:
        ok = has && compareInt(it->second, r.values[0], false);
        break;
    }
    if (!ok) {
      return false;
    }
  }
  return true;
}

namespace {

struct SelectableFields {
  std::string_view group, resource;
  std::vector<std::string_view> fields;
};

// From upstream's field label conversions and GetAttrs of each registry (Kubernetes 1.31).
const std::vector<SelectableFields>& selectableFieldTable() {
  static const std::vector<SelectableFields> table = {
      {"", "pods",
       {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
        "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"}},
      {"", "events",
       {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
        "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
        "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"}},
      {"", "namespaces", {"status.phase"}},
      {"", "nodes", {"spec.unschedulable"}},
      {"", "secrets", {"type"}},
      {"", "replicationcontrollers", {"status.replicas"}},
      {"apps", "replicasets", {"status.replicas"}},
      {"batch", "jobs", {"status.successful"}},
      {"certificates.k8s.io", "certificatesigningrequests", {"spec.signerName"}},
  };
  return table;
}

const nlohmann::json* fieldAt(const nlohmann::json& object, std::string_view path) {
  const nlohmann::json* at = &object;
  while (!path.empty()) {
    size_t dot = path.find('.');
    std::string_view part = path.substr(0, dot);
    if (!at->is_object()) {
      return nullptr;
    }
    auto it = at->find(std::string(part));
    if (it == at->end()) {
      return nullptr;
    }
    at = &*it;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return at;
}

}  // namespace

const std::vector<std::string_view>& selectableFields(const api::ResourceInfo& resource) {
  static const std::vector<std::string_view> none;
  for (const SelectableFields& s : selectableFieldTable()) {
    if (s.group == resource.group && s.resource == resource.resource) {
      return s.fields;
    }
  }
  return none;
}

std::string selectableFieldValue(const nlohmann::json& object, std::string_view field) {
  // Events are selected by their source's component under the name "source".
  const nlohmann::json* v =
      fieldAt(object, field == "source" && object.contains("involvedObject") ? "source.component"
                                                                               : field);
  if (v == nullptr || v->is_null()) {
    // Unset booleans and counts select as their zero value, as the Go structs give them.
    if (field == "spec.hostNetwork" || field == "spec.unschedulable") {
      return "false";
    }
    if (field == "status.replicas" || field == "status.successful") {
      return "0";
    }
    return "";
  }
  if (v->is_string()) {
    return v->get<std::string>();
  }
  if (v->is_boolean()) {
    return v->get<bool>() ? "true" : "false";
  }
  if (v->is_number()) {
    return v->dump();
  }
  return "";
}

Result<FieldSelector> FieldSelector::parse(std::string_view text,
                                           const api::ResourceInfo& resource) {
  FieldSelector s;
  text = trim(text);
  if (text.empty()) {
    return s;
  }
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i != text.size() && text[i] != ',') {
      continue;
    }
    std::string_view part = trim(text.substr(start, i - start));
    start = i + 1;
    Requirement r;
    size_t p = part.find_first_of("=!");
    if (p == std::string_view::npos) {
      return badRequest("invalid selector: '" + std::string(text) + "'; can't understand '" +
                        std::string(part) + "'");
    }
    r.field = std::string(trim(part.substr(0, p)));
    size_t opLen = part.substr(p).starts_with("==") || part.substr(p).starts_with("!=") ? 2 : 1;
    if (part[p] == '!' && opLen != 2) {
      return badRequest("invalid selector: '" + std::string(text) + "'");
    }
    r.equals = part[p] == '=';
    r.value = std::string(trim(part.substr(p + opLen)));
    const auto& extra = selectableFields(resource);
    if (r.field != "metadata.name" && r.field != "metadata.namespace" &&
        std::find(extra.begin(), extra.end(), r.field) == extra.end()) {
      return badRequest("field label not supported: " + r.field);
    }
    s.requirements_.push_back(std::move(r));
  }
  return s;
}

bool FieldSelector::matches(const nlohmann::json& object) const {
  for (const Requirement& r : requirements_) {
    if ((selectableFieldValue(object, r.field) == r.value) != r.equals) {
      return false;
    }
  }
  return true;
}

std::map<std::string, std::string> objectLabels(const nlohmann::json& object) {
  std::map<std::string, std::string> out;
  auto m = object.find("metadata");
  if (m == object.end() || !m->is_object()) {
    return out;
  }
  auto l = m->find("labels");
  if (l == m->end() || !l->is_object()) {
    return out;
  }
  for (const auto& [k, v] : l->items()) {
    if (v.is_string()) {
      out.emplace(k, v.get<std::string>());
    }
  }
  return out;
}

}  // namespace tug::apiserver
