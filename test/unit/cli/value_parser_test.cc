#include "cli/value_parser.h"

#include <catch2/catch.hpp>
#include <chrono>

using namespace std::chrono_literals;
using tug::cli::Duration;
using tug::cli::FlagKind;
using tug::cli::FlagSpec;

TEST_CASE("booleans accept the usual spellings in any case", "[cli][value]") {
  for (const char* t : {"true", "TRUE", "True", "1", "yes", "on", "t"}) {
    INFO(t);
    REQUIRE(tug::cli::parseBool(t).ok());
    CHECK(*tug::cli::parseBool(t));
  }
  for (const char* f : {"false", "FALSE", "0", "no", "off", "f"}) {
    INFO(f);
    REQUIRE(tug::cli::parseBool(f).ok());
    CHECK_FALSE(*tug::cli::parseBool(f));
  }
  auto bad = tug::cli::parseBool("maybe");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "not a boolean (true or false)");
}

TEST_CASE("integers are whole decimal int64s", "[cli][value]") {
  CHECK(*tug::cli::parseInt("1000") == 1000);
  CHECK(*tug::cli::parseInt("-5") == -5);
  CHECK(*tug::cli::parseInt("9223372036854775807") == INT64_MAX);
  for (const char* bad : {"", "abc", "12x", "1.5", " 1", "0x10"}) {
    INFO(bad);
    auto r = tug::cli::parseInt(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() == "not an integer");
  }
  CHECK(tug::cli::parseInt("9223372036854775808").status().message() == "integer out of range");
}

TEST_CASE("durations use Go's syntax", "[cli][value]") {
  CHECK(*tug::cli::parseDuration("0") == Duration(0));
  CHECK(*tug::cli::parseDuration("5m") == 5min);
  CHECK(*tug::cli::parseDuration("300ms") == 300ms);
  CHECK(*tug::cli::parseDuration("1h30m") == 90min);
  CHECK(*tug::cli::parseDuration("1.5h") == 90min);
  CHECK(*tug::cli::parseDuration("2h45m10s") == 2h + 45min + 10s);
  CHECK(*tug::cli::parseDuration("10us") == 10us);
  CHECK(*tug::cli::parseDuration("10\xC2\xB5s") == 10us);
  CHECK(*tug::cli::parseDuration("7ns") == 7ns);
  CHECK(*tug::cli::parseDuration(".5s") == 500ms);

  SECTION("a number needs a unit, and signs or spaces are refused") {
    for (const char* bad : {"", "5", "m", "5 m", "-5m", "+5m", "5x", "5m3", "1.2.3s", "abc"}) {
      INFO(bad);
      auto r = tug::cli::parseDuration(bad);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().message() == "not a duration (e.g. 30s, 5m, 1h30m)");
    }
  }
  SECTION("overflow is an error, not a wrap-around") {
    CHECK(tug::cli::parseDuration("3000000h").status().message() == "duration out of range");
    CHECK(tug::cli::parseDuration("99999999999999999999999h").status().message() ==
          "duration out of range");
  }
}

TEST_CASE("sizes take Kubernetes quantity suffixes", "[cli][value]") {
  CHECK(*tug::cli::parseSize("0") == 0);
  CHECK(*tug::cli::parseSize("1024") == 1024);
  CHECK(*tug::cli::parseSize("1Ki") == 1024);
  CHECK(*tug::cli::parseSize("512Mi") == 512LL << 20);
  CHECK(*tug::cli::parseSize("2Gi") == 2LL << 30);
  CHECK(*tug::cli::parseSize("1Ti") == 1LL << 40);
  CHECK(*tug::cli::parseSize("1k") == 1000);
  CHECK(*tug::cli::parseSize("3M") == 3000000);
  CHECK(*tug::cli::parseSize("2G") == 2000000000);
  CHECK(*tug::cli::parseSize("1.5Ki") == 1536);
  CHECK(*tug::cli::parseSize("0.5") == 1);  // a fraction of a byte rounds up
  CHECK(*tug::cli::parseSize("7Ei") == 7LL << 60);

  for (const char* bad : {"", "Gi", "2GiB", "2gi", "2 Gi", "-1", "2K", "abc"}) {
    INFO(bad);
    auto r = tug::cli::parseSize(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() == "not a size (e.g. 1048576, 512Mi, 2Gi)");
  }
  CHECK(tug::cli::parseSize("8Ei").status().message() == "size out of range");
  CHECK(tug::cli::parseSize("99999999999999999999").status().message() == "size out of range");
}

TEST_CASE("parseValue checks what the flag's row demands", "[cli][value]") {
  SECTION("enums name their choices") {
    FlagSpec spec{.name = "mode", .kind = FlagKind::kEnum, .choices = {"full", "normal"}};
    CHECK(std::get<std::string>(*tug::cli::parseValue(spec, "normal")) == "normal");
    CHECK(tug::cli::parseValue(spec, "fast").status().message() == "must be one of full, normal");
  }
  SECTION("minimum applies to integers and sizes") {
    FlagSpec n{.name = "n", .kind = FlagKind::kInt, .minimum = 0};
    CHECK(tug::cli::parseValue(n, "-1").status().message() == "must be at least 0");
    CHECK(std::get<int64_t>(*tug::cli::parseValue(n, "0")) == 0);
    FlagSpec port{.name = "port", .kind = FlagKind::kInt, .minimum = 0, .maximum = 65535};
    CHECK(tug::cli::parseValue(port, "65536").status().message() == "must be at most 65535");
    CHECK(std::get<int64_t>(*tug::cli::parseValue(port, "65535")) == 65535);
  }
  SECTION("file modes are octal permission bits") {
    FlagSpec mode{.name = "mode", .kind = FlagKind::kFileMode};
    CHECK(std::get<int64_t>(*tug::cli::parseValue(mode, "0600")) == 0600);
    CHECK(std::get<int64_t>(*tug::cli::parseValue(mode, "644")) == 0644);
    for (const char* bad : {"", "rw-r", "0800", "10000", "-1", "07777"}) {
      INFO(bad);
      CHECK(tug::cli::parseValue(mode, bad).status().message() ==
            "not an octal file mode (e.g. 0600, 644)");
    }
  }
  SECTION("a string may be required non-empty") {
    FlagSpec dir{.name = "dir", .allowEmpty = false};
    CHECK(tug::cli::parseValue(dir, "").status().message() == "must not be empty");
    FlagSpec log{.name = "log"};
    CHECK(tug::cli::parseValue(log, "").ok());
  }
}

TEST_CASE("formatValue writes values back in the user's syntax", "[cli][value]") {
  using tug::cli::formatValue;
  using tug::cli::Value;
  CHECK(formatValue(Value(Duration(90min))) == "1h30m");
  CHECK(formatValue(Value(Duration(0))) == "0s");
  CHECK(formatValue(Value(Duration(1500ms))) == "1s500ms");
  CHECK(formatValue(Value(true)) == "true");
  CHECK(formatValue(Value(int64_t{42})) == "42");
  CHECK(formatValue(Value(std::vector<std::string>{"a", "b"})) == "a,b");
}
