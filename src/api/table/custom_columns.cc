#include "api/table/custom_columns.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "api/table/builtin_printers.h"
#include "api/table/json_fields.h"
#include "api/table/jsonpath.h"

namespace tug::api::table {
namespace {

// A float as Go's fmt prints it with %v (shortest digits that read back; exponent form below
// 1e-4 and from 1e6 on): what upstream writes for numbers in string columns.
std::string goFloat(double v) {
  if (std::isnan(v)) {
    return "NaN";
  }
  if (std::isinf(v)) {
    return v > 0 ? "+Inf" : "-Inf";
  }
  char buf[64];
  int precision = 1;
  for (; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, v);
    if (std::strtod(buf, nullptr) == v) {
      break;
    }
  }
  int exponent = std::atoi(std::strchr(buf, 'e') + 1);
  if (exponent < -4 || exponent >= 6) {
    // Go writes at least two exponent digits, as C does.
    return buf;
  }
  int decimals = std::max(precision - 1 - exponent, 0);
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string text(const nlohmann::json& v) {
  if (v.is_string()) {
    return v.get<std::string>();
  }
  if (v.is_null()) {
    return "<no value>";
  }
  if (v.is_number_float()) {
    return goFloat(v.get<double>());
  }
  return v.dump();  // integers, booleans, and objects and arrays as compact JSON
}

struct CustomColumn {
  Column column;
  JsonPath path;
};

class CustomColumnsPrinter : public Printer {
 public:
  explicit CustomColumnsPrinter(std::vector<CustomColumn> custom) : custom_(std::move(custom)) {
    columns_.push_back(nameColumn());
    for (const CustomColumn& c : custom_) {
      columns_.push_back(c.column);
    }
  }

  const std::vector<Column>& columns() const override { return columns_; }

  Row row(const nlohmann::json& obj, TimePoint now) const override {
    Row r;
    r.cells.push_back(str(obj, {"metadata", "name"}));
    for (const CustomColumn& c : custom_) {
      auto found = c.path.evaluate(obj);
      r.cells.push_back(customCell(c.column.type, found.empty() ? nullptr : found[0], now));
    }
    return r;
  }

 private:
  std::vector<CustomColumn> custom_;
  std::vector<Column> columns_;
};

Result<CustomColumn> readColumn(const nlohmann::json& spec) {
  if (!spec.is_object()) {
    return invalid("a printer column must be an object");
  }
  CustomColumn c{Column{str(spec, {"name"}), str(spec, {"type"}), str(spec, {"format"}),
                        str(spec, {"description"}),
                        static_cast<int>(integer(spec, {"priority"}))},
                 JsonPath()};
  std::string jsonPath = str(spec, {"jsonPath"});
  if (c.column.name.empty()) {
    return invalid("a printer column needs a name");
  }
  auto path = JsonPath::parse(jsonPath);
  if (!path.ok()) {
    return invalid("printer column \"" + c.column.name + "\": " + path.status().message());
  }
  c.path = std::move(*path);
  if (c.column.description.empty()) {
    c.column.description = "Custom resource column at " + jsonPath + ".";
  }
  return c;
}

}  // namespace

nlohmann::json customCell(const std::string& type, const nlohmann::json* value, TimePoint now) {
  if (value == nullptr) {
    return nullptr;
  }
  const nlohmann::json& v = *value;
  if (type == "string") {
    return text(v);
  }
  if (type == "integer" && v.is_number()) {
    return v.is_number_float() ? static_cast<int64_t>(v.get<double>()) : v.get<int64_t>();
  }
  if (type == "number" && v.is_number()) {
    return v.get<double>();
  }
  if (type == "boolean" && v.is_boolean()) {
    return v.get<bool>();
  }
  if (type == "date" && v.is_string()) {
    auto t = parseTimestamp(v.get<std::string>());
    return t ? humanDuration(now - *t) : "<invalid>";
  }
  return nullptr;
}

Result<PrinterPtr> customColumnsPrinter(const nlohmann::json& additionalPrinterColumns) {
  std::vector<CustomColumn> columns;
  if (!additionalPrinterColumns.is_null() && !additionalPrinterColumns.is_array()) {
    return invalid("additionalPrinterColumns must be a list");
  }
  if (additionalPrinterColumns.is_array()) {
    for (const nlohmann::json& spec : additionalPrinterColumns) {
      auto c = readColumn(spec);
      if (!c.ok()) {
        return c.status();
      }
      columns.push_back(std::move(*c));
    }
  }
  if (columns.empty()) {
    auto c = readColumn({{"name", "Age"},
                         {"type", "date"},
                         {"description", "Time since the object was created."},
                         {"jsonPath", ".metadata.creationTimestamp"}});
    columns.push_back(std::move(*c));
  }
  return PrinterPtr(std::make_unique<CustomColumnsPrinter>(std::move(columns)));
}

}  // namespace tug::api::table
