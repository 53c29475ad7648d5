#include "cli/help.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace tug::cli {
namespace {

constexpr size_t kHelpWidth = 100;

// `text` broken at spaces into lines of at most `width` characters (longer words stay whole).
std::vector<std::string> wrap(const std::string& text, size_t width) {
  std::vector<std::string> lines(1);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    std::string word = text.substr(start, end == std::string::npos ? end : end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    if (!lines.back().empty() && lines.back().size() + 1 + word.size() > width) {
      lines.emplace_back();
    }
    lines.back() += (lines.back().empty() ? "" : " ") + word;
  }
  return lines;
}

std::string pad(std::string s, size_t width) {
  s.resize(std::max(s.size(), width), ' ');
  return s;
}

// "  -d, --data-dir DIR" for the left column.
std::string flagColumn(const FlagSpec& spec) {
  std::string s = spec.shortName != 0 ? std::string("  -") + spec.shortName + ", " : "      ";
  s += "--";
  s += spec.name;
  if (spec.kind != FlagKind::kBool) {
    s += ' ';
    s += spec.metavar.empty() ? std::string_view("VALUE") : spec.metavar;
  }
  return s;
}

std::string describe(const FlagSpec& spec) {
  std::string s(spec.usage);
  std::vector<std::string> notes;
  if (spec.kind == FlagKind::kEnum) {
    std::string choices;
    for (std::string_view c : spec.choices) {
      choices += (choices.empty() ? "" : ", ") + std::string(c);
    }
    notes.push_back("one of " + choices);
  }
  if (spec.kind == FlagKind::kList) {
    notes.push_back("repeatable");
  }
  bool trivial =
      spec.defaultValue.empty() || (spec.kind == FlagKind::kBool && spec.defaultValue == "false");
  if (!trivial) {
    notes.push_back("default: " + std::string(spec.defaultValue));
  }
  if (!spec.env.empty()) {
    notes.push_back("$" + std::string(spec.env));
  }
  for (size_t i = 0; i < notes.size(); ++i) {
    s += (i == 0 ? " (" : "; ") + notes[i];
  }
  return notes.empty() ? s : s + ")";
}

}  // namespace

std::string mainHelp() {
  std::string s =
      "tug: a lightweight Kubernetes distribution in one binary\n\n"
      "Usage: tug <command> [flags]\n\nCommands:\n";
  for (const Command& c : commands()) {
    s += pad("  " + std::string(c.name), 12) + std::string(c.summary) + "\n";
  }
  s += "\nFlags:\n"
       "  -h, --help    Show this help\n"
       "      --version Print the version\n\n"
       "Run 'tug <command> --help' for the flags of a command.\n";
  return s;
}

std::string commandHelp(const Command& command, std::span<const FlagSpec> table) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const FlagSpec& spec : table) {
    if (findFlag(table, spec.name, command.id) == &spec) {
      rows.emplace_back(flagColumn(spec), describe(spec));
    }
  }
  rows.emplace_back("  -h, --help", "Show this help");
  // Descriptions line up after the flags; a flag longer than the column has its description
  // start on the next line, so that one long name does not squeeze every description.
  constexpr size_t kMaxFlagColumn = 36;
  size_t width = 0;
  for (const auto& [left, right] : rows) {
    if (left.size() <= kMaxFlagColumn) {
      width = std::max(width, left.size());
    }
  }
  std::string s = "Usage: tug " + std::string(command.name) + (rows.size() > 1 ? " [flags]" : "") +
                  "\n\n" + std::string(command.description) + "\n\nFlags:\n";
  const size_t indent = width + 3;
  for (const auto& [left, right] : rows) {
    std::vector<std::string> lines = wrap(right, kHelpWidth - indent);
    if (left.size() + 3 > indent) {
      s += left + "\n";
      s += std::string(indent, ' ') + lines[0] + "\n";
    } else {
      s += pad(left, indent) + lines[0] + "\n";
    }
    for (size_t i = 1; i < lines.size(); ++i) {
      s += std::string(indent, ' ') + lines[i] + "\n";
    }
  }
  return s;
}

}  // namespace tug::cli
