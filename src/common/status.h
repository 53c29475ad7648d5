#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tug {

// Error codes follow the Kubernetes API's reasons so that the API server can map them 1:1 to
// HTTP codes and the metav1.Status object.
enum class Code {
  kOk,
  kNotFound,         // 404 NotFound
  kAlreadyExists,    // 409 AlreadyExists
  kConflict,         // 409 Conflict (stale resourceVersion)
  kInvalid,          // 422 Invalid
  kBadRequest,       // 400 BadRequest
  kGone,             // 410 Expired / Gone (compacted revision)
  kUnauthorized,     // 401
  kForbidden,        // 403
  kUnsupported,      // 405 MethodNotAllowed / 415
  kTooLarge,         // 413 RequestEntityTooLarge
  kUnavailable,      // 503 ServiceUnavailable
  kTimeout,          // 504 Timeout
  kInternal,         // 500 InternalError
};

std::string_view codeName(Code code);

// The result of an operation: OK, or a code with a human-readable message.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return Status(); }

  bool isOk() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message reads "<context>: <message>", keeping the code.
  Status wrap(std::string_view context) const;

  // "NotFound: <message>", for logs and CLI errors.
  std::string toString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

inline Status notFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
inline Status alreadyExists(std::string m) { return Status(Code::kAlreadyExists, std::move(m)); }
inline Status conflict(std::string m) { return Status(Code::kConflict, std::move(m)); }
inline Status invalid(std::string m) { return Status(Code::kInvalid, std::move(m)); }
inline Status badRequest(std::string m) { return Status(Code::kBadRequest, std::move(m)); }
inline Status gone(std::string m) { return Status(Code::kGone, std::move(m)); }
inline Status tooLarge(std::string m) { return Status(Code::kTooLarge, std::move(m)); }
inline Status unavailable(std::string m) { return Status(Code::kUnavailable, std::move(m)); }
inline Status internalError(std::string m) { return Status(Code::kInternal, std::move(m)); }

// A value or an error. C++20 has no std::expected; this is the small subset we need.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).isOk() && "Result built from an OK status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace tug
