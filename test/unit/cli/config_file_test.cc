#include "cli/config_file.h"

#include <catch2/catch.hpp>
#include <fstream>

#include "support/temp_dir.h"
#include "test_table.h"

using tug::cli::Assignment;
using tug::cli::testing::kAgentCommand;
using tug::cli::testing::kServerCommand;

namespace {

tug::Result<std::vector<Assignment>> parse(const std::string& yaml,
                                           const tug::cli::Command& cmd = kServerCommand) {
  return tug::cli::parseConfig(tug::cli::testing::table(), cmd, yaml, "/etc/tug/config.yaml");
}

std::string errorOf(const std::string& yaml) {
  auto r = parse(yaml);
  REQUIRE_FALSE(r.ok());
  return r.status().message();
}

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("config keys are flag names without dashes", "[cli][config]") {
  auto r = parse("data-dir: /x\ndebug: true\nretention: 90s\nmax-bytes: 1Gi\n");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 4);
  CHECK((*r)[0].spec->name == "data-dir");
  CHECK(std::get<std::string>((*r)[0].value) == "/x");
  CHECK(std::get<bool>((*r)[1].value));
  CHECK(std::get<tug::cli::Duration>((*r)[2].value) == std::chrono::seconds(90));
  CHECK(std::get<int64_t>((*r)[3].value) == 1LL << 30);
}

TEST_CASE("an empty file or one with only comments sets nothing", "[cli][config]") {
  CHECK(parse("")->empty());
  CHECK(parse("# nothing here\n")->empty());
}

TEST_CASE("an unknown key names the file and line", "[cli][config]") {
  CHECK(errorOf("debug: true\n\nfoo: 1\n") == "/etc/tug/config.yaml:3: unknown key \"foo\"");
  CHECK(errorOf("--debug: true\n") ==
        "/etc/tug/config.yaml:1: unknown key \"--debug\" (write flag names without the dashes)");
}

TEST_CASE("a bad value names the file, line and key", "[cli][config]") {
  CHECK(errorOf("debug: true\nrevisions: abc\n") ==
        "/etc/tug/config.yaml:2: invalid value \"abc\" for revisions: not an integer");
  CHECK(errorOf("retention: 5\n") ==
        "/etc/tug/config.yaml:1: invalid value \"5\" for retention: not a duration (e.g. 30s, "
        "5m, 1h30m)");
  CHECK(errorOf("data-dir:\n") == "/etc/tug/config.yaml:1: no value for data-dir");
  CHECK(errorOf("data-dir: [a, b]\n") ==
        "/etc/tug/config.yaml:1: expected a single value for data-dir");
  CHECK(errorOf("data-dir:\n  nested: map\n") ==
        "/etc/tug/config.yaml:1: expected a single value for data-dir");
}

TEST_CASE("bad YAML names the file and line", "[cli][config]") {
  std::string e = errorOf("debug: true\ndata-dir: [unclosed\n");
  CHECK_THAT(e, Catch::StartsWith("/etc/tug/config.yaml:3: invalid YAML: ") ||
                    Catch::StartsWith("/etc/tug/config.yaml:2: invalid YAML: "));
  CHECK_THAT(errorOf("a: b\n  c: d\n"), Catch::StartsWith("/etc/tug/config.yaml:2: invalid YAML"));
  CHECK(errorOf("just a string\n") ==
        "/etc/tug/config.yaml:1: expected a map of flag names to values");
  CHECK(errorOf("debug: true\ndebug: false\n") ==
        "/etc/tug/config.yaml:2: duplicate key \"debug\"");
}

TEST_CASE("command-line-only flags cannot be set in a file", "[cli][config]") {
  CHECK(errorOf("config: /other.yaml\n") ==
        "/etc/tug/config.yaml:1: config can only be given on the command line");
}

TEST_CASE("keys of another subcommand's flags are skipped, not errors", "[cli][config]") {
  // One file serves both `tug server` and `tug agent`.
  auto server = parse("server: https://10.0.0.1:6443\ndebug: true\n", kServerCommand);
  REQUIRE(server.ok());
  REQUIRE(server->size() == 1);
  CHECK(server->at(0).spec->name == "debug");

  auto agent = parse("server: https://10.0.0.1:6443\nretention: 1m\n", kAgentCommand);
  REQUIRE(agent.ok());
  REQUIRE(agent->size() == 1);
  CHECK(agent->at(0).spec->name == "server");
}

TEST_CASE("list flags take a sequence or a scalar, and key+ appends", "[cli][config]") {
  auto r = parse("node-label:\n  - a=1\n  - b=2\nnode-label+: c=3\n");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK_FALSE((*r)[0].append);
  CHECK(std::get<std::vector<std::string>>((*r)[0].value) ==
        std::vector<std::string>{"a=1", "b=2"});
  CHECK((*r)[1].append);
  CHECK(std::get<std::vector<std::string>>((*r)[1].value) == std::vector<std::string>{"c=3"});

  CHECK(errorOf("debug+: true\n") ==
        "/etc/tug/config.yaml:1: debug+ appends to a list, but debug is not a list");
  CHECK(errorOf("node-label:\n  - a\n  - [b]\n") ==
        "/etc/tug/config.yaml:3: expected a list of plain values for node-label");
}

TEST_CASE("config files are the file then its .d folder in name order", "[cli][config]") {
  tug::testing::TempDir dir;
  std::string main = dir.file("config.yaml");

  SECTION("a missing file is fine unless required") {
    CHECK(tug::cli::configFiles(main, false)->empty());
    auto r = tug::cli::configFiles(main, true);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() == "config file " + main + " does not exist");
  }
  SECTION("drop-ins sort by name; other files and folders are ignored") {
    write(main, "debug: true\n");
    std::filesystem::create_directory(main + ".d");
    write(main + ".d/20-b.yaml", "");
    write(main + ".d/10-a.yaml", "");
    write(main + ".d/15-c.yml", "");
    write(main + ".d/99-z.yaml.bak", "");
    std::filesystem::create_directory(main + ".d/50-dir.yaml");
    auto r = tug::cli::configFiles(main, true);
    REQUIRE(r.ok());
    CHECK(*r == std::vector<std::string>{main, main + ".d/10-a.yaml", main + ".d/15-c.yml",
                                         main + ".d/20-b.yaml"});
  }
  SECTION("drop-ins apply even without the main file") {
    std::filesystem::create_directory(main + ".d");
    write(main + ".d/a.yaml", "");
    CHECK(*tug::cli::configFiles(main, false) == std::vector<std::string>{main + ".d/a.yaml"});
  }
  SECTION("a folder is not a config file") {
    std::filesystem::create_directory(main);
    CHECK(tug::cli::configFiles(main, false).status().message() ==
          "config file " + main + " is a directory");
  }
}

TEST_CASE("readConfigFile reports the real path", "[cli][config]") {
  tug::testing::TempDir dir;
  std::string path = dir.file("c.yaml");
  write(path, "debug: true\nbogus: 1\n");
  auto r = tug::cli::readConfigFile(tug::cli::testing::table(), kServerCommand, path);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == path + ":2: unknown key \"bogus\"");
}
