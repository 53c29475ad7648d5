#pragma once

#include <span>
#include <string_view>

#include "cli/flag.h"

namespace tug::cli {

// A subcommand as the user sees it: `tug <name>`.
struct Command {
  std::string_view name;
  Subcommand id;
  std::string_view summary;      // one line for `tug --help`
  std::string_view description;  // a paragraph for `tug <name> --help`
  bool readsConfigFile = false;  // whether /etc/tug/config.yaml applies
};

// Every subcommand, in the order `tug --help` lists them.
std::span<const Command> commands();

// The subcommand called `name`, or nullptr.
const Command* findCommand(std::string_view name);

}  // namespace tug::cli
