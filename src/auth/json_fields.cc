#include "auth/json_fields.h"

namespace tug::auth {

const nlohmann::json* field(const nlohmann::json& obj,
                            std::initializer_list<std::string_view> path) {
  const nlohmann::json* at = &obj;
  for (std::string_view key : path) {
    if (!at->is_object()) {
      return nullptr;
    }
    auto it = at->find(key);
    if (it == at->end()) {
      return nullptr;
    }
    at = &*it;
  }
  return at;
}

std::string stringField(const nlohmann::json& obj, std::initializer_list<std::string_view> path) {
  const nlohmann::json* v = field(obj, path);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

}  // namespace tug::auth
