#include "common/cron_schedule.h"

#include <array>
#include <cctype>
#include <sstream>
#include <vector>

#include "common/split.h"

namespace tug::cron {
namespace {

struct Bounds {
  unsigned min, max;
  const char* const* names;  // indexed from `min`, or nullptr
};

const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                               "jul", "aug", "sep", "oct", "nov", "dec"};
const char* const kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
const Bounds kMinutes{0, 59, nullptr}, kHours{0, 23, nullptr}, kDom{1, 31, nullptr},
    kMonthBounds{1, 12, kMonths}, kDow{0, 6, kDays};

Result<unsigned> parseNumber(const std::string& text, const std::string& expr) {
  if (!text.empty() && text[0] == '-') {
    return invalid("negative number (" + text + ") not allowed: " + expr);
  }
  if (text.empty() || text.size() > 9) {
    return invalid("failed to parse int from " + text + ": strconv.Atoi: parsing \"" + text +
                   "\": invalid syntax");
  }
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return invalid("failed to parse int from " + text + ": strconv.Atoi: parsing \"" + text +
                     "\": invalid syntax");
    }
  }
  return static_cast<unsigned>(std::stoul(text));
}

Result<unsigned> parseValue(const std::string& text, const Bounds& b, const std::string& expr) {
  if (b.names != nullptr) {
    std::string lower;
    for (char c : text) {
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    for (unsigned i = 0; i <= b.max - b.min; ++i) {
      if (lower == b.names[i]) {
        return b.min + i;
      }
    }
  }
  return parseNumber(text, expr);
}

Result<uint64_t> parseRange(const std::string& expr, const Bounds& b) {
  const std::vector<std::string> rangeAndStep = splitOn<std::string>(expr, '/');
  const std::vector<std::string> lowAndHigh = splitOn<std::string>(rangeAndStep[0], '-');
  const bool single = lowAndHigh.size() == 1;
  unsigned start, end, step = 1;
  uint64_t extra = 0;
  if (lowAndHigh[0] == "*" || lowAndHigh[0] == "?") {
    start = b.min;
    end = b.max;
    extra = Schedule::kStar;
  } else {
    auto low = parseValue(lowAndHigh[0], b, expr);
    if (!low.ok()) {
      return low.status();
    }
    start = end = *low;
    if (lowAndHigh.size() == 2) {
      auto high = parseValue(lowAndHigh[1], b, expr);
      if (!high.ok()) {
        return high.status();
      }
      end = *high;
    } else if (lowAndHigh.size() > 2) {
      return invalid("too many hyphens: " + expr);
    }
  }
  if (rangeAndStep.size() == 2) {
    auto s = parseNumber(rangeAndStep[1], expr);
    if (!s.ok()) {
      return s.status();
    }
    step = *s;
    if (single) {
      end = b.max;  // "n/step" means n to the maximum
    }
    if (step > 1) {
      extra = 0;
    }
  } else if (rangeAndStep.size() > 2) {
    return invalid("too many slashes: " + expr);
  }
  if (start < b.min) {
    return invalid("beginning of range (" + std::to_string(start) + ") below minimum (" +
                   std::to_string(b.min) + "): " + expr);
  }
  if (end > b.max) {
    return invalid("end of range (" + std::to_string(end) + ") above maximum (" +
                   std::to_string(b.max) + "): " + expr);
  }
  if (start > end) {
    return invalid("beginning of range (" + std::to_string(start) + ") beyond end of range (" +
                   std::to_string(end) + "): " + expr);
  }
  if (step == 0) {
    return invalid("step of range should be a positive number: " + expr);
  }
  uint64_t bits = extra;
  for (unsigned v = start; v <= end; v += step) {
    bits |= uint64_t{1} << v;
  }
  return bits;
}

Result<uint64_t> parseField(const std::string& field, const Bounds& b) {
  uint64_t bits = 0;
  for (const std::string& expr : splitOn<std::string>(field, ',')) {
    auto r = parseRange(expr, b);
    if (!r.ok()) {
      return r.status();
    }
    bits |= *r;
  }
  return bits;
}

// Go's time.ParseDuration for what "@every" takes: numbers (with fractions) and units.
std::optional<double> parseGoDuration(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t numStart = i;
    while (i < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
      ++i;
    }
    if (i == numStart) {
      return std::nullopt;
    }
    double value = std::stod(std::string(text.substr(numStart, i - numStart)));
    size_t unitStart = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    std::string_view unit = text.substr(unitStart, i - unitStart);
    static const std::array<std::pair<std::string_view, double>, 6> kUnits = {
        {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"m", 60}, {"h", 3600}}};
    bool known = false;
    for (const auto& [name, scale] : kUnits) {
      if (unit == name) {
        total += value * scale;
        known = true;
      }
    }
    if (!known) {
      return std::nullopt;
    }
  }
  return total;
}

