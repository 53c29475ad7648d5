#include "common/status.h"

#include <catch2/catch.hpp>

using tug::Code;
using tug::Result;
using tug::Status;

TEST_CASE("a default status is OK and prints as OK", "[status]") {
  Status s;
  CHECK(s.isOk());
  CHECK(s.code() == Code::kOk);
  CHECK(s.toString() == "OK");
}

TEST_CASE("wrap adds context and keeps the code", "[status]") {
  Status s = tug::notFound("key /a not found").wrap("reading pod");
  CHECK(s.code() == Code::kNotFound);
  CHECK(s.message() == "reading pod: key /a not found");
  CHECK(s.toString() == "NotFound: reading pod: key /a not found");
  CHECK(Status::ok().wrap("ignored").isOk());
}

TEST_CASE("a result holds either a value or an error", "[status]") {
  Result<int> good = 42;
  REQUIRE(good.ok());
  CHECK(*good == 42);
  CHECK(good.status().isOk());

  Result<int> bad = tug::conflict("stale");
  CHECK_FALSE(bad.ok());
  CHECK(bad.status().code() == Code::kConflict);
  CHECK(bad.status().message() == "stale");
}

TEST_CASE("every code has a name", "[status]") {
  CHECK(tug::codeName(Code::kGone) == "Gone");
  CHECK(tug::codeName(Code::kAlreadyExists) == "AlreadyExists");
  CHECK(tug::codeName(Code::kTooLarge) == "TooLarge");
}
