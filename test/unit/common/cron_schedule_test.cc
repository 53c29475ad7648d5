#include "common/cron_schedule.h"

#include <catch2/catch.hpp>

using namespace std::chrono;
using tug::TimeZone;

namespace {

// "YYYY-MM-DDTHH:MM" in UTC.
tug::cron::Seconds utc(int y, unsigned mo, unsigned d, int h, int mi) {
  return sys_days(year(y) / month(mo) / day(d)) + hours(h) + minutes(mi);
}

std::string nextIn(const std::string& spec, const std::string& zoneName, tug::cron::Seconds after) {
  auto s = tug::cron::parse(spec);
  REQUIRE(s.ok());
  auto zone = TimeZone::load(zoneName);
  REQUIRE(zone.ok());
  auto n = tug::cron::next(*s, *zone, after);
  return n ? tug::formatRfc3339In(*n, *zone) : "none";
}

std::string error(const std::string& spec) {
  auto s = tug::cron::parse(spec);
  return s.ok() ? "parsed" : s.status().message();
}

}  // namespace

TEST_CASE("five fields with ranges, steps, lists and names", "[cron]") {
  const auto t = utc(2026, 11, 27, 19, 4);  // a Friday
  CHECK(nextIn("* * * * *", "UTC", t) == "2026-11-27T19:05:00Z");
  CHECK(nextIn("*/15 * * * *", "UTC", t) == "2026-11-27T19:15:00Z");
  CHECK(nextIn("0 9-17/4 * * *", "UTC", t) == "2026-11-28T09:00:00Z");
  CHECK(nextIn("5,35 */2 * * *", "UTC", t) == "2026-11-27T20:05:00Z");
  CHECK(nextIn("0 0 * * MON", "UTC", t) == "2026-11-30T00:00:00Z");
  CHECK(nextIn("0 0 * * sun,SAT", "UTC", t) == "2026-11-28T00:00:00Z");
  CHECK(error("0 0 * * sat-sun") == "beginning of range (6) beyond end of range (0): sat-sun");
  CHECK(nextIn("0 0 1 JAN *", "UTC", t) == "2027-01-01T00:00:00Z");
  CHECK(nextIn("0 0 1 feb,MAR ?", "UTC", t) == "2027-02-01T00:00:00Z");
  // "n/step" runs from n to the maximum.
  CHECK(nextIn("50/5 * * * *", "UTC", t) == "2026-11-27T19:50:00Z");
  // Day of month and day of week both restricted: either one matches.
  CHECK(nextIn("0 0 13 * FRI", "UTC", t) == "2026-12-04T00:00:00Z");
  // Never: no 30th of February within five years.
  CHECK(nextIn("0 0 30 2 *", "UTC", t) == "none");
  // Leap day.
  CHECK(nextIn("0 12 29 2 *", "UTC", t) == "2028-02-29T12:00:00Z");
}

TEST_CASE("the @ macros", "[cron]") {
  const auto t = utc(2026, 11, 27, 19, 4);
  CHECK(nextIn("@hourly", "UTC", t) == "2026-11-27T20:00:00Z");
  CHECK(nextIn("@daily", "UTC", t) == "2026-11-28T00:00:00Z");
  CHECK(nextIn("@midnight", "UTC", t) == "2026-11-28T00:00:00Z");
  CHECK(nextIn("@weekly", "UTC", t) == "2026-11-29T00:00:00Z");
  CHECK(nextIn("@monthly", "UTC", t) == "2026-12-01T00:00:00Z");
  CHECK(nextIn("@yearly", "UTC", t) == "2027-01-01T00:00:00Z");
  CHECK(nextIn("@annually", "UTC", t) == "2027-01-01T00:00:00Z");
  CHECK(nextIn("@every 1h30m", "UTC", t) == "2026-11-27T20:34:00Z");
}

