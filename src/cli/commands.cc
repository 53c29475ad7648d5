#include "cli/commands.h"

namespace tug::cli {

std::span<const Command> commands() {
  static constexpr Command kCommands[] = {
      {.name = "server",
       .id = kServer,
       .summary = "Run the control plane",
       .description = "Runs the control plane: the datastore and the API server now; the "
                      "scheduler and controllers later.\nEvery flag may also be set in the config file, as "
                      "`flag-name: value`.",
       .readsConfigFile = true},
      {.name = "kubectl",
       .id = kKubectl,
       .summary = "Run kubectl against this cluster",
       .description = "Runs the kubectl found on PATH with every argument after `kubectl`, using "
                      "$KUBECONFIG if set and the admin kubeconfig /etc/tug/tug.yaml otherwise."},
      {.name = "version",
       .id = kVersion,
       .summary = "Print the version",
       .description = "Prints the version of tug and of the Kubernetes API it serves."},
  };
  return kCommands;
}

const Command* findCommand(std::string_view name) {
  for (const Command& c : commands()) {
    if (c.name == name) {
      return &c;
    }
  }
  return nullptr;
}

}  // namespace tug::cli
