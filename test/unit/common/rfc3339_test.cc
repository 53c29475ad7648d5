#include "common/rfc3339.h"

#include <catch2/catch.hpp>

using namespace std::chrono;

TEST_CASE("times are written as metav1.Time writes them", "[rfc3339]") {
  CHECK(tug::formatRfc3339(system_clock::time_point{}) == "1970-01-01T00:00:00Z");
  // 2026-01-02T03:04:05.9Z: fractions are dropped, not rounded.
  auto t = system_clock::time_point{seconds(1767323045) + milliseconds(900)};
  CHECK(tug::formatRfc3339(t) == "2026-01-02T03:04:05Z");
  CHECK(tug::nowRfc3339().size() == 20);
}
