#include "api/table/human_time.h"

#include <cctype>
#include <ctime>

#include "api/table/json_fields.h"

namespace tug::api::table {
namespace {

// Reads exactly `digits` decimal digits at `pos`; -1 when they are not there.
int number(std::string_view s, size_t pos, size_t digits) {
  if (pos + digits > s.size()) {
    return -1;
  }
  int n = 0;
  for (size_t i = pos; i < pos + digits; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
      return -1;
    }
    n = n * 10 + (s[i] - '0');
  }
  return n;
}

std::string format(int64_t value, const char* unit) { return std::to_string(value) + unit; }

std::string format(int64_t a, const char* unitA, int64_t b, const char* unitB) {
  return b == 0 ? format(a, unitA) : format(a, unitA) + format(b, unitB);
}

}  // namespace

std::optional<TimePoint> parseTimestamp(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)
  int year = number(s, 0, 4), month = number(s, 5, 2), day = number(s, 8, 2);
  int hour = number(s, 11, 2), minute = number(s, 14, 2), second = number(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60 || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  size_t pos = 19;
  std::chrono::nanoseconds fraction{0};
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100000000;
    size_t start = pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      fraction += std::chrono::nanoseconds((s[pos] - '0') * scale);
      scale /= 10;
      ++pos;
    }
    if (pos == start) {
      return std::nullopt;
    }
  }
  int offsetMinutes = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = number(s, pos + 1, 2), om = number(s, pos + 4, 2);
    if (oh < 0 || om < 0 || pos + 3 >= s.size() || s[pos + 3] != ':') {
      return std::nullopt;
    }
    offsetMinutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  time_t t = timegm(&tm);
  auto at = Clock::from_time_t(t) - std::chrono::minutes(offsetMinutes);
  return at + std::chrono::duration_cast<Clock::duration>(fraction);
}

std::string humanDuration(Clock::duration d) {
  using std::chrono::duration_cast;
  // Go's int(d.Seconds()) and d / time.Minute both truncate toward zero, as these casts do.
  int64_t seconds = duration_cast<std::chrono::seconds>(d).count();
  if (seconds < -1) {
    return "<invalid>";
  }
  if (seconds < 0) {
    return "0s";
  }
  if (seconds < 60 * 2) {
    return format(seconds, "s");
  }
  int64_t minutes = seconds / 60;
  if (minutes < 10) {
    return format(minutes, "m", seconds % 60, "s");
  }
  if (minutes < 60 * 3) {
    return format(minutes, "m");
  }
  int64_t hours = minutes / 60;
  if (hours < 8) {
    return format(hours, "h", minutes % 60, "m");
  }
  if (hours < 48) {
    return format(hours, "h");
  }
  if (hours < 24 * 8) {
    return format(hours / 24, "d", hours % 24, "h");
  }
  if (hours < 24 * 365 * 2) {
    return format(hours / 24, "d");
  }
  if (hours < 24 * 365 * 8) {
    return format(hours / 24 / 365, "y", (hours / 24) % 365, "d");
  }
  return format(hours / 24 / 365, "y");
}

std::string since(std::string_view timestamp, TimePoint now) {
  auto t = parseTimestamp(timestamp);
  if (!t) {
    return "<unknown>";
  }
  return humanDuration(now - *t);
}

std::string since(const nlohmann::json* timestamp, TimePoint now) {
  return since(str(timestamp), now);
}

std::string age(const nlohmann::json& obj, TimePoint now) {
  return since(field(obj, {"metadata", "creationTimestamp"}), now);
}

}  // namespace tug::api::table
