#include "apiserver/table_response.h"

#include <algorithm>
#include <vector>

#include "api/crd/custom_resource.h"
#include "api/table/custom_columns.h"
#include "apiserver/media_range.h"
#include "apiserver/status_response.h"

namespace tug::apiserver {
namespace {

using nlohmann::json;
namespace table = api::table;

// What one entry asks for, or nullopt when we cannot answer it.
std::optional<OutputFormat> formatFor(const MediaRange& m) {
  if (m.q <= 0) {
    return std::nullopt;
  }
  bool json = (m.type == "application" && (m.subtype == "json" || m.subtype == "*")) ||
              (m.type == "*" && m.subtype == "*");
  if (!json) {
    return std::nullopt;
  }
  std::string as = param(m, "as"), group = param(m, "g"), version = param(m, "v");
  if (as.empty() && group.empty() && version.empty()) {
    return OutputFormat{Rendering::kObject, ""};
  }
  if (group != "meta.k8s.io" || (version != "v1" && version != "v1beta1")) {
    return std::nullopt;
  }
  std::string groupVersion = group + "/" + version;
  if (as == "Table") {
    return OutputFormat{Rendering::kTable, groupVersion};
  }
  if (as == "PartialObjectMetadata") {
    return OutputFormat{Rendering::kPartialObjectMetadata, groupVersion};
  }
  if (as == "PartialObjectMetadataList") {
    return OutputFormat{Rendering::kPartialObjectMetadataList, groupVersion};
  }
  return std::nullopt;
}

Reply statusReply(int code, const char* reason, const std::string& message) {
  // Status has no code for 406; the object is finished by hand with upstream's reason.
  json body = statusObject(badRequest(message));
  body["code"] = code;
  body["reason"] = reason;
  return Reply{code, std::move(body)};
}

// The Go type upstream names in its conversion errors, e.g. "*v1.PodList".
std::string goType(const api::ResourceInfo& info, bool list) {
  return "*" + info.version + "." + info.kind + (list ? "List" : "");
}

std::optional<int64_t> remaining(const json& meta) {
  auto it = meta.find("remainingItemCount");
  if (it != meta.end() && it->is_number_integer()) {
    return it->get<int64_t>();
  }
  return std::nullopt;
}

std::string metaString(const json& obj, const char* key) {
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->is_object()) {
    return "";
  }
  auto it = meta->find(key);
  return it != meta->end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::variant<table::IncludeObject, Reply> includeObject(const VerbRequest& req) {
  auto include = table::parseIncludeObject(queryParam(req.params, "includeObject"));
  if (!include.ok()) {
    return Reply{400, statusObject(badRequest("Unable to convert to Table as requested: " +
                                              include.status().message()))};
  }
  return *include;
}

}  // namespace

std::optional<OutputFormat> negotiateOutput(std::string_view accept) {
  if (acceptIsEmpty(accept)) {
    return OutputFormat{};
  }
  for (const MediaRange& m : parseAccept(accept)) {
    if (auto f = formatFor(m)) {
      return f;
    }
  }
  return std::nullopt;
}

Reply notAcceptableReply() {
  return statusReply(406, "NotAcceptable",
                     "only the following media types are accepted: application/json");
}

const table::Printer& printerForResource(const api::ResourceInfo& info) {
  if (info.custom && info.custom->printer) {
    return *info.custom->printer;
  }
  if (!info.builtin) {
    // Custom resources without printer columns show Name and Age upstream.
    static const table::PrinterPtr kCustomDefault = std::move(*table::customColumnsPrinter(json()));
    return *kCustomDefault;
  }
  return table::printerFor(info.group, info.resource);
}

Reply renderAsAccepted(Reply reply, const VerbRequest& req) {
  auto format = negotiateOutput(req.accept);
  if (!format) {
    return notAcceptableReply();
  }
  if (format->rendering == Rendering::kObject || reply.code >= 300 ||
      reply.body.value("kind", "") == "Status") {
    return reply;
  }
  const api::ResourceInfo& info = *req.target.info;
  const bool isList = req.target.name.empty() && reply.body.contains("items");
  switch (format->rendering) {
    case Rendering::kObject:
      return reply;
    case Rendering::kPartialObjectMetadata:
      if (isList) {
        return statusReply(406, "NotAcceptable",
                           "you requested PartialObjectMetadata, but the requested object is a "
                           "list (" + goType(info, true) + ")");
      }
      return Reply{reply.code, table::partialObjectMetadata(reply.body, format->groupVersion)};
    case Rendering::kPartialObjectMetadataList:
      if (!isList) {
        return statusReply(406, "NotAcceptable",
                           "you requested PartialObjectMetadataList, but the requested object is "
                           "not a list (" + goType(info, false) + ")");
      }
      return Reply{reply.code, table::partialObjectMetadataList(reply.body, format->groupVersion)};
    case Rendering::kTable:
      break;
  }
  auto include = includeObject(req);
  if (auto* refused = std::get_if<Reply>(&include)) {
    return *refused;
  }
  table::TableOptions options{std::get<table::IncludeObject>(include), false,
                              format->groupVersion};
  table::ListMeta meta;
  json items;
  if (isList) {
    const json& listMeta = reply.body.value("metadata", json::object());
    meta.resourceVersion = listMeta.value("resourceVersion", "");
    meta.continueToken = listMeta.value("continue", "");
    meta.remainingItemCount = remaining(listMeta);
    items = std::move(reply.body["items"]);
  } else {
    meta.resourceVersion = metaString(reply.body, "resourceVersion");
    items = json::array({std::move(reply.body)});
  }
  const table::Printer& printer = req.target.subresource == "scale"
                                      ? table::printerFor("autoscaling", "scale")
                                      : printerForResource(info);
  return Reply{reply.code, table::buildTable(printer, std::move(items), meta,
                                             options, table::Clock::now())};
}

std::variant<WatchRenderer, Reply> WatchRenderer::forRequest(const VerbRequest& req) {
  auto format = negotiateOutput(req.accept);
  if (!format) {
    return notAcceptableReply();
  }
  table::IncludeObject include = table::IncludeObject::kMetadata;
  if (format->rendering == Rendering::kTable) {
    auto parsed = includeObject(req);
    if (auto* refused = std::get_if<Reply>(&parsed)) {
      return *refused;
    }
    include = std::get<table::IncludeObject>(parsed);
  }
  return WatchRenderer(*format, include, &printerForResource(*req.target.info));
}

json WatchRenderer::render(const json& object, bool isError) {
  if (isError) {
    return object;
  }
  switch (format_.rendering) {
    case Rendering::kObject:
    // A list conversion cannot apply to one object; upstream then sends the object as is.
    case Rendering::kPartialObjectMetadataList:
      return object;
    case Rendering::kPartialObjectMetadata:
      return table::partialObjectMetadata(object, format_.groupVersion);
    case Rendering::kTable:
      break;
  }
  table::ListMeta meta{metaString(object, "resourceVersion"), "", std::nullopt};
  // A bookmark carries no object worth a row, only where the stream stands.
  bool bookmark = metaString(object, "name").empty();
  json items = bookmark ? json::array() : json::array({object});
  table::TableOptions options{include_, headersSent_, format_.groupVersion};
  headersSent_ = true;
  return table::buildTable(*printer_, std::move(items), meta, options, table::Clock::now());
}

}  // namespace tug::apiserver
