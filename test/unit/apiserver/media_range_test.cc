#include "apiserver/media_range.h"

#include <catch2/catch.hpp>

using namespace tug::apiserver;

TEST_CASE("Accept entries come most preferred first", "[media_range]") {
  auto ranges = parseAccept(
      "*/*;q=0.8, text/plain, application/json;as=Table;v=v1;g=meta.k8s.io, "
      "application/*, nonsense, application/json;q=0");
  REQUIRE(ranges.size() == 5);         // "nonsense" is no media range
  CHECK(ranges[0].subtype == "json");  // concrete, most parameters
  CHECK(param(ranges[0], "as") == "Table");
  CHECK(param(ranges[0], "missing") == "");
  CHECK((ranges[1].type == "text" && ranges[1].subtype == "plain"));
  CHECK((ranges[2].type == "application" && ranges[2].subtype == "*"));
  CHECK(ranges[3].q == Approx(0.8));
  CHECK(ranges[4].q == 0);
  CHECK(acceptIsEmpty(" \t"));
  CHECK_FALSE(acceptIsEmpty("application/json"));
}
