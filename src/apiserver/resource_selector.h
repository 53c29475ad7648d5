#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/resource_registry.h"
#include "common/status.h"

namespace tug::apiserver {

// A label selector as kubectl and the python client send it in `labelSelector`:
// comma-separated requirements `k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
// `k>N`, `k<N`. Every requirement must hold; the empty selector matches everything.
class LabelSelector {
 public:
  enum class Op { kExists, kNotExists, kEquals, kNotEquals, kIn, kNotIn, kGreater, kLess };
  struct Requirement {
    std::string key;
    Op op = Op::kExists;
    std::vector<std::string> values;
  };

  // BadRequest with the reason when the text does not parse.
  static Result<LabelSelector> parse(std::string_view text);

  bool empty() const { return requirements_.empty(); }
  bool matches(const std::map<std::string, std::string>& labels) const;
  const std::vector<Requirement>& requirements() const { return requirements_; }

 private:
  std::vector<Requirement> requirements_;
};

// A field selector over the fields upstream lets each kind be selected by: metadata.name and
// metadata.namespace for every kind, plus per-kind fields (pods: spec.nodeName, status.phase,
// ...; events: involvedObject.*, reason, type, ...), with =, == and !=.
class FieldSelector {
 public:
  struct Requirement {
    std::string field;
    bool equals = true;
    std::string value;
  };

  // BadRequest for bad syntax or a field the resource cannot be selected by (upstream's
  // wording: `field label not supported: spec.foo`).
  static Result<FieldSelector> parse(std::string_view text, const api::ResourceInfo& resource);

  bool empty() const { return requirements_.empty(); }
  bool matches(const nlohmann::json& object) const;
  const std::vector<Requirement>& requirements() const { return requirements_; }

 private:
  std::vector<Requirement> requirements_;
};

// The per-kind fields upstream supports in field selectors, beyond metadata.name and
// metadata.namespace (empty for most resources).
const std::vector<std::string_view>& selectableFields(const api::ResourceInfo& resource);
// The value a field selector compares for `field` of `object`: strings as they are, booleans
// and numbers as text, "" when absent.
std::string selectableFieldValue(const nlohmann::json& object, std::string_view field);

// metadata.labels of an object as a map; non-string values are skipped.
std::map<std::string, std::string> objectLabels(const nlohmann::json& object);

}  // namespace tug::apiserver
