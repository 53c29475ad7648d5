#include "api/table/json_fields.h"

namespace tug::api::table {
namespace {

const json& emptyArray() {
  static const json kEmpty = json::array();
  return kEmpty;
}

const json& emptyObject() {
  static const json kEmpty = json::object();
  return kEmpty;
}

}  // namespace

const json* field(const json* j, std::initializer_list<std::string_view> path) {
  for (std::string_view key : path) {
    if (j == nullptr || !j->is_object()) {
      return nullptr;
    }
    auto it = j->find(key);
    if (it == j->end()) {
      return nullptr;
    }
    j = &*it;
  }
  return j;
}

const json* field(const json& j, std::initializer_list<std::string_view> path) {
  return field(&j, path);
}

std::string str(const json* j) {
  return j != nullptr && j->is_string() ? j->get<std::string>() : std::string();
}

std::string str(const json& j, std::initializer_list<std::string_view> path) {
  return str(field(j, path));
}

int64_t integer(const json& j, std::initializer_list<std::string_view> path, int64_t fallback) {
  const json* v = field(j, path);
  if (v == nullptr || !v->is_number()) {
    return fallback;
  }
  return v->is_number_float() ? static_cast<int64_t>(v->get<double>()) : v->get<int64_t>();
}

bool boolean(const json& j, std::initializer_list<std::string_view> path, bool fallback) {
  const json* v = field(j, path);
  return v != nullptr && v->is_boolean() ? v->get<bool>() : fallback;
}

bool present(const json& j, std::initializer_list<std::string_view> path) {
  const json* v = field(j, path);
  return v != nullptr && !v->is_null();
}

const json& array(const json& j, std::initializer_list<std::string_view> path) {
  const json* v = field(j, path);
  return v != nullptr && v->is_array() ? *v : emptyArray();
}

const json& object(const json& j, std::initializer_list<std::string_view> path) {
  const json* v = field(j, path);
  return v != nullptr && v->is_object() ? *v : emptyObject();
}

int64_t size(const json& j, std::initializer_list<std::string_view> path) {
  const json* v = field(j, path);
  return v != nullptr && (v->is_object() || v->is_array()) ? static_cast<int64_t>(v->size()) : 0;
}

std::string intOrString(const json* j) {
  if (j == nullptr) {
    return "";
  }
  if (j->is_string()) {
    return j->get<std::string>();
  }
  if (j->is_number_integer()) {
    return std::to_string(j->get<int64_t>());
  }
  if (j->is_number()) {
    return std::to_string(static_cast<int64_t>(j->get<double>()));
  }
  return "";
}

}  // namespace tug::api::table
