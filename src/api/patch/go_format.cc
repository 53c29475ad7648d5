#include "api/patch/go_format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tug::api {
namespace {

// Go's %v of a float64: the shortest text that reads back to the same value, in plain
// notation for exponents from -4 up to 20 and in exponent notation beyond.
std::string goFloat(double f) {
  if (std::isnan(f)) {
    return "NaN";
  }
  if (std::isinf(f)) {
    return f > 0 ? "+Inf" : "-Inf";
  }
  if (f == std::floor(f) && std::fabs(f) < 1e21) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", f);
    return buf;
  }
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, f);
    if (std::strtod(buf, nullptr) == f) {
      break;
    }
  }
  return buf;
}

void append(std::string& out, const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::object: {
      out += "map[";
      bool first = true;
      for (const auto& [key, value] : v.items()) {  // sorted, as Go prints maps
        if (!first) {
          out += ' ';
        }
        first = false;
        out += key;
        out += ':';
        append(out, value);
      }
      out += ']';
      break;
    }
    case nlohmann::json::value_t::array: {
      out += '[';
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) {
          out += ' ';
        }
        append(out, v[i]);
      }
      out += ']';
      break;
    }
    case nlohmann::json::value_t::string:
      out += v.get_ref<const std::string&>();
      break;
    case nlohmann::json::value_t::number_float:
      out += goFloat(v.get<double>());
      break;
    case nlohmann::json::value_t::null:
      out += "<nil>";
      break;
    default:  // integers and booleans print alike in both languages
      out += v.dump();
      break;
  }
}

}  // namespace

std::string goValue(const nlohmann::json& v) {
  std::string out;
  append(out, v);
  return out;
}

std::string goTypeName(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::object:
      return "map[string]interface {}";
    case nlohmann::json::value_t::array:
      return "[]interface {}";
    case nlohmann::json::value_t::string:
      return "string";
    case nlohmann::json::value_t::boolean:
      return "bool";
    case nlohmann::json::value_t::number_float:
      return "float64";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "int64";
    default:
      return "<nil>";
  }
}

}  // namespace tug::api
