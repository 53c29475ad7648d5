#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

// Reading fields of API objects that nobody validated for the printer: a missing field, or one
// of an unexpected type, reads as absent instead of throwing, so that one odd object can never
// break a table (or a watch stream) for everybody else.
namespace tug::api::table {

using nlohmann::json;

// The value at `path` below `j`, or nullptr when a step is missing or not an object.
const json* field(const json& j, std::initializer_list<std::string_view> path);
const json* field(const json* j, std::initializer_list<std::string_view> path);

// The string at `path`, or "" when absent or not a string.
std::string str(const json& j, std::initializer_list<std::string_view> path);
std::string str(const json* j);
// The integer at `path`, or `fallback` when absent or not a number.
int64_t integer(const json& j, std::initializer_list<std::string_view> path, int64_t fallback = 0);
// The boolean at `path`, or `fallback` when absent or not a boolean.
bool boolean(const json& j, std::initializer_list<std::string_view> path, bool fallback = false);
// True when `path` holds any non-null value.
bool present(const json& j, std::initializer_list<std::string_view> path);

// The array at `path`, or an empty array when absent or not an array.
const json& array(const json& j, std::initializer_list<std::string_view> path);
// The object at `path`, or an empty object when absent or not an object.
const json& object(const json& j, std::initializer_list<std::string_view> path);

// Count of members (object) or elements (array) at `path`; 0 otherwise.
int64_t size(const json& j, std::initializer_list<std::string_view> path);

// An IntOrString value as Go's String() prints it; "" when absent.
std::string intOrString(const json* j);

}  // namespace tug::api::table
