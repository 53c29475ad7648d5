#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

// IANA time zones read from the system's tz database (TZif files under /usr/share/zoneinfo),
// enough to turn a local wall-clock time into an instant and back, as CronJob schedules in a
// spec.timeZone need. Times after the file's last transition keep its last offset.
namespace tug {

class TimeZone {
 public:
  using Seconds = std::chrono::sys_seconds;

  // UTC.
  TimeZone();
  // "" and "UTC" are UTC; other names are read from `root`/<name>. NotFound with Go's message
  // ("unknown time zone X") when there is no such zone or the name is not a plain zone path.
  static Result<TimeZone> load(std::string_view name,
                               const std::string& root = "/usr/share/zoneinfo");

  const std::string& name() const { return name_; }
  // The offset from UTC, in seconds, in effect at `t`.
  int64_t offsetAt(Seconds t) const;
  // Every instant at which clocks show `local`, earliest first: none in a gap (clocks set
  // forward), two in an overlap (clocks set back).
  std::vector<Seconds> instantsOf(int64_t local) const;
  // Wall-clock seconds since the epoch at `t`.
  int64_t toLocal(Seconds t) const { return t.time_since_epoch().count() + offsetAt(t); }

 private:
  struct Transition {
    int64_t at;  // UTC seconds
    int64_t offset;
  };
  std::string name_ = "UTC";
  int64_t initialOffset_ = 0;
  std::shared_ptr<const std::vector<Transition>> transitions_;
};

// RFC 3339 with the zone's offset at `t` ("2024-03-10T03:30:00-04:00", or "...Z" in UTC), as
// Go's time.Format(time.RFC3339) writes t.In(zone).
std::string formatRfc3339In(std::chrono::sys_seconds t, const TimeZone& zone);

}  // namespace tug
