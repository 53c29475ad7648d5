#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/type_node.h"
#include "common/status.h"

// Turns OpenAPI v3 schema JSON into TypeNodes. Shared by the built-in graph (definitions that
// refer to each other by $ref) and by CRD graphs (structural schemas, no $ref).
namespace tug::api {

class SchemaConverter {
 public:
  enum class Mode {
    kBuiltin,     // an object without properties is opaque (RawExtension, FieldsV1): kAny
    kStructural,  // an object without properties keeps nothing unless it preserves unknowns
  };
  // The node of a referenced definition; may be a placeholder filled later, or nullptr when
  // the definition does not exist. Unused in kStructural mode, where $ref is an error.
  using Resolver = std::function<TypeNode*(std::string_view name)>;

  // New nodes go to `nodes`, which must outlive the converter.
  SchemaConverter(std::vector<std::unique_ptr<TypeNode>>& nodes, Mode mode, Resolver resolve);

  // The node for a schema: a new one, or, for a bare reference, the referenced node itself.
  TypeNode* convert(const nlohmann::json& schema);
  // Fills `node` (a placeholder) from `schema`.
  void fill(TypeNode& node, const nlohmann::json& schema);
  // Gives `node` the fields every resource has: apiVersion, kind and metadata (ObjectMeta).
  void addResourceFields(TypeNode& node);
  // Completes the nodes that copy a referenced type to carry their own extensions; call once
  // every referenced definition is filled.
  void finish();

  // The first problem met (kStructural: a $ref), OK otherwise.
  const Status& error() const { return error_; }

 private:
  // A property whose type is a reference but whose extensions are its own (a patch strategy
  // next to a $ref): a copy of the referenced node with them applied on top.
  struct Overlay {
    TypeNode* node;
    const TypeNode* target;
    nlohmann::json extensions;
  };

  TypeNode* make();
  TypeNode* any();
  TypeNode* scalar(const char* type);

  std::vector<std::unique_ptr<TypeNode>>& nodes_;
  Mode mode_;
  Resolver resolve_;
  std::vector<Overlay> overlays_;
  TypeNode* any_ = nullptr;
  Status error_;
};

// Applies what a schema says about merging and nulls (x-kubernetes-list-type, list-map-keys,
// map-type, patch-strategy, patch-merge-key, nullable, default) to `node`.
void applyExtensions(TypeNode& node, const nlohmann::json& schema);

}  // namespace tug::api
