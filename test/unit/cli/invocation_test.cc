#include "cli/invocation.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "cli/server_options.h"
#include "support/temp_dir.h"
#include "test_table.h"

using tug::cli::Source;
using tug::cli::testing::kServerCommand;

namespace {

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// A config folder of its own, an environment of its own, and the test table.
struct Fixture {
  tug::testing::TempDir dir;
  std::string configPath = dir.file("config.yaml");
  std::vector<tug::cli::FlagSpec> table = tug::cli::testing::makeTable(configPath);
  std::map<std::string, std::string> env;

  tug::Result<tug::cli::Invocation> parse(std::vector<std::string> args,
                                          const tug::cli::Command& cmd = kServerCommand) {
    tug::cli::ParseContext ctx{.table = table, .getenv = [this](const std::string& name) {
                                 auto it = env.find(name);
                                 return it == env.end() ? std::nullopt
                                                        : std::optional<std::string>(it->second);
                               }};
    return tug::cli::parseInvocation(cmd, args, ctx);
  }
  tug::cli::Invocation ok(std::vector<std::string> args) {
    auto r = parse(std::move(args));
    INFO(r.status().message());
    REQUIRE(r.ok());
    return std::move(*r);
  }
  std::string error(std::vector<std::string> args) {
    auto r = parse(std::move(args));
    REQUIRE_FALSE(r.ok());
    return r.status().message();
  }
  void dropIn(const std::string& name, const std::string& text) {
    std::filesystem::create_directories(configPath + ".d");
    write(configPath + ".d/" + name, text);
  }
};

}  // namespace

TEST_CASE("with no flags and no config file every flag has its default", "[cli][invocation]") {
  Fixture f;
  auto inv = f.ok({});
  CHECK(inv.configFiles.empty());
  CHECK(inv.values.string("data-dir") == "/var/lib/tug");
  CHECK_FALSE(inv.values.boolean("debug"));
  CHECK(inv.values.string("durability") == "full");
  CHECK(inv.values.duration("retention") == std::chrono::minutes(5));
  CHECK(inv.values.integer("revisions") == 1000);
  CHECK(inv.values.integer("max-bytes") == 0);
  CHECK(inv.values.list("node-label").empty());
  CHECK(inv.values.source("data-dir") == Source::kDefault);
  CHECK_FALSE(inv.values.has("server"));  // an agent flag
}

TEST_CASE("the real flag table's defaults parse", "[cli][invocation]") {
  // Exercises every default in flag_table.cc; a bad one would abort here, not in production.
  auto server = tug::cli::FlagValues::defaults(tug::cli::flagTable(), tug::cli::kServer);
  tug::cli::Invocation inv{.values = server};
  tug::cli::ServerOptions o = tug::cli::serverOptions(inv);
  CHECK(o.dataDir == "/var/lib/tug");
  CHECK_FALSE(o.debug);
  CHECK(o.logFile.empty());
  CHECK(o.datastoreDurability == "full");
  CHECK(o.datastoreRetention == std::chrono::minutes(5));
  CHECK(o.datastoreRetainRevisions == 1000);
  CHECK(o.datastoreMaxBytes == 0);
  CHECK(server.string("config") == "/etc/tug/config.yaml");
}

TEST_CASE("the real server flags parse from the command line", "[cli][invocation]") {
  const tug::cli::Command* server = tug::cli::findCommand("server");
  REQUIRE(server != nullptr);
  tug::testing::TempDir dir;
  std::vector<std::string> args = {"-c",
                                   dir.file("none.yaml"),
                                   "-d",
                                   "/data",
                                   "--debug",
                                   "-l",
                                   "/log",
                                   "--datastore-durability=normal",
                                   "--datastore-retention",
                                   "1h",
                                   "--datastore-retain-revisions=5",
                                   "--datastore-max-bytes",
                                   "2Gi"};
  write(dir.file("none.yaml"), "");
  auto inv = tug::cli::parseInvocation(*server, args);
  INFO(inv.status().message());
  REQUIRE(inv.ok());
  tug::cli::ServerOptions o = tug::cli::serverOptions(*inv);
  CHECK(o.dataDir == "/data");
  CHECK(o.debug);
  CHECK(o.logFile == "/log");
  CHECK(o.datastoreDurability == "normal");
  CHECK(o.datastoreRetention == std::chrono::hours(1));
  CHECK(o.datastoreRetainRevisions == 5);
  CHECK(o.datastoreMaxBytes == 2LL << 30);
  CHECK(o.configFiles == std::vector<std::string>{dir.file("none.yaml")});
}

TEST_CASE("precedence: command line over environment over file over default", "[cli][invocation]") {
  Fixture f;
  write(f.configPath, "data-dir: /from-file\ntoken: file-token\nretention: 1m\n");
  f.env["TUG_TOKEN"] = "env-token";

  auto inv = f.ok({"--data-dir", "/from-flag"});
  CHECK(inv.values.string("data-dir") == "/from-flag");
  CHECK(inv.values.source("data-dir") == Source::kCommandLine);
  CHECK(inv.values.string("token") == "env-token");
  CHECK(inv.values.source("token") == Source::kEnvironment);
  CHECK(inv.values.duration("retention") == std::chrono::minutes(1));
  CHECK(inv.values.source("retention") == Source::kConfigFile);
  CHECK(inv.values.integer("revisions") == 1000);
  CHECK(inv.values.source("revisions") == Source::kDefault);
  CHECK(inv.configFiles == std::vector<std::string>{f.configPath});

  SECTION("a flag beats the environment too") {
    CHECK(f.ok({"--token=flag-token"}).values.string("token") == "flag-token");
  }
  SECTION("the last of a repeated flag wins") {
    CHECK(f.ok({"-d", "/a", "-d", "/b"}).values.string("data-dir") == "/b");
  }
}

