#include "api/validation/schema_validation.h"

#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>

namespace tug::api::validation {
namespace {

using nlohmann::json;

const json* member(const json& s, const char* key) {
  auto it = s.find(key);
  return it == s.end() ? nullptr : &*it;
}

std::string stringOf(const json& s, const char* key) {
  const json* v = member(s, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : "";
}

bool flag(const json& s, const char* key) {
  const json* v = member(s, key);
  return v != nullptr && v->is_boolean() && v->get<bool>();
}

// The name upstream's validator gives a value's type in its messages.
const char* typeName(const json& v) {
  switch (v.type()) {
    case json::value_t::string: return "string";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "number";
    case json::value_t::boolean: return "boolean";
    case json::value_t::object: return "object";
    case json::value_t::array: return "array";
    default: return "null";
  }
}

bool hasType(const json& v, const std::string& type) {
  if (type == "string") return v.is_string();
  if (type == "integer") return v.is_number_integer();
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_boolean();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  return true;
}

// Characters, not bytes: Go counts runes for minLength and maxLength.
size_t runeCount(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    n += (c & 0xC0) != 0x80;
  }
  return n;
}

double number(const json& v) { return v.get<double>(); }

// Patterns compile once per process; CRD schemas hold few distinct ones. A pattern that
// std::regex cannot read (RE2 syntax it lacks) is not enforced rather than refusing objects.
const std::regex* compiledPattern(const std::string& pattern) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<std::regex>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(pattern);
  if (it == cache.end()) {
    std::unique_ptr<std::regex> re;
    try {
      re = std::make_unique<std::regex>(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
    }
    it = cache.emplace(pattern, std::move(re)).first;
  }
  return it->second.get();
}

bool matchesPattern(const std::string& pattern, const std::string& value) {
  const std::regex* re = compiledPattern(pattern);
  if (re == nullptr) {
    return true;
  }
  try {
    return std::regex_search(value, *re);
  } catch (const std::regex_error&) {
    return true;  // too complex for std::regex on this input: not enforced
  }
}

bool isIPv4(const std::string& s) {
  int parts = 0;
  size_t i = 0;
  while (i <= s.size()) {
    size_t dot = s.find('.', i);
    std::string part = s.substr(i, dot == std::string::npos ? std::string::npos : dot - i);
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) {
      return false;
    }
    for (char c : part) {
      if (c < '0' || c > '9') {
        return false;
      }
    }
    if (std::stoi(part) > 255) {
      return false;
    }
    ++parts;
    if (dot == std::string::npos) {
      break;
    }
    i = dot + 1;
  }
  return parts == 4;
}

bool isIPv6(const std::string& s) {
  if (s.find(':') == std::string::npos || s.size() > 45) {
    return false;
  }
  int groups = 0;
  bool compressed = s.find("::") != std::string::npos;
  if (compressed && s.find("::", s.find("::") + 1) != std::string::npos) {
    return false;
  }
  size_t i = 0;
  while (i < s.size()) {
    size_t colon = s.find(':', i);
    std::string part = s.substr(i, colon == std::string::npos ? std::string::npos : colon - i);
    if (!part.empty()) {
      if (part.find('.') != std::string::npos && colon == std::string::npos) {
        if (!isIPv4(part)) {
          return false;
        }
        groups += 2;
      } else {
        if (part.size() > 4) {
          return false;
        }
        for (char c : part) {
          if (!std::isxdigit(static_cast<unsigned char>(c))) {
            return false;
          }
        }
        ++groups;
      }
    }
    if (colon == std::string::npos) {
      break;
    }
    i = colon + 1;
  }
  return compressed ? groups < 8 : groups == 8;
}

bool isCidr(const std::string& s) {
  size_t slash = s.find('/');
  if (slash == std::string::npos || slash + 1 >= s.size()) {
    return false;
  }
  std::string ip = s.substr(0, slash), bits = s.substr(slash + 1);
  if (bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  int n = std::stoi(bits);
  return (isIPv4(ip) && n <= 32) || (isIPv6(ip) && n <= 128);
}

bool matchesRegex(const char* pattern, const std::string& s) {
  return matchesPattern(pattern, s);
}

// The string formats upstream's CRD validation checks; others are accepted as they come.
bool validFormat(const std::string& format, const std::string& s) {
  if (format == "ipv4") return isIPv4(s);
  if (format == "ipv6") return isIPv6(s);
  if (format == "cidr") return isCidr(s);
  if (format == "uuid") {
    return matchesRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", s);
  }
  if (format == "date") return matchesRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", s);
  if (format == "date-time" || format == "datetime") {
    return matchesRegex(
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$",
        s);
  }
  if (format == "byte") {
    return s.size() % 4 == 0 && matchesRegex("^[A-Za-z0-9+/]*={0,2}$", s);
  }
  if (format == "hostname") {
    return s.size() <= 255 &&
           matchesRegex("^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*$", s);
  }
  if (format == "mac") {
    return matchesRegex("^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$", s);
  }
  return true;
}

class Validator {
 public:
  explicit Validator(ErrorList& errs) : errs_(errs) {}

  void check(const json& s, const json& v, const Path& p) {
    if (!s.is_object()) {
      return;
    }
    const std::string field = p.str();
    if (v.is_null()) {
      if (!flag(s, "nullable") && !stringOf(s, "type").empty()) {
        errs_.push_back(invalid(p, v, field + " in body must be of type " + stringOf(s, "type") +
                                          ": \"null\""));
      }
      return;
    }
    if (!checkType(s, v, p)) {
      return;  // the rest of the checks assume the declared type
    }
    checkEnum(s, v, p);
    if (v.is_number()) {
      checkNumber(s, v, p);
    } else if (v.is_string()) {
      checkString(s, v.get_ref<const std::string&>(), v, p);
    } else if (v.is_array()) {
      checkArray(s, v, p);
    } else if (v.is_object()) {
      checkObject(s, v, p);
    }
    checkJunctors(s, v, p);
  }

 private:
  bool checkType(const json& s, const json& v, const Path& p) {
    if (flag(s, "x-kubernetes-int-or-string")) {
      if (!v.is_number_integer() && !v.is_string()) {
        errs_.push_back(invalid(p, v, p.str() + " in body must be of type integer-or-string: \"" +
                                          typeName(v) + "\""));
        return false;
      }
      return true;
    }
    std::string type = stringOf(s, "type");
    if (!type.empty() && !hasType(v, type)) {
      errs_.push_back(invalid(p, v, p.str() + " in body must be of type " + type + ": \"" +
                                        typeName(v) + "\""));
      return false;
    }
    return true;
  }

  void checkEnum(const json& s, const json& v, const Path& p) {
    const json* e = member(s, "enum");
    if (e == nullptr || !e->is_array()) {
      return;
    }
    for (const json& allowed : *e) {
      if (allowed == v) {
        return;
      }
    }
    std::vector<std::string> names;
    for (const json& allowed : *e) {
      names.push_back(allowed.is_string() ? allowed.get<std::string>() : allowed.dump());
    }
    errs_.push_back(notSupported(p, v, names));
  }

  void checkNumber(const json& s, const json& v, const Path& p) {
    const std::string field = p.str();
    double x = number(v);
    if (const json* min = member(s, "minimum"); min != nullptr && min->is_number()) {
      bool exclusive = flag(s, "exclusiveMinimum");
      if (exclusive ? !(x > number(*min)) : !(x >= number(*min))) {
        errs_.push_back(invalid(p, v, field + " in body should be greater than " +
                                          (exclusive ? "" : "or equal to ") + min->dump()));
      }
    }
    if (const json* max = member(s, "maximum"); max != nullptr && max->is_number()) {
      bool exclusive = flag(s, "exclusiveMaximum");
      if (exclusive ? !(x < number(*max)) : !(x <= number(*max))) {
        errs_.push_back(invalid(p, v, field + " in body should be less than " +
                                          (exclusive ? "" : "or equal to ") + max->dump()));
      }
    }
    if (const json* m = member(s, "multipleOf"); m != nullptr && m->is_number() && number(*m) > 0) {
      double q = x / number(*m);
      if (std::fabs(q - std::round(q)) > 1e-9) {
        errs_.push_back(invalid(p, v, field + " in body should be a multiple of " + m->dump()));
      }
    }
  }

  void checkString(const json& s, const std::string& str, const json& v, const Path& p) {
    const std::string field = p.str();
    if (const json* max = member(s, "maxLength"); max != nullptr && max->is_number_integer()) {
      if (runeCount(str) > max->get<size_t>()) {
        errs_.push_back(tooLong(p, max->get<size_t>()));
      }
    }
    if (const json* min = member(s, "minLength"); min != nullptr && min->is_number_integer()) {
      if (runeCount(str) < min->get<size_t>()) {
        errs_.push_back(invalid(p, v, field + " in body should be at least " + min->dump() +
                                          " chars long"));
      }
    }
    if (std::string pattern = stringOf(s, "pattern"); !pattern.empty()) {
      if (!matchesPattern(pattern, str)) {
        errs_.push_back(invalid(p, v, field + " in body should match '" + pattern + "'"));
      }
    }
    if (std::string format = stringOf(s, "format"); !format.empty()) {
      if (!validFormat(format, str)) {
        errs_.push_back(invalid(p, v, field + " in body must be of type " + format + ": \"" +
                                          str + "\""));
      }
    }
  }

  void checkArray(const json& s, const json& v, const Path& p) {
    const std::string field = p.str();
    if (const json* max = member(s, "maxItems"); max != nullptr && max->is_number_integer()) {
      if (v.size() > max->get<size_t>()) {
        errs_.push_back(tooMany(p, v.size(), max->get<size_t>()));
      }
    }
    if (const json* min = member(s, "minItems"); min != nullptr && min->is_number_integer()) {
      if (v.size() < min->get<size_t>()) {
        errs_.push_back(invalid(p, v, field + " in body should have at least " + min->dump() +
                                          " items"));
      }
    }
    std::string listType = stringOf(s, "x-kubernetes-list-type");
    if (flag(s, "uniqueItems") || listType == "set") {
      std::set<std::string> seen;
      for (size_t i = 0; i < v.size(); ++i) {
        if (!seen.insert(v[i].dump()).second) {
          errs_.push_back(duplicate(p.index(i), v[i]));
        }
      }
    } else if (listType == "map") {
      checkListMapKeys(s, v, p);
    }
    if (const json* items = member(s, "items"); items != nullptr) {
      for (size_t i = 0; i < v.size(); ++i) {
        check(*items, v[i], p.index(i));
      }
    }
  }

  // Elements of a map list are identified by their keys: two with the same keys collide.
  void checkListMapKeys(const json& s, const json& v, const Path& p) {
    const json* keys = member(s, "x-kubernetes-list-map-keys");
    if (keys == nullptr || !keys->is_array()) {
      return;
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_object()) {
        continue;
      }
      json id = json::object();
      for (const json& k : *keys) {
        if (k.is_string()) {
          if (auto f = v[i].find(k.get<std::string>()); f != v[i].end()) {
            id[k.get<std::string>()] = *f;
          }
        }
      }
      if (!seen.insert(id.dump()).second) {
        errs_.push_back(duplicate(p.index(i), id));
      }
    }
  }

  void checkObject(const json& s, const json& v, const Path& p) {
    const std::string field = p.str();
    if (const json* max = member(s, "maxProperties"); max != nullptr && max->is_number_integer()) {
      if (v.size() > max->get<size_t>()) {
        errs_.push_back(tooMany(p, v.size(), max->get<size_t>()));
      }
    }
    if (const json* min = member(s, "minProperties"); min != nullptr && min->is_number_integer()) {
      if (v.size() < min->get<size_t>()) {
        errs_.push_back(invalid(p, v, field + " in body should have at least " + min->dump() +
                                          " properties"));
      }
    }
    if (const json* req = member(s, "required"); req != nullptr && req->is_array()) {
      for (const json& name : *req) {
        if (name.is_string() && !v.contains(name.get<std::string>())) {
          errs_.push_back(required(p.child(name.get<std::string>())));
        }
      }
    }
    const json* props = member(s, "properties");
    const json* additional = member(s, "additionalProperties");
    for (const auto& [name, value] : v.items()) {
      // The server owns these at the root; their schema is ObjectMeta's, checked elsewhere.
      if (p.str().empty() && (name == "metadata" || name == "apiVersion" || name == "kind")) {
        continue;
      }
      if (props != nullptr && props->is_object()) {
        if (auto it = props->find(name); it != props->end()) {
          check(*it, value, p.child(name));
          continue;
        }
      }
      if (additional != nullptr && additional->is_object()) {
        check(*additional, value, p.key(name));
      }
    }
  }

  // allOf: every schema; anyOf: at least one; oneOf: exactly one; not: none.
  void checkJunctors(const json& s, const json& v, const Path& p) {
    const std::string field = p.str();
    if (const json* all = member(s, "allOf"); all != nullptr && all->is_array()) {
      for (const json& sub : *all) {
        check(sub, v, p);
      }
    }
    if (const json* any = member(s, "anyOf"); any != nullptr && any->is_array()) {
      if (countValid(*any, v, p) == 0) {
        errs_.push_back(invalid(p, v, field + " in body must validate at least one schema (anyOf)"));
      }
    }
    if (const json* one = member(s, "oneOf"); one != nullptr && one->is_array()) {
      if (countValid(*one, v, p) != 1) {
        errs_.push_back(
            invalid(p, v, field + " in body must validate one and only one schema (oneOf)"));
      }
    }
    if (const json* no = member(s, "not"); no != nullptr && no->is_object()) {
      ErrorList inner;
      Validator(inner).check(*no, v, p);
      if (inner.empty()) {
        errs_.push_back(invalid(p, v, field + " in body must not validate the schema (not)"));
      }
    }
  }

  static size_t countValid(const json& schemas, const json& v, const Path& p) {
    size_t n = 0;
    for (const json& sub : schemas) {
      ErrorList inner;
      Validator(inner).check(sub, v, p);
      n += inner.empty();
    }
    return n;
  }

  ErrorList& errs_;
};

void defaults(const json& s, json& v);

// The schema of an object's field `name`, or nullptr.
const json* fieldSchema(const json& s, const std::string& name) {
  if (const json* props = member(s, "properties"); props != nullptr && props->is_object()) {
    if (auto it = props->find(name); it != props->end()) {
      return &*it;
    }
  }
  if (const json* additional = member(s, "additionalProperties");
      additional != nullptr && additional->is_object()) {
    return additional;
  }
  return nullptr;
}

void defaultObject(const json& s, json& v) {
  if (const json* props = member(s, "properties"); props != nullptr && props->is_object()) {
    for (const auto& [name, sub] : props->items()) {
      const json* d = member(sub, "default");
      if (d == nullptr) {
        continue;
      }
      auto it = v.find(name);
      if (it == v.end() || (it->is_null() && !flag(sub, "nullable"))) {
        v[name] = *d;
      }
    }
  }
  for (auto it = v.begin(); it != v.end();) {
    const json* sub = fieldSchema(s, it.key());
    if (sub != nullptr && it->is_null() && !flag(*sub, "nullable")) {
      it = v.erase(it);  // a null the schema does not allow, and no default for it
      continue;
    }
    if (sub != nullptr) {
      defaults(*sub, *it);
    }
    ++it;
  }
}

void defaults(const json& s, json& v) {
  if (!s.is_object()) {
    return;
  }
  if (v.is_object()) {
    defaultObject(s, v);
  } else if (v.is_array()) {
    if (const json* items = member(s, "items"); items != nullptr) {
      for (json& e : v) {
        if (e.is_null()) {
          if (const json* d = member(*items, "default"); d != nullptr) {
            e = *d;
          }
        }
        defaults(*items, e);
      }
    }
  }
  if (const json* all = member(s, "allOf"); all != nullptr && all->is_array()) {
    for (const json& sub : *all) {
      defaults(sub, v);
    }
  }
}

}  // namespace

