#include "api/quantity.h"

#include <cstdio>
#include <limits>
#include <optional>

namespace tug::api {
namespace {

constexpr const char* kFormatWrong =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
constexpr const char* kSuffixWrong = "unable to parse quantity's suffix";
constexpr const char* kTooLarge = "quantity is too large";

// Beyond this many nano-units a quantity is out of every resource's range (int64 units times
// 10^9, with room for sums of a few quantities).
constexpr __int128 kMaxNanos = static_cast<__int128>(std::numeric_limits<int64_t>::max()) *
                               1000000000 * 4;
// Significant digits kept exactly; more than this cannot fit kMaxNanos anyway.
constexpr int kMaxDigits = 38;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

struct Suffix {
  int base10 = 0;  // the suffix multiplies by 10^base10 ...
  int base2 = 0;   // ... and by 2^base2
};

std::optional<Suffix> parseSuffix(std::string_view s) {
  if (s.empty()) {
    return Suffix{};
  }
  static const std::pair<std::string_view, Suffix> kSuffixes[] = {
      {"n", {-9, 0}},  {"u", {-6, 0}},  {"m", {-3, 0}},  {"k", {3, 0}},   {"M", {6, 0}},
      {"G", {9, 0}},   {"T", {12, 0}},  {"P", {15, 0}},  {"E", {18, 0}},  {"Ki", {0, 10}},
      {"Mi", {0, 20}}, {"Gi", {0, 30}}, {"Ti", {0, 40}}, {"Pi", {0, 50}}, {"Ei", {0, 60}},
  };
  for (const auto& [name, suffix] : kSuffixes) {
    if (s == name) {
      return suffix;
    }
  }
  // Otherwise e and E start an exponent.
  if (s[0] == 'e' || s[0] == 'E') {
    std::string_view exp = s.substr(1);
    bool negative = false;
    if (!exp.empty() && (exp[0] == '+' || exp[0] == '-')) {
      negative = exp[0] == '-';
      exp.remove_prefix(1);
    }
    if (exp.empty() || exp.size() > 4) {
      return std::nullopt;
    }
    int n = 0;
    for (char c : exp) {
      if (!isDigit(c)) {
        return std::nullopt;
      }
      n = n * 10 + (c - '0');
    }
    return Suffix{negative ? -n : n, 0};
  }
  return std::nullopt;
}

// Whether the text after the number could be a suffix at all: upstream's regular expression
// decides between "wrong format" and "wrong suffix".
bool suffixShaped(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && std::string_view("eEinumkKMGTP").find(s[i]) != std::string_view::npos) {
    ++i;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    ++i;
  }
  while (i < s.size() && isDigit(s[i])) {
    ++i;
  }
  return i == s.size();
}

// value * 10^exp, rounded away from zero when exp < 0; nullopt past kMaxNanos.
std::optional<__int128> scale10(__int128 value, int exp) {
  for (; exp > 0; --exp) {
    if (value > kMaxNanos / 10) {
      return std::nullopt;
    }
    value *= 10;
  }
  for (; exp < 0 && value != 0; ++exp) {
    value = value / 10 + (value % 10 != 0 ? 1 : 0);
  }
  return value;
}

int64_t saturate(__int128 v) {
  if (v > std::numeric_limits<int64_t>::max()) {
    return std::numeric_limits<int64_t>::max();
  }
  if (v < std::numeric_limits<int64_t>::min()) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(v);
}

// a / b for b > 0, rounded away from zero.
__int128 divideUp(__int128 a, __int128 b) {
  __int128 q = a / b;
  if (a % b != 0) {
    q += a > 0 ? 1 : -1;
  }
  return q;
}

}  // namespace

int64_t Quantity::milliValue() const { return saturate(divideUp(nanos_, 1000000)); }

int64_t Quantity::value() const { return saturate(divideUp(nanos_, 1000000000)); }

Result<Quantity> parseQuantity(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  // The number: digits with at most one point, at least one digit.
  __int128 mantissa = 0;
  int exponent = 0;  // the number is mantissa * 10^exponent
  int significant = 0, digits = 0;
  bool point = false;
  size_t i = 0;
  for (; i < s.size() && (isDigit(s[i]) || s[i] == '.'); ++i) {
    if (s[i] == '.') {
      if (point) {
        return badRequest(kFormatWrong);
      }
      point = true;
      continue;
    }
    ++digits;
    if (mantissa == 0 && s[i] == '0') {
      if (point) {
        --exponent;
      }
      continue;
    }
    if (significant < kMaxDigits) {
      mantissa = mantissa * 10 + (s[i] - '0');
      ++significant;
      if (point) {
        --exponent;
      }
    } else if (!point) {
      ++exponent;  // dropped integer digits still scale; the value is out of range anyway
    }
  }
  if (digits == 0) {
    return badRequest(kFormatWrong);
  }
  std::string_view rest = s.substr(i);
  if (!suffixShaped(rest)) {
    return badRequest(kFormatWrong);
  }
  auto suffix = parseSuffix(rest);
  if (!suffix) {
    return badRequest(kSuffixWrong);
  }
  for (int b = 0; b < suffix->base2; ++b) {
    if (mantissa > kMaxNanos / 2) {
      return badRequest(kTooLarge);
    }
    mantissa *= 2;
  }
  auto nanos = scale10(mantissa, exponent + suffix->base10 + 9);
  if (!nanos || *nanos > kMaxNanos) {
    return badRequest(kTooLarge);
  }
  return Quantity(negative ? -*nanos : *nanos);
}

Result<Quantity> quantityFromJson(const nlohmann::json& value) {
  if (value.is_string()) {
    return parseQuantity(value.get_ref<const std::string&>());
  }
  if (value.is_number_integer()) {
    return parseQuantity(value.dump());
  }
  if (value.is_number_float()) {
    // Written out to the nano-unit: a float's own digits say no more than that.
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9f", value.get<double>());
    return parseQuantity(buf);
  }
  return badRequest("a quantity must be a string or a number");
}

}  // namespace tug::api
