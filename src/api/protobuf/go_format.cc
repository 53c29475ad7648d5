#include "api/protobuf/go_format.h"

#include <cstdio>

namespace tug::api::protobuf {
namespace {

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
void civilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

// Go's fmtFrac: the fraction of v / 10^prec without trailing zeros (and without the point when
// it is zero), prepended to `out`; returns v / 10^prec.
uint64_t prependFraction(std::string& out, uint64_t v, int prec) {
  std::string digits;
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    unsigned digit = v % 10;
    print = print || digit != 0;
    if (print) {
      digits.insert(digits.begin(), static_cast<char>('0' + digit));
    }
    v /= 10;
  }
  if (print) {
    out.insert(0, "." + digits);
  }
  return v;
}

}  // namespace

std::optional<std::string> formatRfc3339(int64_t seconds, int64_t nanos, bool micro) {
  // Normalise as time.Unix does, so that nanos lands in [0, 1e9).
  seconds += nanos / 1000000000;
  nanos %= 1000000000;
  if (nanos < 0) {
    nanos += 1000000000;
    seconds -= 1;
  }
  // Years 0..9999 span about ±3e11 seconds; anything outside cannot be written.
  if (seconds < -62167219200LL || seconds > 253402300799LL) {
    return std::nullopt;
  }
  int64_t days = seconds / 86400;
  int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    days -= 1;
  }
  int64_t year = 0;
  unsigned month = 0, day = 0;
  civilFromDays(days, year, month, day);
  char buf[48];
  int n =
      std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                    static_cast<long long>(year), month, day, static_cast<long long>(rest / 3600),
                    static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60));
  std::string out(buf, n);
  if (micro) {
    n = std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(nanos / 1000));
    out.append(buf, n);
  }
  out += 'Z';
  return out;
}

std::string formatGoDuration(int64_t nanoseconds) {
  if (nanoseconds == 0) {
    return "0s";
  }
  const bool negative = nanoseconds < 0;
  uint64_t u = negative ? 0 - static_cast<uint64_t>(nanoseconds) : nanoseconds;
  std::string out;
  if (u < 1000000000ULL) {
    // Below a second Go picks the largest unit that keeps an integer part: 1.5ms, 2µs, 3ns.
    int prec = 0;
    if (u < 1000) {
      out = "ns";
    } else if (u < 1000000) {
      out = "\u00b5s";
      prec = 3;
    } else {
      out = "ms";
      prec = 6;
    }
    u = prependFraction(out, u, prec);
    out.insert(0, std::to_string(u));
  } else {
    out = "s";
    u = prependFraction(out, u, 9);
    out.insert(0, std::to_string(u % 60));
    u /= 60;
    if (u > 0) {
      out.insert(0, std::to_string(u % 60) + "m");
      u /= 60;
      if (u > 0) {
        out.insert(0, std::to_string(u) + "h");
      }
    }
  }
  if (negative) {
    out.insert(0, "-");
  }
  return out;
}

}  // namespace tug::api::protobuf
