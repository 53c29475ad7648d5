#include "api/schema/unknown_fields.h"

namespace tug::api {
namespace {

using nlohmann::json;

void collectUnknown(const TypeNode* type, const json& value, const std::string& path,
                    std::vector<std::string>& out) {
  if (type == nullptr) {
    return;
  }
  switch (type->kind) {
    case TypeKind::kObject:
      if (value.is_object()) {
        for (const auto& [key, child] : value.items()) {
          if (const TypeNode* f = type->field(key)) {
            collectUnknown(f, child, fieldPath(path, key), out);
          } else if (!type->preserveUnknownFields) {
            out.push_back(fieldPath(path, key));
          }
        }
      }
      return;
    case TypeKind::kMap:
      if (value.is_object()) {
        for (const auto& [key, child] : value.items()) {
          collectUnknown(type->elem, child, fieldPath(path, key), out);
        }
      }
      return;
    case TypeKind::kList:
      if (value.is_array()) {
        for (size_t i = 0; i < value.size(); ++i) {
          collectUnknown(type->elem, value[i], indexPath(path, i), out);
        }
      }
      return;
    case TypeKind::kAny:
    case TypeKind::kScalar:
      return;
  }
}

size_t pruneValue(const TypeNode* type, json& value) {
  if (type == nullptr) {
    return 0;
  }
  size_t dropped = 0;
  switch (type->kind) {
    case TypeKind::kObject:
      if (value.is_object()) {
        for (auto it = value.begin(); it != value.end();) {
          if (const TypeNode* f = type->field(it.key())) {
            dropped += pruneValue(f, it.value());
            ++it;
          } else if (type->preserveUnknownFields) {
            ++it;
          } else {
            it = value.erase(it);
            ++dropped;
          }
        }
      }
      break;
    case TypeKind::kMap:
      if (value.is_object()) {
        for (auto& [key, child] : value.items()) {
          dropped += pruneValue(type->elem, child);
        }
      }
      break;
    case TypeKind::kList:
      if (value.is_array()) {
        for (auto& child : value) {
          dropped += pruneValue(type->elem, child);
        }
      }
      break;
    case TypeKind::kAny:
    case TypeKind::kScalar:
      break;
  }
  return dropped;
}

}  // namespace

std::string fieldPath(const std::string& parent, const std::string& field) {
  return parent.empty() ? field : parent + "." + field;
}

std::string indexPath(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::vector<std::string> unknownFields(const TypeNode& type, const json& object) {
  std::vector<std::string> out;
  collectUnknown(&type, object, "", out);
  return out;
}

size_t prune(const TypeNode& type, json& object) { return pruneValue(&type, object); }

}  // namespace tug::api
