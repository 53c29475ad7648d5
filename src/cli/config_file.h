#pragma once

#include <span>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/flag.h"
#include "cli/flag_values.h"
#include "common/status.h"

// The config file, k3s style: a YAML map whose keys are flag names without the dashes
// (`data-dir: /x`, `debug: true`), and `key+: value` to add to a list flag instead of replacing
// it. Errors are Invalid and start with "<file>:<line>: ".
namespace tug::cli {

// The files to read for config file `path`, in merge order: `path`, then `path`.d/*.yaml (and
// *.yml) in lexical order of their names. A missing `path` is an error only when `required`
// (the user named it); the drop-in folder is read either way.
Result<std::vector<std::string>> configFiles(const std::string& path, bool required);

// The assignments in one file, in file order. Keys of flags that belong to other subcommands are
// skipped, because one file serves the server and the agent; keys no subcommand knows are errors.
Result<std::vector<Assignment>> readConfigFile(std::span<const FlagSpec> table,
                                               const Command& command, const std::string& path);

// The same for YAML text already in memory; `name` stands for the file in errors.
Result<std::vector<Assignment>> parseConfig(std::span<const FlagSpec> table, const Command& command,
                                            const std::string& text, const std::string& name);

}  // namespace tug::cli
