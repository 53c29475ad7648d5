#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/type_node.h"
#include "common/status.h"

// TypeNode graphs: the built-in kinds' (from the embedded definitions, built lazily and kept
// for the life of the process) and those built from a CRD's openAPIV3Schema (owned by the
// caller). See api/type_node.h for what a node holds.
namespace tug::api {

// The root node of a built-in kind, e.g. ("apps", "v1", "Deployment"); nullptr when no
// definition declares that kind. The first call for a kind parses the definitions it reaches;
// later calls are a lookup. Thread-safe; nodes live as long as the process.
const TypeNode* builtinType(std::string_view group, std::string_view version,
                            std::string_view kind);
// The node of a named definition ("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), or
// nullptr.
const TypeNode* builtinDefinition(std::string_view name);

// A graph built from one schema; owns its nodes (it may also point at built-in nodes, such as
// ObjectMeta for metadata, which live forever).
class TypeGraph;
Result<std::unique_ptr<TypeGraph>> buildTypeGraph(const nlohmann::json& openAPIV3Schema);

class TypeGraph {
 public:
  const TypeNode* root() const { return root_; }
  size_t nodeCount() const { return nodes_.size(); }

 private:
  friend Result<std::unique_ptr<TypeGraph>> buildTypeGraph(const nlohmann::json&);
  std::vector<std::unique_ptr<TypeNode>> nodes_;
  const TypeNode* root_ = nullptr;
};

// Builds the graph of a CRD version's openAPIV3Schema (a structural schema: no $ref). The
// root, and every x-kubernetes-embedded-resource object, get apiVersion and kind (strings) and
// metadata (the built-in ObjectMeta), as upstream treats them. Invalid when the schema is not
// an object or uses $ref.
Result<std::unique_ptr<TypeGraph>> buildTypeGraph(const nlohmann::json& openAPIV3Schema);

}  // namespace tug::api
