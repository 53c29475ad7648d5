#include <map>
#include <mutex>
#include <utility>

#include "api/table/builtin_printers.h"
#include "api/table/json_fields.h"

namespace tug::api::table {
namespace {

class FunctionPrinter : public Printer {
 public:
  FunctionPrinter(std::vector<Column> columns, RowFunction row)
      : columns_(std::move(columns)), row_(row) {}

  const std::vector<Column>& columns() const override { return columns_; }

  Row row(const nlohmann::json& obj, TimePoint now) const override { return row_(obj, now); }

 private:
  const std::vector<Column> columns_;
  const RowFunction row_;
};

// Upstream's default table convertor writes the creation time itself, not an age.
Row genericRow(const nlohmann::json& obj, TimePoint) {
  Row r;
  r.cells = {str(obj, {"metadata", "name"}), str(obj, {"metadata", "creationTimestamp"})};
  return r;
}

using Registry = std::map<std::pair<std::string, std::string>, PrinterPtr, std::less<>>;

// Built on first use: a few dozen small objects, so an idle server that never prints a table
// pays nothing.
const Registry& registry() {
  static const Registry* r = [] {
    PrinterEntries entries;
    addPodPrinters(entries);
    addWorkloadPrinters(entries);
    addNetworkPrinters(entries);
    addClusterPrinters(entries);
    addStoragePrinters(entries);
    addRbacPrinters(entries);
    addPolicyPrinters(entries);
    addEventPrinters(entries);
    auto* out = new Registry();
    for (auto& e : entries) {
      out->emplace(std::make_pair(std::move(e.group), std::move(e.resource)),
                   std::move(e.printer));
    }
    return out;
  }();
  return *r;
}

}  // namespace

Column nameColumn() { return Column{"Name", "string", "name", "The object's name.", 0}; }

Column ageColumn() { return Column{"Age", "string", "", "Time since the object was created.", 0}; }

Column column(std::string name, std::string type, std::string description, int priority) {
  return Column{std::move(name), std::move(type), "", std::move(description), priority};
}

PrinterPtr makePrinter(std::vector<Column> columns, RowFunction row) {
  return std::make_unique<FunctionPrinter>(std::move(columns), row);
}

const Printer& genericPrinter() {
  static const PrinterPtr kGeneric = makePrinter(
      {nameColumn(), Column{"Created At", "date", "", "When the object was created.", 0}},
      genericRow);
  return *kGeneric;
}

const Printer& printerFor(std::string_view group, std::string_view resource) {
  const Registry& r = registry();
  auto it = r.find(std::make_pair(std::string(group), std::string(resource)));
  return it == r.end() ? genericPrinter() : *it->second;
}

}  // namespace tug::api::table
