#include "cli/invocation.h"

#include <cstdlib>

#include "cli/command_line.h"
#include "cli/config_file.h"
#include "cli/value_parser.h"

namespace tug::cli {
namespace {

std::optional<std::string> processEnv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v == nullptr ? std::nullopt : std::optional<std::string>(v);
}

std::vector<std::string> splitCommas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t comma; (comma = s.find(',', start)) != std::string::npos; start = comma + 1) {
    out.push_back(s.substr(start, comma - start));
  }
  out.push_back(s.substr(start));
  return out;
}

// Flags set through their environment variables. An empty variable counts as unset.
Result<std::vector<Assignment>> fromEnvironment(const ParseContext& context,
                                                const Command& command) {
  auto getenv = context.getenv ? context.getenv : processEnv;
  std::vector<Assignment> out;
  for (const FlagSpec& spec : context.table) {
    if ((spec.subcommands & command.id) == 0 || spec.env.empty() ||
        findFlag(context.table, spec.name, command.id) != &spec) {
      continue;
    }
    std::optional<std::string> text = getenv(std::string(spec.env));
    if (!text || text->empty()) {
      continue;
    }
    // A list comes as comma-separated items, as in k3s.
    std::vector<std::string> items =
        spec.kind == FlagKind::kList ? splitCommas(*text) : std::vector<std::string>{*text};
    Assignment a{.spec = &spec};
    for (const std::string& item : items) {
      Result<Value> v = parseValue(spec, item);
      if (!v.ok()) {
        return invalid("invalid value \"" + item + "\" for $" + std::string(spec.env) + ": " +
                       v.status().message());
      }
      a.value = std::move(*v);
    }
    if (spec.kind == FlagKind::kList) {
      a.value = items;
    }
    out.push_back(std::move(a));
  }
  return out;
}

// The config file named by the highest-precedence source, and whether the user named it.
std::pair<std::string, bool> configPath(const FlagValues& defaults, const CommandLine& line,
                                        const std::vector<Assignment>& env) {
  std::optional<std::string> chosen;
  for (const auto* list : {&env, &line.assignments}) {
    for (const Assignment& a : *list) {
      if (a.spec->name == kConfigFlag) {
        chosen = std::get<std::string>(a.value);
      }
    }
  }
  if (chosen) {
    return {*chosen, true};
  }
  return {defaults.string(kConfigFlag), false};
}

}  // namespace

Result<Invocation> parseInvocation(const Command& command, std::span<const std::string> args,
                                   const ParseContext& context) {
  Invocation out{.values = FlagValues::defaults(context.table, command.id)};
  Result<CommandLine> line = parseCommandLine(context.table, command, args);
  if (!line.ok()) {
    return line.status();
  }
  if (line->helpRequested) {
    out.helpRequested = true;
    return out;
  }
  Result<std::vector<Assignment>> env = fromEnvironment(context, command);
  if (!env.ok()) {
    return env.status();
  }
  if (command.readsConfigFile && out.values.has(kConfigFlag)) {
    auto [path, named] = configPath(out.values, *line, *env);
    Result<std::vector<std::string>> files = configFiles(path, named);
    if (!files.ok()) {
      return files.status();
    }
    for (const std::string& file : *files) {
      Result<std::vector<Assignment>> assignments = readConfigFile(context.table, command, file);
      if (!assignments.ok()) {
        return assignments.status();
      }
      for (const Assignment& a : *assignments) {
        out.values.apply(a, Source::kConfigFile);
      }
    }
    out.configFiles = std::move(*files);
  }
  for (const Assignment& a : *env) {
    out.values.apply(a, Source::kEnvironment);
  }
  for (const Assignment& a : line->assignments) {
    out.values.apply(a, Source::kCommandLine);
  }
  return out;
}

}  // namespace tug::cli
