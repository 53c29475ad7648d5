#include "api/tolerations.h"

#include <string>

namespace tug::api {
namespace {

std::string text(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) {
    return "";
  }
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool toleratesTaint(const nlohmann::json& toleration, const nlohmann::json& taint) {
  if (!toleration.is_object() || !taint.is_object()) {
    return false;
  }
  std::string effect = text(toleration, "effect");
  if (!effect.empty() && effect != text(taint, "effect")) {
    return false;
  }
  std::string key = text(toleration, "key");
  if (!key.empty() && key != text(taint, "key")) {
    return false;
  }
  std::string op = text(toleration, "operator");
  if (op == "Exists") {
    return true;
  }
  return (op.empty() || op == "Equal") && text(toleration, "value") == text(taint, "value");
}

}  // namespace tug::api