TEST_CASE("schedules follow the wall clock of a time zone across DST", "[cron]") {
  // New York, spring forward on 2026-03-08: 02:00 EST becomes 03:00 EDT.
  CHECK(nextIn("0 9 * * *", "America/New_York", utc(2026, 3, 7, 15, 0)) ==
        "2026-03-08T09:00:00-04:00");
  CHECK(nextIn("0 9 * * *", "America/New_York", utc(2026, 3, 6, 15, 0)) ==
        "2026-03-07T09:00:00-05:00");
  // 02:30 does not exist that day: it is skipped, as robfig/cron does.
  CHECK(nextIn("30 2 * * *", "America/New_York", utc(2026, 3, 8, 5, 0)) ==
        "2026-03-09T02:30:00-04:00");
  // Hourly across the change: 01:00 EST, then 03:00 EDT (one hour later).
  CHECK(nextIn("0 * * * *", "America/New_York", utc(2026, 3, 8, 6, 30)) ==
        "2026-03-08T03:00:00-04:00");
  // Fall back on 2026-11-01: 01:30 happens twice and fires twice.
  CHECK(nextIn("30 1 * * *", "America/New_York", utc(2026, 11, 1, 4, 0)) ==
        "2026-11-01T01:30:00-04:00");
  CHECK(nextIn("30 1 * * *", "America/New_York", utc(2026, 11, 1, 5, 30)) ==
        "2026-11-01T01:30:00-05:00");
  CHECK(nextIn("30 1 * * *", "America/New_York", utc(2026, 11, 1, 6, 30)) ==
        "2026-11-02T01:30:00-05:00");
  // Every minute across the overlap: 01:59 EDT is followed by 01:00 EST.
  CHECK(nextIn("* * * * *", "America/New_York", utc(2026, 11, 1, 5, 59)) ==
        "2026-11-01T01:00:00-05:00");
  CHECK(nextIn("*/30 * * * *", "America/New_York", utc(2026, 11, 1, 5, 40)) ==
        "2026-11-01T01:00:00-05:00");
  CHECK(nextIn("0 0 * * *", "Europe/Berlin", utc(2026, 6, 1, 12, 0)) ==
        "2026-06-02T00:00:00+02:00");
  CHECK(tug::formatRfc3339In(utc(2026, 6, 1, 22, 0), *TimeZone::load("Europe/Berlin")) ==
        "2026-06-02T00:00:00+02:00");
  CHECK(nextIn("0 0 * * *", "Asia/Kolkata", utc(2026, 6, 1, 12, 0)) == "2026-06-02T00:00:00+05:30");
}

TEST_CASE("a TZ= prefix names the zone", "[cron]") {
  auto s = tug::cron::parse("CRON_TZ=Europe/Berlin 0 0 * * *");
  REQUIRE(s.ok());
  CHECK(s->zone == "Europe/Berlin");
  CHECK(tug::cron::parse("TZ=UTC @daily").ok());
  CHECK(error("TZ=Nowhere/Land * * * * *") ==
        "provided bad location Nowhere/Land: unknown time zone Nowhere/Land");
}

TEST_CASE("bad schedules are refused with the parser's messages", "[cron]") {
  CHECK(error("") == "empty spec string");
  CHECK(error("* * * *") == "expected exactly 5 fields, found 4: * * * *");
  CHECK(error("* * * * * *") == "expected exactly 5 fields, found 6: * * * * * *");
  CHECK(error("60 * * * *") == "end of range (60) above maximum (59): 60");
  CHECK(error("* 5-2 * * *") == "beginning of range (5) beyond end of range (2): 5-2");
  CHECK(error("* * 0 * *") == "beginning of range (0) below minimum (1): 0");
  CHECK(error("* * * * 7") == "end of range (7) above maximum (6): 7");
  CHECK(error("*/0 * * * *") == "step of range should be a positive number: */0");
  CHECK(error("1/2/3 * * * *") == "too many slashes: 1/2/3");
  CHECK(error("1-2-3 * * * *") == "too many hyphens: 1-2-3");
  CHECK(error("x * * * *") ==
        "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax");
  CHECK(error("* * * FOO *") ==
        "failed to parse int from FOO: strconv.Atoi: parsing \"FOO\": invalid syntax");
  CHECK(error("@fortnightly") == "unrecognized descriptor: @fortnightly");
  CHECK(error("@every soon") ==
        "failed to parse duration @every soon: time: invalid duration \"soon\"");
}

TEST_CASE("time zones come from the tz database", "[cron]") {
  CHECK(TimeZone::load("").ok());
  CHECK(TimeZone::load("UTC").ok());
  CHECK(TimeZone::load("America/New_York").ok());
  for (const char* bad : {"Mars/Olympus", "../../etc/passwd", "/etc/localtime", "Europe/./Berlin",
                          "-x", "America/New York"}) {
    auto z = TimeZone::load(bad);
    REQUIRE_FALSE(z.ok());
    CHECK(z.status().message() == std::string("unknown time zone ") + bad);
  }
  auto ny = TimeZone::load("America/New_York");
  CHECK(ny->offsetAt(utc(2026, 1, 15, 12, 0)) == -5 * 3600);
  CHECK(ny->offsetAt(utc(2026, 7, 15, 12, 0)) == -4 * 3600);
}
