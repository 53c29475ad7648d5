#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "common/status.h"

namespace tug::api {

// Converts one YAML document to JSON with the rules of sigs.k8s.io/yaml's YAMLToJSON, which is
// what the upstream API server applies to application/yaml and apply-patch+yaml bodies. That
// library decodes with go-yaml v2, so plain scalars resolve by YAML 1.1 rules:
//   * true/True/TRUE, yes/Yes/YES, y/Y, on/On/ON and their false counterparts are booleans;
//   * null/Null/NULL, ~ and an empty value are null;
//   * integers in Go syntax (12, -3, +4, 0x1F, 0o17, 0755 as octal, 0b101, 1_000) are numbers,
//     floats (1.5, .5, 1e3) too; a float with an integral value becomes an integer, as Go's JSON
//     encoder writes it without a fraction;
//   * anything else, and every quoted or block scalar, stays a string (timestamps included);
//   * map keys become strings: `1: a` gives "1", `yes: a` gives "true"; a null, sequence or map
//     as a key is an error;
//   * `<<` merge keys are honoured; aliases are expanded.
// A second non-empty document, nesting deeper than kMaxYamlDepth, excessive alias expansion,
// .nan/.inf values (JSON cannot hold them) and syntax errors give BadRequest with a message
// "error converting YAML to JSON: yaml: line N: ...". Empty input gives JSON null.
inline constexpr int kMaxYamlDepth = 1000;
Result<nlohmann::json> yamlToJson(std::string_view text);

}  // namespace tug::api
