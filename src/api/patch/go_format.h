#pragma once

#include <string>

#include <nlohmann/json.hpp>

// Upstream's patch errors print values the way Go's fmt prints decoded JSON (%v of
// map[string]interface{} and friends). Clients and users compare these messages with what a
// real API server says, so the patch code words them the same way.
namespace tug::api {

// Go's %v of the decoded value: map[a:1 b:[x y]], [1 2], strings unquoted, <nil> for null.
// REQUIRES: `v` nests no deeper than kMaxPatchDepth (the formatter recurses).
std::string goValue(const nlohmann::json& v);

// The Go type a decoded JSON value has: "map[string]interface {}", "[]interface {}",
// "string", "float64", "int64", "bool", "<nil>".
std::string goTypeName(const nlohmann::json& v);

}  // namespace tug::api
