#include "store/continue_token.h"

#include <catch2/catch.hpp>

using namespace tug::store;

TEST_CASE("a continue token round-trips revision and key", "[store][continue]") {
  std::string t = encodeContinue({1234, "/registry/pods/default/web-1"});
  CHECK(t.find_first_of("+/") == std::string::npos);  // safe in a URL query
  auto p = decodeContinue(t);
  REQUIRE(p.ok());
  CHECK(p->revision == 1234);
  CHECK(p->lastKey == "/registry/pods/default/web-1");
}

TEST_CASE("malformed continue tokens are bad requests", "[store][continue]") {
  for (std::string bad : {"!!!", "", "bm8tc2xhc2g", "L2tleQ", "MGE="}) {
    auto p = decodeContinue(bad);
    INFO(bad);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == tug::Code::kBadRequest);
  }
}
