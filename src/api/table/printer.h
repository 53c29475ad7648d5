#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/table/human_time.h"

// Printers turn API objects into the rows of a metav1.Table, the human-readable form
// `kubectl get` shows. One printer per kind, with upstream's columns; every other resource
// gets the generic Name + Created At.
namespace tug::api::table {

// One metav1.TableColumnDefinition. Columns of priority > 0 are shown only by `-o wide`.
struct Column {
  std::string name;
  std::string type;    // "string", "integer", "number", "boolean", "date"
  std::string format;  // "name" for the object's name column, else usually ""
  std::string description;
  int priority = 0;
};

// One metav1.TableRow: cells in column order (strings, integers, numbers, booleans or null),
// and the optional row conditions (null when none).
struct Row {
  nlohmann::json cells = nlohmann::json::array();
  nlohmann::json conditions;
};

// Thread-safe: printers hold no state besides their columns.
class Printer {
 public:
  virtual ~Printer() = default;
  virtual const std::vector<Column>& columns() const = 0;
  // The row of `obj` at time `now` (ages are relative to it). Never throws: fields that are
  // missing or of the wrong type print as upstream prints unset fields.
  virtual Row row(const nlohmann::json& obj, TimePoint now) const = 0;
};

using PrinterPtr = std::unique_ptr<Printer>;

// The printer for a built-in resource (by API group and plural resource name), or the generic
// Name + Created At printer for anything else.
const Printer& printerFor(std::string_view group, std::string_view resource);

// The generic printer: Name, Created At (RFC 3339), as upstream's default table convertor.
const Printer& genericPrinter();

// A printer from a column list and a row function; what the built-in printers are made of.
using RowFunction = Row (*)(const nlohmann::json& obj, TimePoint now);
PrinterPtr makePrinter(std::vector<Column> columns, RowFunction row);

}  // namespace tug::api::table
