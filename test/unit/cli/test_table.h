#pragma once

#include <span>
#include <vector>

#include "cli/commands.h"
#include "cli/flag.h"

// A flag table for tests, independent of the real one so that the real one can grow freely.
// It has what the real one lacks so far: a list flag, an agent-only flag, environment variables.
namespace tug::cli::testing {

inline constexpr Command kServerCommand{
    .name = "server", .id = kServer, .summary = "s", .description = "d", .readsConfigFile = true};
inline constexpr Command kAgentCommand{
    .name = "agent", .id = kAgent, .summary = "a", .description = "d", .readsConfigFile = true};

inline constexpr const char* kMissingConfig = "/nonexistent/tug-test/config.yaml";

inline std::vector<FlagSpec> makeTable(std::string_view configDefault = kMissingConfig) {
  return {
      {.name = "config",
       .shortName = 'c',
       .defaultValue = configDefault,
       .usage = "Config file",
       .metavar = "FILE",
       .subcommands = kServer | kAgent,
       .env = "TUG_CONFIG_FILE",
       .allowEmpty = false,
       .commandLineOnly = true},
      {.name = "data-dir",
       .shortName = 'd',
       .defaultValue = "/var/lib/tug",
       .usage = "Folder to hold state",
       .metavar = "DIR",
       .subcommands = kServer | kAgent,
       .allowEmpty = false},
      {.name = "debug",
       .kind = FlagKind::kBool,
       .defaultValue = "false",
       .usage = "Debug logs",
       .subcommands = kServer | kAgent},
      {.name = "token", .usage = "Join token", .subcommands = kServer | kAgent, .env = "TUG_TOKEN"},
      {.name = "node-label",
       .kind = FlagKind::kList,
       .usage = "Labels",
       .metavar = "KEY=VALUE",
       .subcommands = kServer | kAgent,
       .env = "TUG_NODE_LABEL"},
      {.name = "durability",
       .kind = FlagKind::kEnum,
       .defaultValue = "full",
       .usage = "Durability",
       .subcommands = kServer,
       .choices = {"full", "normal"}},
      {.name = "retention",
       .kind = FlagKind::kDuration,
       .defaultValue = "5m",
       .usage = "Retention",
       .subcommands = kServer},
      {.name = "revisions",
       .kind = FlagKind::kInt,
       .defaultValue = "1000",
       .usage = "Revisions",
       .subcommands = kServer,
       .minimum = 0},
      {.name = "max-bytes",
       .kind = FlagKind::kSize,
       .defaultValue = "0",
       .usage = "Max bytes",
       .subcommands = kServer,
       .minimum = 0},
      {.name = "server",
       .shortName = 's',
       .usage = "Server URL",
       .subcommands = kAgent,
       .env = "TUG_URL"},
  };
}

inline std::span<const FlagSpec> table() {
  static const std::vector<FlagSpec> kTable = makeTable();
  return kTable;
}

}  // namespace tug::cli::testing
