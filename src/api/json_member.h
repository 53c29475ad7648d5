#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

// Reading down an object that may lack what is asked for, as the API's helpers do: a missing
// member, or a parent that is not an object, reads as null rather than throwing.
namespace tug::api {

// obj[key], or a null value when obj is not an object or has no such key.
inline const nlohmann::json& member(const nlohmann::json& obj, std::string_view key) {
  static const nlohmann::json kNull;
  if (!obj.is_object()) {
    return kNull;
  }
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

// obj[key] when obj is an object holding it as something other than null; otherwise an empty
// object, so that reading on with .value(...) or .contains(...) needs no check.
inline const nlohmann::json& memberObject(const nlohmann::json& obj, std::string_view key) {
  static const nlohmann::json kEmptyObject = nlohmann::json::object();
  const nlohmann::json& v = member(obj, key);
  return v.is_null() ? kEmptyObject : v;
}

// obj[key] as a string; "" when it is absent or not a string.
inline std::string memberString(const nlohmann::json& obj, std::string_view key) {
  const nlohmann::json& v = member(obj, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

}  // namespace tug::api
