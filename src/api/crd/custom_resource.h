#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/resource_registry.h"
#include "api/schema/type_graph.h"
#include "api/table/printer.h"

// What the API server knows of a resource served from a CustomResourceDefinition, for one of
// its versions: the structural schema (for defaulting, validation, pruning, merging and the
// OpenAPI document), the printer columns, and the scale subresource's paths. Built from the
// CRD when it is established; immutable afterwards and shared by every request.
namespace tug::api {

struct CustomScale {
  // JSON paths as the CRD declares them: ".spec.replicas".
  std::string specReplicasPath, statusReplicasPath, labelSelectorPath;
};

struct CustomResourceVersion {
  std::string crdName;  // "gateways.gateway.networking.k8s.io"
  std::string listKind;
  std::string storageVersion;
  // openAPIV3Schema without descriptions: what validation and defaulting walk.
  nlohmann::json schema;
  // openAPIV3Schema as declared, as JSON text: what the OpenAPI document publishes.
  std::string publishedSchema;
  std::unique_ptr<TypeGraph> graph;  // pruning, strict decoding, apply, merge patch
  nlohmann::json printerColumns = nlohmann::json::array();  // additionalPrinterColumns
  table::PrinterPtr printer;  // the Table columns: Name, then printerColumns (or Age)
  std::optional<CustomScale> scale;
  // The CRD is being deleted: its objects may be read and deleted, not created.
  bool terminating = false;
};

// The type graph of a resource: a built-in kind's, or its CRD version's; nullptr when neither
// is known.
const TypeNode* resourceType(const ResourceInfo& info);

}  // namespace tug::api
