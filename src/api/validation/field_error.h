#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// Field-level validation errors, shaped as the upstream API server reports them: each names a
// field path (`spec.template.spec.containers[0].image`), a type that becomes the StatusCause
// reason (`FieldValueRequired`), and the message text kubectl prints. Built-in kind validation
// and CRD schema validation both produce these lists.
namespace tug::api::validation {

// A field path: `metadata.labels`, `spec.ports[0]`, `data[key]`. Cheap to copy.
class Path {
 public:
  Path() = default;
  explicit Path(std::string_view root) : text_(root) {}

  Path child(std::string_view name) const;
  // Several children at once: child("a", "b") is child("a").child("b").
  template <typename... Names>
  Path child(std::string_view first, Names... rest) const {
    return child(first).child(rest...);
  }
  Path index(size_t i) const;
  Path key(std::string_view k) const;

  const std::string& str() const { return text_; }

 private:
  std::string text_;
};

enum class ErrorType {
  kNotFound,
  kRequired,
  kDuplicate,
  kInvalid,
  kNotSupported,
  kForbidden,
  kTooLong,
  kTooMany,
  kInternal,
  kTypeInvalid,
};

// The StatusCause reason: "FieldValueInvalid", "FieldValueRequired", ...
std::string_view reasonOf(ErrorType type);
// The words in messages: "Invalid value", "Required value", ...
std::string_view wordsOf(ErrorType type);

struct FieldError {
  ErrorType type = ErrorType::kInvalid;
  std::string field;
  // The offending value as JSON; shown in the message only when `showValue` is set.
  nlohmann::json badValue;
  bool showValue = false;
  std::string detail;

  // The message without the field: `Invalid value: "x": must be ...`.
  std::string body() const;
  // `<field>: <body>`.
  std::string message() const;
};

using ErrorList = std::vector<FieldError>;

FieldError required(const Path& p, std::string detail = "");
FieldError forbidden(const Path& p, std::string detail);
FieldError invalid(const Path& p, nlohmann::json value, std::string detail);
FieldError duplicate(const Path& p, nlohmann::json value);
FieldError notFound(const Path& p, nlohmann::json value);
FieldError notSupported(const Path& p, nlohmann::json value,
                        const std::vector<std::string>& supported);
FieldError tooLong(const Path& p, size_t maxBytes);
FieldError tooMany(const Path& p, size_t actual, size_t max);
// "field is immutable", with the new value shown.
FieldError immutable(const Path& p, nlohmann::json value);

// Appends `more` to `list`.
void append(ErrorList& list, ErrorList more);

// The errors as one line: the single message, or `[m1, m2, ...]` for several (duplicates
// dropped), as upstream's aggregate prints them.
std::string aggregate(const ErrorList& errors);
// details.causes: [{"reason":..., "message": body, "field": ...}].
nlohmann::json causes(const ErrorList& errors);
// `<Kind>[.<group>] "<name>" is invalid: <aggregate>`.
std::string invalidMessage(std::string_view kind, std::string_view group, std::string_view name,
                           const ErrorList& errors);

// How a value appears in a message, close to Go's fmt: strings quoted, numbers and booleans
// plain, non-empty string maps as map[string]string{"k":"v"}, string lists as
// []string{"a", "b"}, other structures as compact JSON.
std::string formatValue(const nlohmann::json& value);

}  // namespace tug::api::validation
