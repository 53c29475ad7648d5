#pragma once

#include <span>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/flag.h"
#include "cli/flag_values.h"
#include "common/status.h"

namespace tug::cli {

struct CommandLine {
  std::vector<Assignment> assignments;  // in the order given; a later one overrides an earlier
  bool helpRequested = false;           // --help or -h; the rest of the line is not parsed
};

// Parses the arguments after `tug <command>`: `--name=value`, `--name value`, `-n value`,
// `-n=value`, `-nvalue`, bool flags as `--name` or `--name=false`. A repeated list flag adds
// to the list. Errors (Invalid, message without the "tug: " prefix) name the flag: an unknown
// flag, a missing or bad value, an argument that is not a flag.
Result<CommandLine> parseCommandLine(std::span<const FlagSpec> table, const Command& command,
                                     std::span<const std::string> args);

}  // namespace tug::cli
