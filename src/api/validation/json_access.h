#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// Tolerant reads and writes on decoded API objects. Bodies come from clients, so any field may
// be missing or of the wrong type; these helpers never throw: a wrong type reads as absent,
// and defaulting never replaces a value it does not understand.
namespace tug::api::validation {

using Json = nlohmann::json;

// obj[key] when obj is an object holding key (null counts as absent), else nullptr.
const Json* field(const Json& obj, std::string_view key);
Json* field(Json& obj, std::string_view key);
// obj[key] when it is an object / array, else nullptr.
const Json* objectField(const Json& obj, std::string_view key);
Json* objectField(Json& obj, std::string_view key);
const Json* arrayField(const Json& obj, std::string_view key);
Json* arrayField(Json& obj, std::string_view key);
// obj[key] when it is an object, else an empty object: for reading down a path in one expression.
const Json& objectOrEmpty(const Json& obj, std::string_view key);
// obj[key] as a string; "" when absent or not a string.
std::string stringField(const Json& obj, std::string_view key);
// The strings of the array obj[key], skipping other elements; empty when it is not an array.
std::vector<std::string> stringListField(const Json& obj, std::string_view key);
// obj[key] as an integer; nullopt when absent or not an integer.
std::optional<long long> intField(const Json& obj, std::string_view key);
// Whether obj[key] is present and not null.
bool has(const Json& obj, std::string_view key);

// The object at obj[key], created empty when absent or null; nullptr when obj is not an object
// or obj[key] holds something else.
Json* ensureObject(Json& obj, std::string_view key);
// Sets obj[key] = value when obj is an object and obj[key] is absent or null, or an empty
// string where a string default is given (Go's zero value reads as unset).
void setDefault(Json& obj, std::string_view key, const Json& value);

// Calls f(element, index) for each object element of obj[key] when that is an array.
template <typename F>
void forEachObject(Json& obj, std::string_view key, F f) {
  if (Json* list = arrayField(obj, key)) {
    for (size_t i = 0; i < list->size(); ++i) {
      if ((*list)[i].is_object()) {
        f((*list)[i], i);
      }
    }
  }
}
template <typename F>
void forEachObject(const Json& obj, std::string_view key, F f) {
  if (const Json* list = arrayField(obj, key)) {
    for (size_t i = 0; i < list->size(); ++i) {
      if ((*list)[i].is_object()) {
        f((*list)[i], i);
      }
    }
  }
}

// An empty JSON object, for `securityContext: {}` and the like.
inline Json emptyObject() { return Json::object(); }

}  // namespace tug::api::validation
