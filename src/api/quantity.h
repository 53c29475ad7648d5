#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

// Kubernetes resource quantities ("500m", "1.5", "128Mi", "1e3", ...), as resource requests,
// limits, capacities and quotas write them.
//
// Grammar (upstream's resource.Quantity):
//   quantity ::= [+-] number suffix
//   number   ::= digits | digits "." digits | digits "." | "." digits
//   suffix   ::= "" | n | u | m | k | M | G | T | P | E        (decimal SI)
//              | Ki | Mi | Gi | Ti | Pi | Ei                   (binary SI)
//              | (e | E) [+-] digits                            (decimal exponent)
namespace tug::api {

// A parsed quantity, exact to the nano-unit (finer fractions round up, away from zero, as
// upstream rounds when it scales).
class Quantity {
 public:
  Quantity() = default;
  static Quantity fromMilli(int64_t milli) { return Quantity(static_cast<__int128>(milli) * 1000000); }
  static Quantity fromValue(int64_t value) {
    return Quantity(static_cast<__int128>(value) * 1000000000);
  }

  // Thousandths of a unit, rounded up: "100m" -> 100, "1" -> 1000, "0.1m" -> 1. Saturates
  // at the int64 limits.
  int64_t milliValue() const;
  // Whole units, rounded up: "1.2" -> 2, "1Ki" -> 1024, "500m" -> 1.
  int64_t value() const;
  bool isZero() const { return nanos_ == 0; }
  // The exact amount in nano-units (for formatting).
  __int128 nanos() const { return nanos_; }

  friend bool operator==(const Quantity&, const Quantity&) = default;
  friend auto operator<=>(const Quantity& a, const Quantity& b) { return a.nanos_ <=> b.nanos_; }
  Quantity& operator+=(const Quantity& o) {
    nanos_ += o.nanos_;
    return *this;
  }
  Quantity& operator-=(const Quantity& o) {
    nanos_ -= o.nanos_;
    return *this;
  }

 private:
  explicit Quantity(__int128 nanos) : nanos_(nanos) {}
  friend Result<Quantity> parseQuantity(std::string_view text);
  __int128 nanos_ = 0;
};

// BadRequest naming what is wrong: upstream's "quantities must match the regular expression
// ..." for a malformed number, "unable to parse quantity's suffix" for an unknown suffix, and
// "quantity is too large" beyond what a resource can hold (about 9.2e18 units).
Result<Quantity> parseQuantity(std::string_view text);
// A quantity in an object: a string in the grammar above, or a JSON number (which the API
// also accepts for quantities).
Result<Quantity> quantityFromJson(const nlohmann::json& value);

}  // namespace tug::api
