#include "cli/command_line.h"

#include <catch2/catch.hpp>

#include "cli/commands.h"
#include "test_table.h"

using tug::cli::parseCommandLine;
using tug::cli::Value;

namespace {

tug::Result<tug::cli::CommandLine> parse(std::vector<std::string> args,
                                         tug::cli::Subcommand sub = tug::cli::kServer) {
  const tug::cli::Command& cmd = sub == tug::cli::kServer ? tug::cli::testing::kServerCommand
                                                          : tug::cli::testing::kAgentCommand;
  return parseCommandLine(tug::cli::testing::table(), cmd, args);
}

std::string errorOf(std::vector<std::string> args) {
  auto r = parse(std::move(args));
  REQUIRE_FALSE(r.ok());
  return r.status().message();
}

}  // namespace

TEST_CASE("long and short flags take values glued or separate", "[cli][flags]") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--data-dir=/x"}, {"--data-dir", "/x"}, {"-d", "/x"}, {"-d=/x"}, {"-d/x"}}) {
    INFO(args[0]);
    auto r = parse(args);
    REQUIRE(r.ok());
    REQUIRE(r->assignments.size() == 1);
    CHECK(r->assignments[0].spec->name == "data-dir");
    CHECK(std::get<std::string>(r->assignments[0].value) == "/x");
  }
}

TEST_CASE("bool flags stand alone or take =value", "[cli][flags]") {
  auto on = parse({"--debug"});
  REQUIRE(on.ok());
  CHECK(std::get<bool>(on->assignments[0].value));

  auto off = parse({"--debug=false"});
  REQUIRE(off.ok());
  CHECK_FALSE(std::get<bool>(off->assignments[0].value));

  SECTION("the next argument is not a bool flag's value") {
    CHECK(errorOf({"--debug", "false"}) ==
          "unexpected argument \"false\" for \"tug server\" (see tug server --help)");
  }
}

TEST_CASE("values are parsed by the flag's kind", "[cli][flags]") {
  auto r = parse({"--retention", "90s", "--max-bytes=2Gi", "--revisions", "7"});
  REQUIRE(r.ok());
  REQUIRE(r->assignments.size() == 3);
  CHECK(std::get<tug::cli::Duration>(r->assignments[0].value) == std::chrono::seconds(90));
  CHECK(std::get<int64_t>(r->assignments[1].value) == 2LL << 30);
  CHECK(std::get<int64_t>(r->assignments[2].value) == 7);
}

TEST_CASE("a bad value names the flag", "[cli][flags]") {
  CHECK(errorOf({"--revisions", "abc"}) ==
        "invalid value \"abc\" for flag --revisions: not an integer");
  CHECK(errorOf({"--retention=5"}) ==
        "invalid value \"5\" for flag --retention: not a duration (e.g. 30s, 5m, 1h30m)");
  CHECK(errorOf({"--debug=maybe"}) ==
        "invalid value \"maybe\" for flag --debug: not a boolean (true or false)");
  CHECK(errorOf({"--durability", "fast"}) ==
        "invalid value \"fast\" for flag --durability: must be one of full, normal");
  // A short name is reported by its long name, which is what help and config files use.
  CHECK(errorOf({"-d", ""}) == "invalid value \"\" for flag --data-dir: must not be empty");
}

TEST_CASE("unknown flags and stray arguments are refused", "[cli][flags]") {
  CHECK(errorOf({"--foo"}) == "unknown flag --foo for \"tug server\" (see tug server --help)");
  CHECK(errorOf({"--foo=1"}) == "unknown flag --foo for \"tug server\" (see tug server --help)");
  CHECK(errorOf({"-x"}) == "unknown flag -x for \"tug server\" (see tug server --help)");
  CHECK(parse({"--"}).ok());  // "--" alone ends the flags, and no arguments follow
  CHECK(errorOf({"stray"}) ==
        "unexpected argument \"stray\" for \"tug server\" (see tug server --help)");
  CHECK(errorOf({"--", "--debug"}) ==
        "unexpected argument \"--debug\" for \"tug server\" (see tug server --help)");
  SECTION("another subcommand's flag is unknown here") {
    CHECK(errorOf({"--server", "https://x"}) ==
          "unknown flag --server for \"tug server\" (see tug server --help)");
  }
}

TEST_CASE("a flag missing its value says so", "[cli][flags]") {
  CHECK(errorOf({"--data-dir"}) ==
        "flag --data-dir needs a value for \"tug server\" (see tug server --help)");
}

TEST_CASE("--help stops parsing", "[cli][flags]") {
  auto r = parse({"--debug", "--help", "--not-a-flag"});
  REQUIRE(r.ok());
  CHECK(r->helpRequested);
  CHECK(parse({"-h"})->helpRequested);
}

TEST_CASE("a repeated list flag adds to the list", "[cli][flags]") {
  auto r = parse({"--node-label", "a=1", "--node-label=b=2"});
  REQUIRE(r.ok());
  REQUIRE(r->assignments.size() == 2);
  CHECK_FALSE(r->assignments[0].append);
  CHECK(r->assignments[1].append);
  CHECK(std::get<std::vector<std::string>>(r->assignments[1].value) ==
        std::vector<std::string>{"b=2"});
}
