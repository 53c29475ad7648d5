#include "cli/config_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/value_parser.h"

namespace tug::cli {
namespace {

namespace fs = std::filesystem;

// "<file>:<line>: ", the prefix of every error about a place in a file.
std::string at(const std::string& name, const YAML::Mark& mark) {
  return name + ":" + std::to_string(mark.is_null() || mark.line < 0 ? 1 : mark.line + 1) + ": ";
}
std::string at(const std::string& name, const YAML::Node& node) { return at(name, node.Mark()); }

// The scalars a key's value holds: one, or a sequence's items for a list flag. Errors about the
// value as a whole point at the key's line, errors about one item at the item's.
Result<std::vector<std::pair<std::string, YAML::Node>>> scalars(const FlagSpec& spec,
                                                                const YAML::Node& value,
                                                                const std::string& keyAt,
                                                                const std::string& name) {
  std::vector<std::pair<std::string, YAML::Node>> out;
  if (value.IsScalar()) {
    out.emplace_back(value.Scalar(), value);
  } else if (value.IsSequence() && spec.kind == FlagKind::kList) {
    for (const YAML::Node& item : value) {
      if (!item.IsScalar()) {
        return invalid(at(name, item) + "expected a list of plain values for " +
                       std::string(spec.name));
      }
      out.emplace_back(item.Scalar(), item);
    }
  } else if (value.IsNull()) {
    return invalid(keyAt + "no value for " + std::string(spec.name));
  } else {
    return invalid(keyAt + "expected a single value for " + std::string(spec.name));
  }
  return out;
}

// The assignment for one `key: value` pair, or nullopt for another subcommand's flag.
Result<std::optional<Assignment>> assignmentFor(std::span<const FlagSpec> table,
                                                const Command& command, const YAML::Node& key,
                                                const YAML::Node& value, const std::string& name) {
  std::string where = at(name, key);
  if (!key.IsScalar()) {
    return invalid(where + "expected a flag name as key");
  }
  std::string flag = key.Scalar();
  bool append = flag.ends_with('+');
  if (append) {
    flag.pop_back();
  }
  const FlagSpec* spec = findFlag(table, flag, command.id);
  if (spec == nullptr) {
    if (findFlag(table, flag) != nullptr) {
      return std::optional<Assignment>();
    }
    std::string hint = flag.starts_with("-") ? " (write flag names without the dashes)" : "";
    return invalid(where + "unknown key \"" + key.Scalar() + "\"" + hint);
  }
  if (spec->commandLineOnly) {
    return invalid(where + flag + " can only be given on the command line");
  }
  if (append && spec->kind != FlagKind::kList) {
    return invalid(where + flag + "+ appends to a list, but " + flag + " is not a list");
  }
  auto items = scalars(*spec, value, where, name);
  if (!items.ok()) {
    return items.status();
  }
  std::vector<std::string> list;
  Assignment a{.spec = spec, .append = append};
  for (const auto& [text, node] : *items) {
    Result<Value> v = parseValue(*spec, text);
    if (!v.ok()) {
      return invalid(at(name, node) + "invalid value \"" + text + "\" for " + flag + ": " +
                     v.status().message());
    }
    if (spec->kind == FlagKind::kList) {
      list.push_back(std::get<std::string>(std::move(*v)));
    } else {
      a.value = std::move(*v);
    }
  }
  if (spec->kind == FlagKind::kList) {
    a.value = std::move(list);
  }
  return std::optional<Assignment>(std::move(a));
}

}  // namespace

Result<std::vector<std::string>> configFiles(const std::string& path, bool required) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (fs::is_directory(st)) {
    return invalid("config file " + path + " is a directory");
  }
  if (fs::exists(st)) {
    files.push_back(path);
  } else if (required) {
    return invalid("config file " + path + " does not exist");
  }
  std::string dropIns = path + ".d";
  if (!fs::is_directory(dropIns, ec)) {
    return files;
  }
  std::vector<std::string> names;
  for (fs::directory_iterator it(dropIns, ec), end; !ec && it != end; it.increment(ec)) {
    std::string ext = it->path().extension().string();
    if ((ext == ".yaml" || ext == ".yml") && !it->is_directory()) {
      names.push_back(it->path().filename().string());
    }
  }
  if (ec) {
    return invalid("cannot list " + dropIns + ": " + ec.message());
  }
  std::sort(names.begin(), names.end());
  for (const std::string& n : names) {
    files.push_back(dropIns + "/" + n);
  }
  return files;
}

Result<std::vector<Assignment>> readConfigFile(std::span<const FlagSpec> table,
                                               const Command& command, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return invalid("cannot read config file " + path + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return invalid("cannot read config file " + path + ": " + std::strerror(errno));
  }
  return parseConfig(table, command, text.str(), path);
}

Result<std::vector<Assignment>> parseConfig(std::span<const FlagSpec> table, const Command& command,
                                            const std::string& text, const std::string& name) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return invalid(at(name, e.mark) + "invalid YAML: " + e.msg);
  }
  std::vector<Assignment> out;
  if (root.IsNull()) {
    return out;  // an empty file, or only comments
  }
  if (!root.IsMap()) {
    return invalid(at(name, root) + "expected a map of flag names to values");
  }
  std::set<std::string> seen;
  for (const auto& kv : root) {
    if (kv.first.IsScalar() && !seen.insert(kv.first.Scalar()).second) {
      return invalid(at(name, kv.first) + "duplicate key \"" + kv.first.Scalar() + "\"");
    }
    auto a = assignmentFor(table, command, kv.first, kv.second, name);
    if (!a.ok()) {
      return a.status();
    }
    if (*a) {
      out.push_back(std::move(**a));
    }
  }
  return out;
}

}  // namespace tug::cli
