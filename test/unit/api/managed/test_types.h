#pragma once

#include <deque>
#include <string>
#include <vector>

#include "api/type_node.h"

// Small hand-built type graphs in the shape of real kinds, for the managed-fields tests.
namespace tug::api::managed::testing {

class Types {
 public:
  TypeNode* scalar(const std::string& type = "string") {
    TypeNode* n = make(TypeKind::kScalar);
    n->scalarType = type;
    return n;
  }
  TypeNode* object(std::vector<std::pair<std::string, const TypeNode*>> fields) {
    TypeNode* n = make(TypeKind::kObject);
    for (auto& [name, type] : fields) {
      n->fields.emplace(name, type);
    }
    return n;
  }
  TypeNode* map(const TypeNode* elem, MapType mapType = MapType::kGranular) {
    TypeNode* n = make(TypeKind::kMap);
    n->elem = elem;
    n->mapType = mapType;
    return n;
  }
  TypeNode* list(const TypeNode* elem, ListType listType, std::vector<std::string> keys = {}) {
    TypeNode* n = make(TypeKind::kList);
    n->elem = elem;
    n->listType = listType;
    n->listMapKeys = std::move(keys);
    return n;
  }

  // apps/v1 Deployment, cut down to the fields the tests use.
  const TypeNode* deployment() {
    TypeNode* str = scalar();
    TypeNode* integer = scalar("integer");
    TypeNode* labels = map(str);
    TypeNode* meta = object({{"name", str},
                             {"namespace", str},
                             {"uid", str},
                             {"resourceVersion", str},
                             {"generation", integer},
                             {"creationTimestamp", str},
                             {"labels", labels},
                             {"annotations", labels},
                             {"finalizers", list(str, ListType::kSet)}});
    TypeNode* protocol = scalar();
    protocol->defaultValue = "\"TCP\"";
    TypeNode* port = object({{"containerPort", integer}, {"protocol", protocol}, {"name", str}});
    TypeNode* env = object({{"name", str}, {"value", str}});
    TypeNode* container =
        object({{"name", str},
                {"image", str},
                {"args", list(str, ListType::kAtomic)},
                {"env", list(env, ListType::kMap, {"name"})},
                {"ports", list(port, ListType::kMap, {"containerPort", "protocol"})}});
    TypeNode* podSpec = object({{"containers", list(container, ListType::kMap, {"name"})},
                                {"nodeSelector", map(str, MapType::kAtomic)}});
    TypeNode* selector = object({{"matchLabels", labels}});
    selector->mapType = MapType::kAtomic;
    TypeNode* spec = object({{"replicas", integer},
                             {"selector", selector},
                             {"template", object({{"metadata", meta}, {"spec", podSpec}})}});
    TypeNode* status = object({{"replicas", integer}, {"readyReplicas", integer}});
    return object({{"apiVersion", str},
                   {"kind", str},
                   {"metadata", meta},
                   {"spec", spec},
                   {"status", status}});
  }

 private:
  TypeNode* make(TypeKind kind) {
    nodes_.emplace_back();
    nodes_.back().kind = kind;
    return &nodes_.back();
  }
  std::deque<TypeNode> nodes_;
};

}  // namespace tug::api::managed::testing
