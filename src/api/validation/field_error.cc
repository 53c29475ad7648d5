#include "api/validation/field_error.h"

#include <set>

namespace tug::api::validation {

Path Path::child(std::string_view name) const {
  Path p;
  p.text_ = text_.empty() ? std::string(name) : text_ + "." + std::string(name);
  return p;
}

Path Path::index(size_t i) const {
  Path p;
  p.text_ = text_ + "[" + std::to_string(i) + "]";
  return p;
}

Path Path::key(std::string_view k) const {
  Path p;
  p.text_ = text_ + "[" + std::string(k) + "]";
  return p;
}

std::string_view reasonOf(ErrorType type) {
  switch (type) {
    case ErrorType::kNotFound: return "FieldValueNotFound";
    case ErrorType::kRequired: return "FieldValueRequired";
    case ErrorType::kDuplicate: return "FieldValueDuplicate";
    case ErrorType::kInvalid: return "FieldValueInvalid";
    case ErrorType::kNotSupported: return "FieldValueNotSupported";
    case ErrorType::kForbidden: return "FieldValueForbidden";
    case ErrorType::kTooLong: return "FieldValueTooLong";
    case ErrorType::kTooMany: return "FieldValueTooMany";
    case ErrorType::kInternal: return "InternalError";
    case ErrorType::kTypeInvalid: return "FieldValueTypeInvalid";
  }
  return "FieldValueInvalid";
}

std::string_view wordsOf(ErrorType type) {
  switch (type) {
    case ErrorType::kNotFound: return "Not found";
    case ErrorType::kRequired: return "Required value";
    case ErrorType::kDuplicate: return "Duplicate value";
    case ErrorType::kInvalid: return "Invalid value";
    case ErrorType::kNotSupported: return "Unsupported value";
    case ErrorType::kForbidden: return "Forbidden";
    case ErrorType::kTooLong: return "Too long";
    case ErrorType::kTooMany: return "Too many";
    case ErrorType::kInternal: return "Internal error";
    case ErrorType::kTypeInvalid: return "Invalid value";
  }
  return "Invalid value";
}

namespace {

bool allStrings(const nlohmann::json& v) {
  for (const auto& e : v) {
    if (!e.is_string()) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string formatValue(const nlohmann::json& value) {
  if (value.is_null()) {
    return "null";
  }
  if (value.is_string() || value.is_number() || value.is_boolean()) {
    return value.dump();
  }
  if (value.is_object() && !value.empty() && allStrings(value)) {
    std::string out = "map[string]string{";
    bool first = true;
    for (const auto& [k, v] : value.items()) {  // nlohmann keeps keys sorted, as Go prints them
      out += (first ? "" : ", ") + nlohmann::json(k).dump() + ":" + v.dump();
      first = false;
    }
    return out + "}";
  }
  if (value.is_array() && allStrings(value)) {
    std::string out = "[]string{";
    for (size_t i = 0; i < value.size(); ++i) {
      out += (i ? ", " : "") + value[i].dump();
    }
    return out + "}";
  }
  return value.dump();
}

std::string FieldError::body() const {
  std::string s(wordsOf(type));
  bool valueless = type == ErrorType::kRequired || type == ErrorType::kForbidden ||
                   type == ErrorType::kTooLong || type == ErrorType::kInternal;
  if (!valueless && showValue) {
    s += ": " + formatValue(badValue);
  }
  if (!detail.empty()) {
    s += ": " + detail;
  }
  return s;
}

std::string FieldError::message() const { return field + ": " + body(); }

FieldError required(const Path& p, std::string detail) {
  return FieldError{ErrorType::kRequired, p.str(), "", false, std::move(detail)};
}

FieldError forbidden(const Path& p, std::string detail) {
  return FieldError{ErrorType::kForbidden, p.str(), "", false, std::move(detail)};
}

FieldError invalid(const Path& p, nlohmann::json value, std::string detail) {
  return FieldError{ErrorType::kInvalid, p.str(), std::move(value), true, std::move(detail)};
}

FieldError duplicate(const Path& p, nlohmann::json value) {
  return FieldError{ErrorType::kDuplicate, p.str(), std::move(value), true, ""};
}

FieldError notFound(const Path& p, nlohmann::json value) {
  return FieldError{ErrorType::kNotFound, p.str(), std::move(value), true, ""};
}

FieldError notSupported(const Path& p, nlohmann::json value,
                        const std::vector<std::string>& supported) {
  std::string detail;
  for (const auto& s : supported) {
    detail += (detail.empty() ? "supported values: " : ", ") + nlohmann::json(s).dump();
  }
  return FieldError{ErrorType::kNotSupported, p.str(), std::move(value), true, detail};
}

FieldError tooLong(const Path& p, size_t maxBytes) {
  return FieldError{ErrorType::kTooLong, p.str(), "", false,
                    "must have at most " + std::to_string(maxBytes) + " bytes"};
}

FieldError tooMany(const Path& p, size_t actual, size_t max) {
  return FieldError{ErrorType::kTooMany, p.str(), actual, true,
                    "must have at most " + std::to_string(max) + " items"};
}

FieldError immutable(const Path& p, nlohmann::json value) {
  return invalid(p, std::move(value), "field is immutable");
}

void append(ErrorList& list, ErrorList more) {
  for (auto& e : more) {
    list.push_back(std::move(e));
  }
}

std::string aggregate(const ErrorList& errors) {
  std::vector<std::string> messages;
  std::set<std::string> seen;
  for (const auto& e : errors) {
    std::string m = e.message();
    if (seen.insert(m).second) {
      messages.push_back(std::move(m));
    }
  }
  if (messages.size() == 1) {
    return messages[0];
  }
  std::string out = "[";
  for (size_t i = 0; i < messages.size(); ++i) {
    out += (i ? ", " : "") + messages[i];
  }
  return out + "]";
}

nlohmann::json causes(const ErrorList& errors) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : errors) {
    out.push_back({{"reason", reasonOf(e.type)}, {"message", e.body()}, {"field", e.field}});
  }
  return out;
}

std::string invalidMessage(std::string_view kind, std::string_view group, std::string_view name,
                           const ErrorList& errors) {
  std::string qualified(kind);
  if (!group.empty()) {
    qualified += "." + std::string(group);
  }
  std::string out = qualified + " " + nlohmann::json(std::string(name)).dump() + " is invalid";
  if (!errors.empty()) {
    out += ": " + aggregate(errors);
  }
  return out;
}

}  // namespace tug::api::validation
