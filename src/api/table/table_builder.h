#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/table/printer.h"
#include "common/status.h"

// Builds the metav1.Table (and PartialObjectMetadata) documents the API server answers with
// when a client asks for them in Accept, as upstream's handlers do (asTable,
// asPartialObjectMetadata, asPartialObjectMetadataList).
namespace tug::api::table {

// What each row carries in `object` (the includeObject query parameter).
enum class IncludeObject { kNone, kMetadata, kObject };

// includeObject as upstream validates it: "" and "Metadata" give kMetadata. Invalid (a 400
// BadRequest upstream) with upstream's wording for anything else.
Result<IncludeObject> parseIncludeObject(std::string_view value);

struct TableOptions {
  IncludeObject include = IncludeObject::kMetadata;
  // Leave columnDefinitions out: every watch event after the first.
  bool noHeaders = false;
  // meta.k8s.io/v1 or meta.k8s.io/v1beta1: the apiVersion of the Table and of the
  // PartialObjectMetadata in its rows.
  std::string groupVersion = "meta.k8s.io/v1";
};

// The list metadata a Table carries over from the list it renders.
struct ListMeta {
  std::string resourceVersion;
  std::string continueToken;
  std::optional<int64_t> remainingItemCount;
};

// A Table with one row per object of `items` (an array, consumed), at time `now`.
nlohmann::json buildTable(const Printer& printer, nlohmann::json items, const ListMeta& meta,
                          const TableOptions& options, TimePoint now);

// The column definitions as metav1.TableColumnDefinition objects.
nlohmann::json columnDefinitions(const Printer& printer);

// {"kind":"PartialObjectMetadata","apiVersion":<groupVersion>,"metadata":<obj.metadata>}.
nlohmann::json partialObjectMetadata(const nlohmann::json& obj, const std::string& groupVersion);

// A PartialObjectMetadataList of a list's items, keeping its list metadata.
nlohmann::json partialObjectMetadataList(const nlohmann::json& list,
                                         const std::string& groupVersion);

}  // namespace tug::api::table