TEST_CASE("drop-ins merge in name order, later over earlier", "[cli][invocation]") {
  Fixture f;
  write(f.configPath, "data-dir: /main\ndebug: true\nrevisions: 1\n");
  f.dropIn("20-second.yaml", "data-dir: /second\nrevisions: 2\n");
  f.dropIn("10-first.yaml", "data-dir: /first\ndebug: false\nretention: 1h\n");
  auto inv = f.ok({});
  CHECK(inv.values.string("data-dir") == "/second");
  CHECK_FALSE(inv.values.boolean("debug"));
  CHECK(inv.values.integer("revisions") == 2);
  CHECK(inv.values.duration("retention") == std::chrono::hours(1));
  CHECK(inv.configFiles == std::vector<std::string>{f.configPath, f.configPath + ".d/10-first.yaml",
                                                    f.configPath + ".d/20-second.yaml"});
}

TEST_CASE("list flags: files replace or append, flags replace", "[cli][invocation]") {
  Fixture f;
  write(f.configPath, "node-label: [a=1, b=2]\n");
  f.dropIn("10.yaml", "node-label+: c=3\n");
  CHECK(f.ok({}).values.list("node-label") == std::vector<std::string>{"a=1", "b=2", "c=3"});

  f.dropIn("20.yaml", "node-label: d=4\n");
  CHECK(f.ok({}).values.list("node-label") == std::vector<std::string>{"d=4"});

  CHECK(f.ok({"--node-label", "x", "--node-label", "y"}).values.list("node-label") ==
        std::vector<std::string>{"x", "y"});

  f.env["TUG_NODE_LABEL"] = "e=5,f=6";
  CHECK(f.ok({}).values.list("node-label") == std::vector<std::string>{"e=5", "f=6"});
}

TEST_CASE("which config file is read", "[cli][invocation]") {
  Fixture f;
  std::string other = f.dir.file("other.yaml");
  write(f.configPath, "data-dir: /default-file\n");
  write(other, "data-dir: /other-file\n");

  SECTION("--config and -c name it") {
    CHECK(f.ok({"--config", other}).values.string("data-dir") == "/other-file");
    CHECK(f.ok({"-c", other}).configFiles == std::vector<std::string>{other});
  }
  SECTION("$TUG_CONFIG_FILE names it, below --config") {
    f.env["TUG_CONFIG_FILE"] = other;
    CHECK(f.ok({}).values.string("data-dir") == "/other-file");
    CHECK(f.ok({"-c", f.configPath}).values.string("data-dir") == "/default-file");
  }
  SECTION("a missing named file is an error, a missing default is not") {
    std::string gone = f.dir.file("missing.yaml");
    CHECK(f.error({"--config", gone}) == "config file " + gone + " does not exist");
    f.env["TUG_CONFIG_FILE"] = gone;
    CHECK(f.error({}) == "config file " + gone + " does not exist");
    std::filesystem::remove(f.configPath);
    f.env.clear();
    CHECK(f.ok({}).configFiles.empty());
  }
}

TEST_CASE("errors from any source name where they come from", "[cli][invocation]") {
  Fixture f;
  SECTION("file") {
    write(f.configPath, "debug: true\nunknown-thing: 1\n");
    CHECK(f.error({}) == f.configPath + ":2: unknown key \"unknown-thing\"");
  }
  SECTION("drop-in") {
    f.dropIn("a.yaml", "revisions: many\n");
    CHECK(f.error({}) ==
          f.configPath + ".d/a.yaml:1: invalid value \"many\" for revisions: not an integer");
  }
  SECTION("bad YAML") {
    write(f.configPath, "debug: true\ndata-dir: [a, b\n");
    CHECK_THAT(f.error({}),
               Catch::StartsWith(f.configPath + ":") && Catch::Contains(": invalid YAML: "));
  }
  SECTION("environment") {
    f.env["TUG_TOKEN"] = "";  // empty counts as unset
    CHECK(f.ok({}).values.string("token").empty());
    f.table[1].env = "TUG_DATA_DIR";
    f.env["TUG_CONFIG_FILE"] = f.configPath;
    write(f.configPath, "");
    f.table[5].env = "TUG_DURABILITY";
    f.env["TUG_DURABILITY"] = "fast";
    CHECK(f.error({}) == "invalid value \"fast\" for $TUG_DURABILITY: must be one of full, normal");
  }
  SECTION("command line errors come before the file is read") {
    write(f.configPath, "bogus: 1\n");
    CHECK(f.error({"--revisions=x"}) == "invalid value \"x\" for flag --revisions: not an integer");
  }
}

TEST_CASE("help skips the config file", "[cli][invocation]") {
  Fixture f;
  write(f.configPath, "bogus: 1\n");
  auto inv = f.ok({"--help"});
  CHECK(inv.helpRequested);
}

TEST_CASE("a command that reads no config file ignores it", "[cli][invocation]") {
  Fixture f;
  write(f.configPath, "bogus: 1\n");
  const tug::cli::Command* version = tug::cli::findCommand("version");
  REQUIRE(version != nullptr);
  CHECK(f.parse({}, *version).ok());
  CHECK(f.parse({"--debug"}, *version).status().message() ==
        "unknown flag --debug for \"tug version\" (see tug version --help)");
}
