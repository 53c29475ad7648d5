#include "api/validation/json_access.h"

namespace tug::api::validation {

const Json* field(const Json& obj, std::string_view key) {
  if (!obj.is_object()) {
    return nullptr;
  }
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

Json* field(Json& obj, std::string_view key) {
  return const_cast<Json*>(field(static_cast<const Json&>(obj), key));
}

const Json* objectField(const Json& obj, std::string_view key) {
  const Json* v = field(obj, key);
  return v != nullptr && v->is_object() ? v : nullptr;
}

Json* objectField(Json& obj, std::string_view key) {
  return const_cast<Json*>(objectField(static_cast<const Json&>(obj), key));
}

const Json* arrayField(const Json& obj, std::string_view key) {
  const Json* v = field(obj, key);
  return v != nullptr && v->is_array() ? v : nullptr;
}

Json* arrayField(Json& obj, std::string_view key) {
  return const_cast<Json*>(arrayField(static_cast<const Json&>(obj), key));
}

std::string stringField(const Json& obj, std::string_view key) {
  const Json* v = field(obj, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

const Json& objectOrEmpty(const Json& obj, std::string_view key) {
  static const Json kEmpty = Json::object();
  const Json* o = objectField(obj, key);
  return o != nullptr ? *o : kEmpty;
}

std::vector<std::string> stringListField(const Json& obj, std::string_view key) {
  std::vector<std::string> out;
  if (const Json* list = arrayField(obj, key)) {
    for (const Json& s : *list) {
      if (s.is_string()) {
        out.push_back(s.get<std::string>());
      }
    }
  }
  return out;
}

std::optional<long long> intField(const Json& obj, std::string_view key) {
  const Json* v = field(obj, key);
  if (v != nullptr && v->is_number_integer()) {
    return v->get<long long>();
  }
  return std::nullopt;
}

bool has(const Json& obj, std::string_view key) { return field(obj, key) != nullptr; }

Json* ensureObject(Json& obj, std::string_view key) {
  if (!obj.is_object()) {
    return nullptr;
  }
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    Json& created = obj[std::string(key)];
    created = Json::object();
    return &created;
  }
  return it->is_object() ? &*it : nullptr;
}

void setDefault(Json& obj, std::string_view key, const Json& value) {
  if (!obj.is_object()) {
    return;
  }
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    obj[std::string(key)] = value;
  } else if (value.is_string() && it->is_string() && it->get_ref<const std::string&>().empty()) {
    *it = value;
  }
}

}  // namespace tug::api::validation
