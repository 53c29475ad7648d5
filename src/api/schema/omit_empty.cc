#include "api/schema/omit_empty.h"

#include <algorithm>

namespace tug::api {

void dropEmptyCollections(const TypeNode& type, nlohmann::json& object) {
  switch (type.kind) {
    case TypeKind::kObject: {
      if (!object.is_object()) {
        return;
      }
      for (auto it = object.begin(); it != object.end();) {
        const TypeNode* field = type.field(it.key());
        if (field == nullptr) {
          ++it;
          continue;
        }
        const bool collection = (field->kind == TypeKind::kMap && it->is_object()) ||
                                (field->kind == TypeKind::kList && it->is_array());
        const bool required = std::find(type.required.begin(), type.required.end(),
                                        it.key()) != type.required.end();
        if (collection && it->empty() && !required) {
          it = object.erase(it);
          continue;
        }
        dropEmptyCollections(*field, *it);
        ++it;
      }
      return;
    }
    case TypeKind::kMap:
    case TypeKind::kList:
      if (type.elem != nullptr && (object.is_object() || object.is_array())) {
        for (auto& value : object) {
          dropEmptyCollections(*type.elem, value);
        }
      }
      return;
    case TypeKind::kAny:
    case TypeKind::kScalar:
      return;
  }
}

}  // namespace tug::api
