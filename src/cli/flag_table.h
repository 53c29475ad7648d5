#pragma once

#include <span>
#include <string_view>

#include "cli/flag.h"

namespace tug::cli {

// Names of flags that the parser itself, not just the subcommand, cares about.
inline constexpr std::string_view kConfigFlag = "config";
inline constexpr std::string_view kDefaultConfigFile = "/etc/tug/config.yaml";

// Every flag of every subcommand, in the order help lists them. A new flag is a new row here
// plus a field in the subcommand's options struct.
std::span<const FlagSpec> flagTable();

}  // namespace tug::cli
