#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "api/table/printer.h"
#include "api/table/table_builder.h"
#include "apiserver/resource_verbs.h"

// Content negotiation for reads: which of JSON, a metav1.Table or PartialObjectMetadata(List)
// a GET, LIST or WATCH answers with, as upstream's negotiation and its response transforms
// (asTable, asPartialObjectMetadata[List], watchEmbeddedEncoder) decide.
namespace tug::apiserver {

enum class Rendering { kObject, kTable, kPartialObjectMetadata, kPartialObjectMetadataList };

struct OutputFormat {
  Rendering rendering = Rendering::kObject;
  std::string groupVersion;  // meta.k8s.io/v1 or meta.k8s.io/v1beta1 for the conversions
};

// The first entry of `accept` (by q, then specificity, then order) we can answer:
// application/json (also application/* and */*), plain or with as=Table,
// as=PartialObjectMetadata or as=PartialObjectMetadataList and g=meta.k8s.io, v=v1|v1beta1.
// Entries we cannot answer (protobuf, YAML, other conversions) fall through to the next;
// nullopt when none is left (406). An empty header means JSON.
std::optional<OutputFormat> negotiateOutput(std::string_view accept);

// The 406 NotAcceptable Status reply, naming what we can answer.
Reply notAcceptableReply();

// The printer for a resource: its built-in printer, the custom-resource default (Name, Age)
// for resources served from CustomResourceDefinitions, or the generic Name + Created At.
const api::table::Printer& printerForResource(const api::ResourceInfo& info);

// Renders the reply of a GET or LIST as `req.accept` asks. Error replies (Status objects) pass
// unchanged. Answers 406 when Accept allows nothing we serve, 400 for a bad includeObject.
Reply renderAsAccepted(Reply reply, const VerbRequest& req);

// Renders the objects of one watch stream's events. Table rows carry columnDefinitions only
// in the first event, as upstream's watch encoder sends them. Not thread-safe: one per stream.
class WatchRenderer {
 public:
  // The renderer for a watch request, or the reply that refuses it (406, 400).
  static std::variant<WatchRenderer, Reply> forRequest(const VerbRequest& req);

  // The object to send for an event (ERROR Status objects are returned unchanged).
  nlohmann::json render(const nlohmann::json& object, bool isError);

  bool passthrough() const { return format_.rendering == Rendering::kObject; }

 private:
  WatchRenderer(OutputFormat format, api::table::IncludeObject include,
                const api::table::Printer* printer)
      : format_(std::move(format)), include_(include), printer_(printer) {}

  OutputFormat format_;
  api::table::IncludeObject include_;
  const api::table::Printer* printer_;
  bool headersSent_ = false;
};

}  // namespace tug::apiserver
