#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The vocabulary of the flag table: one FlagSpec row describes a flag once, for the command
// line, the config file and the help text alike (k3s style: config keys are flag names).
namespace tug::cli {

// Which subcommands a flag belongs to; a bit mask so one row can serve server and agent.
enum Subcommand : uint32_t {
  kServer = 1u << 0,
  kAgent = 1u << 1,
  kToken = 1u << 2,
  kVersion = 1u << 3,
  kKubectl = 1u << 4,
};
using SubcommandMask = uint32_t;

enum class FlagKind {
  kString,
  kBool,
  kInt,
  kDuration,  // Go syntax: "300ms", "5m", "1h30m"
  kSize,      // bytes, plain or with a Kubernetes suffix: "1024", "512Mi", "2Gi", "1G"
  kEnum,      // one of FlagSpec::choices
  kList,      // repeatable strings; in a config file a sequence, and `key+:` appends
  kFileMode,  // octal permission bits: "0600", "644"
};

struct FlagSpec {
  std::string_view name;  // long name without dashes; also the config file key
  char shortName = 0;     // 'd' for -d; 0 for none
  FlagKind kind = FlagKind::kString;
  std::string_view defaultValue;  // in the same syntax the user would type
  std::string_view usage;
  std::string_view metavar;  // placeholder in help, e.g. "DIR"
  SubcommandMask subcommands = 0;
  std::string_view env;                   // environment variable that may set it, or empty
  std::vector<std::string_view> choices;  // kEnum only
  std::optional<int64_t> minimum;         // kInt and kSize
  std::optional<int64_t> maximum;         // kInt and kSize
  bool allowEmpty = true;                 // kString: whether "" is a valid value
  bool commandLineOnly = false;           // not accepted as a config file key
};

using Duration = std::chrono::nanoseconds;
using Value = std::variant<std::string, bool, int64_t, Duration, std::vector<std::string>>;

// Where a flag's final value came from; later sources win.
enum class Source { kDefault, kConfigFile, kEnvironment, kCommandLine };

inline constexpr SubcommandMask kAllSubcommands = ~SubcommandMask{0};

// The first row named `name` (or with short name `shortName`) that belongs to one of
// `subcommands`, or nullptr. Two rows may share a name when subcommands need different defaults.
const FlagSpec* findFlag(std::span<const FlagSpec> table, std::string_view name,
                         SubcommandMask subcommands = kAllSubcommands);
const FlagSpec* findShortFlag(std::span<const FlagSpec> table, char shortName,
                              SubcommandMask subcommands = kAllSubcommands);

}  // namespace tug::cli
