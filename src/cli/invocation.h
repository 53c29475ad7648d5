#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/flag.h"
#include "cli/flag_table.h"
#include "cli/flag_values.h"
#include "common/status.h"

namespace tug::cli {

// What `tug <command> <args>` asks for once flags, environment and config files are merged.
struct Invocation {
  FlagValues values;
  std::vector<std::string> configFiles;  // the files read, in merge order
  bool helpRequested = false;            // nothing else is filled in then
};

// The outside world the parser reads, replaceable in tests.
struct ParseContext {
  std::span<const FlagSpec> table = flagTable();
  // Returns the variable's value, or nullopt when unset. Defaults to the process environment.
  std::function<std::optional<std::string>(const std::string&)> getenv;
};

// Resolves every flag of `command`. Precedence, highest first: the command line, the flag's
// environment variable, the config files (later files over earlier ones), the default.
// The config file is --config, else $TUG_CONFIG_FILE, else /etc/tug/config.yaml; only the last
// may be missing. Errors are Invalid, one line, without the "tug: " prefix.
Result<Invocation> parseInvocation(const Command& command, std::span<const std::string> args,
                                   const ParseContext& context = {});

}  // namespace tug::cli