Result<Schedule> parseDescriptor(const std::string& spec) {
  static const std::array<std::pair<std::string_view, std::string_view>, 7> kMacros = {
      {{"@yearly", "0 0 1 1 *"},
       {"@annually", "0 0 1 1 *"},
       {"@monthly", "0 0 1 * *"},
       {"@weekly", "0 0 * * 0"},
       {"@daily", "0 0 * * *"},
       {"@midnight", "0 0 * * *"},
       {"@hourly", "0 * * * *"}}};
  for (const auto& [macro, fields] : kMacros) {
    if (spec == macro) {
      return parse(fields);
    }
  }
  const std::string every = "@every ";
  if (spec.rfind(every, 0) == 0) {
    const std::string text = spec.substr(every.size());
    auto seconds = parseGoDuration(text);
    if (!seconds) {
      return invalid("failed to parse duration " + spec + ": time: invalid duration \"" + text +
                     "\"");
    }
    Schedule s;
    // Delays under a second run every second; others drop their fraction of a second.
    s.every = std::chrono::seconds(std::max<int64_t>(1, static_cast<int64_t>(*seconds)));
    return s;
  }
  return invalid("unrecognized descriptor: " + spec);
}

bool has(uint64_t bits, unsigned v) { return (bits >> v) & 1; }

bool dayMatches(const Schedule& s, const std::chrono::year_month_day& ymd) {
  const bool dom = has(s.dayOfMonth, static_cast<unsigned>(ymd.day()));
  const bool dow = has(s.dayOfWeek, std::chrono::weekday(std::chrono::sys_days(ymd)).c_encoding());
  if ((s.dayOfMonth & Schedule::kStar) || (s.dayOfWeek & Schedule::kStar)) {
    return dom && dow;
  }
  return dom || dow;
}

}  // namespace

Result<Schedule> parse(std::string_view input) {
  std::string spec(input);
  if (spec.empty()) {
    return invalid("empty spec string");
  }
  std::string zone;
  for (const char* prefix : {"TZ=", "CRON_TZ="}) {
    if (spec.rfind(prefix, 0) == 0) {
      size_t space = spec.find(' ');
      zone = spec.substr(
          std::string_view(prefix).size(),
          space == std::string::npos ? std::string::npos : space - std::string_view(prefix).size());
      auto loaded = TimeZone::load(zone);
      if (!loaded.ok()) {
        return invalid("provided bad location " + zone + ": " + loaded.status().message());
      }
      spec = space == std::string::npos ? "" : spec.substr(space);
      size_t first = spec.find_first_not_of(" \t");
      spec = first == std::string::npos ? "" : spec.substr(first);
    }
  }
  if (!spec.empty() && spec[0] == '@') {
    auto s = parseDescriptor(spec);
    if (s.ok()) {
      s->zone = zone;
    }
    return s;
  }
  std::vector<std::string> fields;
  std::istringstream in(spec);
  for (std::string f; in >> f;) {
    fields.push_back(f);
  }
  if (fields.size() != 5) {
    return invalid("expected exactly 5 fields, found " + std::to_string(fields.size()) + ": " +
                   std::string(input));
  }
  Schedule s;
  s.zone = zone;
  const std::array<std::pair<uint64_t*, const Bounds*>, 5> targets = {{{&s.minute, &kMinutes},
                                                                       {&s.hour, &kHours},
                                                                       {&s.dayOfMonth, &kDom},
                                                                       {&s.month, &kMonthBounds},
                                                                       {&s.dayOfWeek, &kDow}}};
  for (size_t i = 0; i < 5; ++i) {
    auto bits = parseField(fields[i], *targets[i].second);
    if (!bits.ok()) {
      return bits.status();
    }
    *targets[i].first = *bits;
  }
  return s;
}

std::optional<Seconds> next(const Schedule& s, const TimeZone& zone, Seconds after) {
  using namespace std::chrono;
  if (s.every) {
    return after + *s.every;
  }
  // Walk the wall clock forward, day by day and within a matching day hour by hour and minute
  // by minute, as robfig/cron does: a wall time that does not occur (clocks set forward) is
  // skipped, one that occurs twice (clocks set back) fires at both instants. Offsets differ by
  // at most a few hours, so a candidate found is the earliest once the walk is 3 hours past it.
  const int64_t startLocal = zone.toLocal(after);
  const sys_days firstDay = floor<days>(sys_seconds(seconds(startLocal)));
  std::optional<Seconds> best;
  int64_t bestLocal = 0;
  for (int d = 0; d < 5 * 366 + 2; ++d) {
    const sys_days day = firstDay + days(d);
    const year_month_day ymd{day};
    if (!has(s.month, static_cast<unsigned>(ymd.month())) || !dayMatches(s, ymd)) {
      continue;
    }
    const int64_t dayStart = duration_cast<seconds>(day.time_since_epoch()).count();
    for (unsigned h = 0; h < 24; ++h) {
      if (!has(s.hour, h)) {
        continue;
      }
      for (unsigned m = 0; m < 60; ++m) {
        if (!has(s.minute, m)) {
          continue;
        }
        const int64_t local = dayStart + h * 3600 + m * 60;
        if (local + 3 * 3600 < startLocal) {
          continue;  // well before `after` even across an offset change
        }
        if (best && local > bestLocal + 3 * 3600) {
          return best;
        }
        for (const Seconds at : zone.instantsOf(local)) {
          if (at > after && (!best || at < *best)) {
            best = at;
            bestLocal = local;
          }
        }
      }
    }
  }
  return best;
}

}  // namespace tug::cron
