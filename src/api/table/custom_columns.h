#pragma once

#include <nlohmann/json.hpp>

#include "api/table/printer.h"
#include "common/status.h"

// The printer of custom resources: the Name column, then the columns a
// CustomResourceDefinition version declares in additionalPrinterColumns, each a JSONPath into
// the object formatted by its type, as upstream's apiextensions table convertor does.
namespace tug::api::table {

// `additionalPrinterColumns` is the version's array (null or absent: none). Each entry has
// name, type (integer, number, string, boolean, date), optional format, description and
// priority, and jsonPath. Without columns, a version gets the default Age column (a date at
// .metadata.creationTimestamp). Invalid when an entry is malformed or a JSONPath does not parse.
Result<PrinterPtr> customColumnsPrinter(const nlohmann::json& additionalPrinterColumns);

// One cell of a custom column: the first value `path` selects, formatted for `type`:
// integer -> integer, number -> number, boolean -> boolean, date -> age ("<invalid>" when not a
// timestamp), string -> the value printed as text (objects and arrays as compact JSON).
// null when nothing matches or the value does not fit the type.
nlohmann::json customCell(const std::string& type, const nlohmann::json* value, TimePoint now);

}  // namespace tug::api::table
