#include "api/schema/type_graph.h"

#include <map>
#include <mutex>
#include <string>

#include "api/schema/definitions.h"
#include "api/schema/schema_converter.h"

namespace tug::api {
namespace {

// The built-in definitions converted so far. Nodes are only ever added: a node handed out is
// complete and never changes again, so readers need no lock.
struct BuiltinGraph {
  std::mutex mu;
  std::vector<std::unique_ptr<TypeNode>> nodes;
  std::map<std::string, TypeNode*, std::less<>> byName;
};

BuiltinGraph& builtinGraph() {
  static BuiltinGraph* graph = new BuiltinGraph();  // never destroyed: nodes outlive callers
  return *graph;
}

}  // namespace

const TypeNode* builtinDefinition(std::string_view name) {
  BuiltinGraph& g = builtinGraph();
  std::lock_guard<std::mutex> lock(g.mu);
  if (auto it = g.byName.find(name); it != g.byName.end()) {
    return it->second;
  }
  const DefinitionIndex& index = DefinitionIndex::builtin();
  if (index.find(name).empty()) {
    return nullptr;
  }
  // Placeholders for every definition reached, filled one by one; nothing is published until
  // the whole reachable graph is complete, since the lock is held throughout.
  std::vector<std::pair<std::string_view, TypeNode*>> pending;
  auto resolve = [&](std::string_view ref) -> TypeNode* {
    if (auto it = g.byName.find(ref); it != g.byName.end()) {
      return it->second;
    }
    std::string_view body = index.find(ref);
    if (body.empty()) {
      return nullptr;
    }
    g.nodes.push_back(std::make_unique<TypeNode>());
    TypeNode* node = g.nodes.back().get();
    g.byName.emplace(std::string(ref), node);
    pending.emplace_back(body, node);
    return node;
  };
  SchemaConverter converter(g.nodes, SchemaConverter::Mode::kBuiltin, resolve);
  TypeNode* root = resolve(name);
  while (!pending.empty()) {
    auto [body, node] = pending.back();
    pending.pop_back();
    // Parsed one definition at a time and dropped at once: only nodes are kept.
    nlohmann::json schema = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (schema.is_object()) {
      converter.fill(*node, schema);
    }
  }
  converter.finish();
  return root;
}

const TypeNode* builtinType(std::string_view group, std::string_view version,
                            std::string_view kind) {
  std::string_view name = DefinitionIndex::builtin().nameForKind(group, version, kind);
  return name.empty() ? nullptr : builtinDefinition(name);
}

Result<std::unique_ptr<TypeGraph>> buildTypeGraph(const nlohmann::json& openAPIV3Schema) {
  if (!openAPIV3Schema.is_object()) {
    return invalid("openAPIV3Schema must be an object");
  }
  auto graph = std::make_unique<TypeGraph>();
  SchemaConverter converter(graph->nodes_, SchemaConverter::Mode::kStructural, nullptr);
  TypeNode* root = converter.convert(openAPIV3Schema);
  if (!converter.error().isOk()) {
    return converter.error();
  }
  if (root->kind == TypeKind::kList || root->kind == TypeKind::kScalar ||
      root->kind == TypeKind::kMap) {
    return invalid("the root of a schema must be an object");
  }
  converter.addResourceFields(*root);
  converter.finish();
  graph->root_ = root;
  return graph;
}

}  // namespace tug::api
