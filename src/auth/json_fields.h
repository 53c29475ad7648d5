#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tug::auth {

// Reading fields of RBAC objects without trusting their shape: authorization must never throw
// on an odd object, it only grants less.

// The value at `path` (object keys), or nullptr when a step is missing or not an object.
const nlohmann::json* field(const nlohmann::json& obj,
                            std::initializer_list<std::string_view> path);

// The string at `path`, or "" when it is missing or not a string.
std::string stringField(const nlohmann::json& obj, std::initializer_list<std::string_view> path);

}  // namespace tug::auth
