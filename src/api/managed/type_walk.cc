#include "api/managed/type_walk.h"

#include <string>

namespace tug::api::managed {
namespace {

// The schema's default for a key field the element leaves out (ports are keyed by number and
// protocol, and the protocol defaults to TCP), or a discarded value.
nlohmann::json defaultKeyValue(const TypeNode* elem, std::string_view key) {
  const TypeNode* field = childType(elem, key);
  if (field == nullptr || field->defaultValue.empty()) {
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
  return nlohmann::json::parse(field->defaultValue, nullptr, false);
}

}  // namespace

const TypeNode* childType(const TypeNode* type, std::string_view name) {
  if (type == nullptr) {
    return nullptr;
  }
  switch (type->kind) {
    case TypeKind::kObject:
      return type->field(name);  // unknown fields (preserved or not) are untyped
    case TypeKind::kMap:
      return type->elem;
    default:
      return nullptr;
  }
}

bool isDeclaredField(const TypeNode* type, std::string_view name) {
  return type != nullptr && type->kind == TypeKind::kObject && type->field(name) != nullptr;
}

bool isGranularObject(const TypeNode* type, const nlohmann::json& value) {
  if (!value.is_object()) {
    return false;
  }
  if (type == nullptr || type->kind == TypeKind::kAny) {
    return true;
  }
  return (type->kind == TypeKind::kObject || type->kind == TypeKind::kMap) &&
         type->mapType == MapType::kGranular;
}

bool isAssociativeList(const TypeNode* type, const nlohmann::json& value) {
  return value.is_array() && type != nullptr && type->kind == TypeKind::kList &&
         type->listType != ListType::kAtomic;
}

const TypeNode* elementType(const TypeNode* type) {
  return type != nullptr && type->kind == TypeKind::kList ? type->elem : nullptr;
}

PathElement listElement(const TypeNode* listType, const nlohmann::json& item, size_t index) {
  if (listType != nullptr && listType->listType == ListType::kMap && item.is_object() &&
      !listType->listMapKeys.empty()) {
    nlohmann::json keys = nlohmann::json::object();
    for (const std::string& k : listType->listMapKeys) {
      if (auto v = item.find(k); v != item.end() && !v->is_null()) {
        keys[k] = *v;
      } else if (auto d = defaultKeyValue(listType->elem, k); !d.is_discarded()) {
        keys[k] = std::move(d);
      }
    }
    if (!keys.empty()) {
      return keyElement(keys);
    }
  }
  if (listType != nullptr && listType->listType == ListType::kSet && item.is_primitive()) {
    return valueElement(item);
  }
  return "i:" + std::to_string(index);
}

}  // namespace tug::api::managed
