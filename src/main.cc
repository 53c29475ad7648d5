// `tug <command>`: dispatch only. Exit codes: 0 done, 1 the command failed, 2 the command line or
// config file is wrong (with one "tug: ..." line on stderr either way).
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/help.h"
#include "cli/invocation.h"
#include "cli/kubectl_command.h"
#include "cli/server_options.h"
#include "cli/version.h"
#include "server/server.h"

namespace {

constexpr int kFailed = 1;
constexpr int kUsage = 2;

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "tug: %s\n", message.c_str());
  return code;
}

int print(const std::string& text) {
  std::fputs(text.c_str(), stdout);
  return 0;
}

int runCommand(const tug::cli::Command& command, const tug::cli::Invocation& invocation) {
  tug::Status status;
  switch (command.id) {
    case tug::cli::kServer:
      status = tug::server::run(tug::cli::serverOptions(invocation));
      break;
    case tug::cli::kVersion:
      return print(tug::cli::versionText());
    default:
      return fail(kFailed, "command " + std::string(command.name) + " is not implemented yet");
  }
  return status.isOk() ? 0 : fail(kFailed, status.message());
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(tug::cli::mainHelp().c_str(), stderr);
    return kUsage;
  }
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || (first == "help" && args.size() == 1)) {
    return print(tug::cli::mainHelp());
  }
  if (first == "--version") {
    return print(tug::cli::versionText());
  }
  if (first.starts_with("-")) {
    return fail(kUsage, "unknown flag " + first + " (see tug --help)");
  }
  // `tug help server` is `tug server --help`.
  bool help = first == "help";
  const std::string& name = help ? args[1] : first;
  const tug::cli::Command* command = tug::cli::findCommand(name);
  if (command == nullptr) {
    return fail(kUsage, "unknown command \"" + name + "\" (see tug --help)");
  }
  if (help) {
    return print(tug::cli::commandHelp(*command));
  }
  if (command->id == tug::cli::kKubectl) {
    // Everything after `kubectl` belongs to kubectl, --help included.
    return fail(kFailed, tug::cli::execKubectl(std::span(args).subspan(1)).message());
  }
  auto invocation = tug::cli::parseInvocation(*command, std::span(args).subspan(1));
  if (!invocation.ok()) {
    return fail(kUsage, invocation.status().message());
  }
  if (invocation->helpRequested) {
    return print(tug::cli::commandHelp(*command));
  }
  return runCommand(*command, *invocation);
}
