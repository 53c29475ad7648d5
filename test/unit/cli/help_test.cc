#include "cli/help.h"

#include <catch2/catch.hpp>

#include "cli/version.h"
#include "test_table.h"

using Catch::Contains;

TEST_CASE("tug --help lists the subcommands", "[cli][help]") {
  std::string h = tug::cli::mainHelp();
  CHECK_THAT(h, Contains("Usage: tug <command>"));
  for (const tug::cli::Command& c : tug::cli::commands()) {
    CHECK_THAT(h, Contains("  " + std::string(c.name) + " ") && Contains(std::string(c.summary)));
  }
}

TEST_CASE("command help lists the command's flags with defaults", "[cli][help]") {
  std::string h =
      tug::cli::commandHelp(tug::cli::testing::kServerCommand, tug::cli::testing::table());
  CHECK_THAT(h, Contains("Usage: tug server [flags]"));
  CHECK_THAT(h, Contains("  -d, --data-dir DIR "));
  CHECK_THAT(h, Contains("(default: /var/lib/tug)"));
  CHECK_THAT(h, Contains("      --debug "));
  CHECK_THAT(h, Contains("one of full, normal; default: full"));
  CHECK_THAT(h, Contains("$TUG_CONFIG_FILE"));
  CHECK_THAT(h, Contains("repeatable"));
  CHECK_THAT(h, Contains("  -h, --help "));
  CHECK_THAT(h, !Contains("--server"));  // agent only
  CHECK_THAT(h, !Contains("Debug logs (default: false)"));
  for (size_t start = 0, end; (end = h.find('\n', start)) != std::string::npos; start = end + 1) {
    INFO(h.substr(start, end - start));
    CHECK(end - start <= 100);
  }
}

TEST_CASE("the real server help shows every server flag", "[cli][help]") {
  std::string h = tug::cli::commandHelp(*tug::cli::findCommand("server"));
  for (const char* flag :
       {"--config", "--data-dir", "--debug", "--log", "--datastore-durability",
        "--datastore-retention", "--datastore-retain-revisions", "--datastore-max-bytes"}) {
    CHECK_THAT(h, Contains(flag));
  }
}

TEST_CASE("version text names tug, its commit and Kubernetes", "[cli][help]") {
  std::string v = tug::cli::versionText();
  CHECK_THAT(
      v, Catch::StartsWith("tug version v") && Contains(" (git ") && Contains("\nkubernetes v1."));
}
