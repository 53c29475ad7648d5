#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

// A small JSONPath, the subset CustomResourceDefinition printer columns use:
//   .a.b   .a[0].b   .a[-1]   .a[*].b   .a.*   .a['x.y']   .a[?(@.type=="Ready")].status
// Filters compare a relative path with ==, !=, <, <=, >, >= against a string, number,
// boolean or null literal, or test that the path exists (`[?(@.x)]`). An expression may be
// wrapped in braces and start with `$`, as kubectl's -o jsonpath templates are.
namespace tug::api::table {

class JsonPath {
 public:
  // BadRequest-free parse: Invalid with a message naming the problem when `expr` is not in
  // the subset.
  static Result<JsonPath> parse(std::string_view expr);

  // Every value the path selects, in document order; empty when nothing matches (missing
  // keys are not errors, as for CRD columns).
  std::vector<const nlohmann::json*> evaluate(const nlohmann::json& root) const;

  const std::string& text() const { return text_; }

  // Public for the parser's helpers; not part of the interface.
  struct Step;
  struct Filter {
    std::vector<Step> path;  // relative to @
    std::string op;          // "" for an existence test
    nlohmann::json literal;
  };
  struct Step {
    enum class Kind { kField, kIndex, kWildcard, kFilter } kind = Kind::kField;
    std::string name;  // kField
    int64_t index = 0;  // kIndex (negative counts from the end)
    std::vector<Filter> filter;  // kFilter: exactly one
  };

 private:
  std::string text_;
  std::vector<Step> steps_;
};

}  // namespace tug::api::table