ErrorList validateAgainstSchema(const json& schema, const json& value) {
  ErrorList errs;
  Validator(errs).check(schema, value, Path());
  return errs;
}

void applySchemaDefaults(const json& schema, json& value) {
  if (value.is_object()) {
    // metadata, apiVersion and kind are not the schema's to default.
    json keep = json::object();
    for (const char* k : {"metadata", "apiVersion", "kind"}) {
      if (auto it = value.find(k); it != value.end()) {
        keep[k] = std::move(*it);
        value.erase(k);
      }
    }
    defaults(schema, value);
    for (auto& [k, v] : keep.items()) {
      value[k] = std::move(v);
    }
    return;
  }
  defaults(schema, value);
}

json withoutDescriptions(const json& schema) {
  if (schema.is_array()) {
    json out = json::array();
    for (const json& e : schema) {
      out.push_back(withoutDescriptions(e));
    }
    return out;
  }
  if (!schema.is_object()) {
    return schema;
  }
  json out = json::object();
  for (const auto& [key, value] : schema.items()) {
    if (key == "description" && value.is_string()) {
      continue;
    }
    if (key == "properties" && value.is_object()) {
      // Property names are data: one called "description" is a field, not a text.
      json props = json::object();
      for (const auto& [name, sub] : value.items()) {
        props[name] = withoutDescriptions(sub);
      }
      out[key] = std::move(props);
      continue;
    }
    if (key == "default" || key == "enum" || key == "example") {
      out[key] = value;  // values, kept as declared
      continue;
    }
    out[key] = withoutDescriptions(value);
  }
  return out;
}

}  // namespace tug::api::validation
