#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time_zone.h"

// CronJob schedules as upstream reads them (the standard parser of robfig/cron v3): five
// fields (minute, hour, day of month, month, day of week) of '*', '?', numbers, names (JAN,
// MON, case-insensitive), ranges "a-b", steps "/n" and lists "a,b", or one of @yearly,
// @annually, @monthly, @weekly, @daily, @midnight, @hourly and "@every <duration>"; an optional
// "TZ=<zone> " or "CRON_TZ=<zone> " prefix names the zone. Errors carry upstream's messages.
namespace tug::cron {

using Seconds = std::chrono::sys_seconds;

struct Schedule {
  // Bit n set: value n matches. kStar marks a field written as '*' or '?' (day of month and
  // day of week then both have to match; otherwise either may).
  static constexpr uint64_t kStar = uint64_t{1} << 63;
  uint64_t minute = 0, hour = 0, dayOfMonth = 0, month = 0, dayOfWeek = 0;
  // "@every": a constant delay instead of the fields.
  std::optional<std::chrono::seconds> every;
  // The zone a TZ= prefix named ("" when none).
  std::string zone;
};

// Invalid with the parser's message when `spec` does not parse.
Result<Schedule> parse(std::string_view spec);

// The first time the schedule fires strictly after `after`, reading wall clocks in `zone`;
// nullopt when there is none within five years (e.g. "0 0 30 2 *").
std::optional<Seconds> next(const Schedule& schedule, const TimeZone& zone, Seconds after);

}  // namespace tug::cron
