#include "api/quantity_format.h"

#include <string_view>

namespace tug::api {
namespace {

constexpr __int128 kNanosPerUnit = 1000000000;

std::string digits(__int128 v) {
  if (v == 0) {
    return "0";
  }
  std::string out;
  for (; v > 0; v /= 10) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
  }
  return out;
}

std::string decimalSuffix(int exponent, QuantityFormat format) {
  if (exponent == 0) {
    return "";
  }
  if (format == QuantityFormat::kDecimalSI) {
    switch (exponent) {
      case -9: return "n";
      case -6: return "u";
      case -3: return "m";
      case 3: return "k";
      case 6: return "M";
      case 9: return "G";
      case 12: return "T";
      case 15: return "P";
      case 18: return "E";
      default: break;
    }
  }
  return "e" + std::to_string(exponent);
}

// mantissa * 10^exponent with the mantissa stripped of trailing zeros and the exponent a
// multiple of three (the mantissa takes back what the exponent gives up).
std::string decimal(__int128 magnitude, QuantityFormat format) {
  __int128 mantissa = magnitude;
  int exponent = -9;
  while (mantissa % 10 == 0) {
    mantissa /= 10;
    ++exponent;
  }
  int rem = ((exponent % 3) + 3) % 3;
  for (; rem > 0; --rem) {
    mantissa *= 10;
    --exponent;
  }
  return digits(mantissa) + decimalSuffix(exponent, format);
}

std::string binary(__int128 units) {
  static const char* kSuffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  int power = 0;
  while (power < 6 && units % 1024 == 0) {
    units /= 1024;
    ++power;
  }
  return digits(units) + kSuffixes[power];
}

}  // namespace

QuantityFormat quantityFormatOf(const nlohmann::json& value) {
  if (!value.is_string()) {
    return QuantityFormat::kDecimalSI;
  }
  std::string_view s = value.get_ref<const std::string&>();
  if (s.size() >= 2 && s.back() == 'i') {
    return QuantityFormat::kBinarySI;
  }
  for (char c : s) {
    if (c == 'e' || c == 'E') {
      return QuantityFormat::kDecimalExponent;
    }
  }
  return QuantityFormat::kDecimalSI;
}

std::string formatQuantity(const Quantity& q, QuantityFormat format) {
  __int128 nanos = q.nanos();
  if (nanos == 0) {
    return "0";
  }
  const bool negative = nanos < 0;
  const __int128 magnitude = negative ? -nanos : nanos;
  std::string text;
  if (format == QuantityFormat::kBinarySI && magnitude % kNanosPerUnit == 0 &&
      magnitude >= 1024 * kNanosPerUnit) {
    text = binary(magnitude / kNanosPerUnit);
  } else {
    text = decimal(magnitude, format == QuantityFormat::kBinarySI ? QuantityFormat::kDecimalSI
                                                                  : format);
  }
  return negative ? "-" + text : text;
}

}  // namespace tug::api
