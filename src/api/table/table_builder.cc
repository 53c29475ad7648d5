#include "api/table/table_builder.h"

#include <exception>

#include "api/table/json_fields.h"

namespace tug::api::table {

Result<IncludeObject> parseIncludeObject(std::string_view value) {
  if (value.empty() || value == "Metadata") {
    return IncludeObject::kMetadata;
  }
  if (value == "None") {
    return IncludeObject::kNone;
  }
  if (value == "Object") {
    return IncludeObject::kObject;
  }
  return invalid("includeObject: Invalid value: \"" + std::string(value) +
                 "\": must be 'Metadata', 'Object', 'None', or empty");
}

nlohmann::json columnDefinitions(const Printer& printer) {
  nlohmann::json out = nlohmann::json::array();
  for (const Column& c : printer.columns()) {
    out.push_back({{"name", c.name},
                   {"type", c.type},
                   {"format", c.format},
                   {"description", c.description},
                   {"priority", c.priority}});
  }
  return out;
}

nlohmann::json partialObjectMetadata(const nlohmann::json& obj, const std::string& groupVersion) {
  const nlohmann::json* meta = field(obj, {"metadata"});
  return {{"kind", "PartialObjectMetadata"},
          {"apiVersion", groupVersion},
          {"metadata", meta != nullptr && meta->is_object() ? *meta : nlohmann::json::object()}};
}

nlohmann::json partialObjectMetadataList(const nlohmann::json& list,
                                         const std::string& groupVersion) {
  nlohmann::json items = nlohmann::json::array();
  for (const nlohmann::json& item : array(list, {"items"})) {
    items.push_back(partialObjectMetadata(item, groupVersion));
  }
  return {{"kind", "PartialObjectMetadataList"},
          {"apiVersion", groupVersion},
          {"metadata", object(list, {"metadata"})},
          {"items", std::move(items)}};
}

namespace {

// A printer is written not to throw; should one anyway, the row still has the object's name
// and the right number of cells rather than failing the whole answer.
Row safeRow(const Printer& printer, const nlohmann::json& obj, TimePoint now) {
  try {
    return printer.row(obj, now);
  } catch (const std::exception&) {
    Row r;
    r.cells = nlohmann::json::array({str(obj, {"metadata", "name"})});
    while (r.cells.size() < printer.columns().size()) {
      r.cells.push_back(nullptr);
    }
    return r;
  }
}

}  // namespace

nlohmann::json buildTable(const Printer& printer, nlohmann::json items, const ListMeta& meta,
                          const TableOptions& options, TimePoint now) {
  nlohmann::json rows = nlohmann::json::array();
  if (items.is_array()) {
    for (nlohmann::json& obj : items) {
      Row r = safeRow(printer, obj, now);
      nlohmann::json row = {{"cells", std::move(r.cells)}};
      if (!r.conditions.is_null()) {
        row["conditions"] = std::move(r.conditions);
      }
      switch (options.include) {
        case IncludeObject::kNone:
          row["object"] = nullptr;
          break;
        case IncludeObject::kMetadata:
          row["object"] = partialObjectMetadata(obj, options.groupVersion);
          break;
        case IncludeObject::kObject:
          row["object"] = std::move(obj);
          break;
      }
      rows.push_back(std::move(row));
    }
  }
  nlohmann::json listMeta = nlohmann::json::object();
  if (!meta.resourceVersion.empty()) {
    listMeta["resourceVersion"] = meta.resourceVersion;
  }
  if (!meta.continueToken.empty()) {
    listMeta["continue"] = meta.continueToken;
  }
  if (meta.remainingItemCount) {
    listMeta["remainingItemCount"] = *meta.remainingItemCount;
  }
  return {{"kind", "Table"},
          {"apiVersion", options.groupVersion},
          {"metadata", std::move(listMeta)},
          {"columnDefinitions", options.noHeaders ? nlohmann::json() : columnDefinitions(printer)},
          {"rows", std::move(rows)}};
}

}  // namespace tug::api::table
