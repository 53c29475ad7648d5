#include "cli/command_line.h"

#include <set>

#include "cli/value_parser.h"

namespace tug::cli {
namespace {

std::string seeHelp(const Command& command) {
  return " for \"tug " + std::string(command.name) + "\" (see tug " + std::string(command.name) +
         " --help)";
}

// Splits one argument into the flag it names and the value glued to it, if any.
struct Token {
  const FlagSpec* spec = nullptr;
  std::optional<std::string> value;
};

Result<Token> lookUp(std::span<const FlagSpec> table, const Command& command,
                     const std::string& arg) {
  Token t;
  if (arg.starts_with("--")) {
    size_t eq = arg.find('=');
    std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (eq != std::string::npos) {
      t.value = arg.substr(eq + 1);
    }
    t.spec = name.empty() ? nullptr : findFlag(table, name, command.id);
    if (t.spec == nullptr) {
      return invalid("unknown flag --" + name + seeHelp(command));
    }
    return t;
  }
  t.spec = findShortFlag(table, arg[1], command.id);
  if (t.spec == nullptr) {
    return invalid("unknown flag " + arg.substr(0, 2) + seeHelp(command));
  }
  if (arg.size() > 2) {
    t.value = arg.substr(arg[2] == '=' ? 3 : 2);
  }
  return t;
}

}  // namespace

Result<CommandLine> parseCommandLine(std::span<const FlagSpec> table, const Command& command,
                                     std::span<const std::string> args) {
  CommandLine out;
  std::set<const FlagSpec*> listsSeen;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out.helpRequested = true;
      return out;
    }
    if (arg.size() < 2 || arg[0] != '-' || arg == "--") {
      // No subcommand takes arguments yet; "--" would only introduce some.
      size_t at = arg == "--" ? i + 1 : i;
      if (at >= args.size()) {
        break;
      }
      return invalid("unexpected argument \"" + args[at] + "\"" + seeHelp(command));
    }
    Result<Token> token = lookUp(table, command, arg);
    if (!token.ok()) {
      return token.status();
    }
    const FlagSpec& spec = *token->spec;
    std::string flag = "--" + std::string(spec.name);
    std::string text;
    if (token->value) {
      text = *token->value;
    } else if (spec.kind == FlagKind::kBool) {
      text = "true";
    } else if (i + 1 < args.size()) {
      text = args[++i];
    } else {
      return invalid("flag " + flag + " needs a value" + seeHelp(command));
    }
    Result<Value> value = parseValue(spec, text);
    if (!value.ok()) {
      return invalid("invalid value \"" + text + "\" for flag " + flag + ": " +
                     value.status().message());
    }
    Assignment a{.spec = &spec, .value = std::move(*value)};
    if (spec.kind == FlagKind::kList) {
      a.value = std::vector<std::string>{std::get<std::string>(std::move(a.value))};
      a.append = !listsSeen.insert(&spec).second;
    }
    out.assignments.push_back(std::move(a));
  }
  return out;
}

}  // namespace tug::cli
