#include <catch2/catch.hpp>

#include "api/table/human_time.h"

using namespace tug::api::table;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST_CASE("humanDuration gives about two significant figures, as upstream", "[table]") {
  CHECK(humanDuration(seconds(0)) == "0s");
  CHECK(humanDuration(milliseconds(-900)) == "0s");  // skew under a second is "now"
  CHECK(humanDuration(seconds(-1)) == "0s");
  CHECK(humanDuration(seconds(-2)) == "<invalid>");
  CHECK(humanDuration(seconds(59)) == "59s");
  CHECK(humanDuration(seconds(119)) == "119s");
  CHECK(humanDuration(seconds(120)) == "2m");
  CHECK(humanDuration(seconds(150)) == "2m30s");
  CHECK(humanDuration(minutes(9) + seconds(59)) == "9m59s");
  CHECK(humanDuration(minutes(10) + seconds(30)) == "10m");
  CHECK(humanDuration(minutes(179)) == "179m");
  CHECK(humanDuration(hours(3)) == "3h");
  CHECK(humanDuration(hours(3) + minutes(5)) == "3h5m");
  CHECK(humanDuration(hours(8) + minutes(5)) == "8h");
  CHECK(humanDuration(hours(47)) == "47h");
  CHECK(humanDuration(hours(48)) == "2d");
  CHECK(humanDuration(hours(24 * 5 + 4)) == "5d4h");
  CHECK(humanDuration(hours(24 * 8 + 4)) == "8d");
  CHECK(humanDuration(hours(24 * 729)) == "729d");
  CHECK(humanDuration(hours(24 * 730)) == "2y");
  CHECK(humanDuration(hours(24 * (365 * 3 + 10))) == "3y10d");
  CHECK(humanDuration(hours(24 * 365 * 9)) == "9y");
}

TEST_CASE("parseTimestamp reads RFC 3339 with fractions and offsets", "[table]") {
  auto base = parseTimestamp("2024-05-01T10:00:00Z");
  REQUIRE(base);
  CHECK(Clock::to_time_t(*base) == 1714557600);
  auto micro = parseTimestamp("2024-05-01T10:00:00.250000Z");
  REQUIRE(micro);
  CHECK(*micro - *base == milliseconds(250));
  auto offset = parseTimestamp("2024-05-01T12:00:00+02:00");
  REQUIRE(offset);
  CHECK(*offset == *base);
  auto west = parseTimestamp("2024-05-01T05:30:00-04:30");
  REQUIRE(west);
  CHECK(*west == *base);
}

TEST_CASE("parseTimestamp refuses what is not a timestamp", "[table]") {
  for (const char* bad : {"", "yesterday", "2024-05-01", "2024-05-01T10:00:00",
                          "2024-13-01T10:00:00Z", "2024-05-01T10:00:00Zjunk",
                          "2024-05-01T10:00:00.Z", "2024-05-01 10:00:00Z", "2024-05-01T25:00:00Z"}) {
    INFO(bad);
    CHECK_FALSE(parseTimestamp(bad));
  }
}

TEST_CASE("since and age read timestamps relative to now", "[table]") {
  TimePoint now = *parseTimestamp("2024-05-01T10:05:00Z");
  CHECK(since("2024-05-01T10:00:00Z", now) == "5m");
  CHECK(since("", now) == "<unknown>");
  CHECK(since("garbage", now) == "<unknown>");
  nlohmann::json obj = {{"metadata", {{"creationTimestamp", "2024-04-28T10:05:00Z"}}}};
  CHECK(age(obj, now) == "3d");
  CHECK(age(nlohmann::json::object(), now) == "<unknown>");
  CHECK(age(nlohmann::json{{"metadata", {{"creationTimestamp", 5}}}}, now) == "<unknown>");
}
