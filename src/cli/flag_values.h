#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/flag.h"

namespace tug::cli {

// One flag set once by one source: a command line flag, an environment variable or a config file
// key. The value is already parsed; for a list flag it holds the items.
struct Assignment {
  const FlagSpec* spec = nullptr;
  Value value;
  bool append = false;  // list flags only: add to the value so far instead of replacing it
};

// The final value of every flag of one subcommand, with where it came from.
// Asking for a flag the subcommand does not have, or with the wrong type, is a programming error
// and aborts.
class FlagValues {
 public:
  // Every flag of `subcommand` in `table` at its default value. The defaults are in the table,
  // so a default that does not parse is a programming error and aborts.
  static FlagValues defaults(std::span<const FlagSpec> table, Subcommand subcommand);

  const std::string& string(std::string_view name) const;
  bool boolean(std::string_view name) const;
  int64_t integer(std::string_view name) const;  // kInt and kSize
  Duration duration(std::string_view name) const;
  const std::vector<std::string>& list(std::string_view name) const;

  Source source(std::string_view name) const;
  bool has(std::string_view name) const { return entries_.contains(name); }

  void set(const FlagSpec& spec, Value value, Source source);
  // Sets or, for an appending assignment, extends the flag's value.
  void apply(const Assignment& a, Source source);

 private:
  struct Entry {
    Value value;
    Source source = Source::kDefault;
  };
  const Entry& entry(std::string_view name) const;
  template <typename T>
  const T& get(std::string_view name) const;

  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace tug::cli
