#pragma once

#include <span>
#include <string>

#include "cli/commands.h"
#include "cli/flag.h"
#include "cli/flag_table.h"

namespace tug::cli {

// `tug --help`: the subcommands.
std::string mainHelp();

// `tug <command> --help`: the command's flags with their defaults.
std::string commandHelp(const Command& command, std::span<const FlagSpec> table = flagTable());

}  // namespace tug::cli
