#include "cli/flag_values.h"

#include <cstdio>
#include <cstdlib>

#include "cli/value_parser.h"

namespace tug::cli {
namespace {

[[noreturn]] void die(std::string_view what, std::string_view name) {
  std::fprintf(stderr, "tug: internal error: %.*s: %.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(name.size()), name.data());
  std::abort();
}

}  // namespace

FlagValues FlagValues::defaults(std::span<const FlagSpec> table, Subcommand subcommand) {
  FlagValues values;
  for (const FlagSpec& spec : table) {
    if ((spec.subcommands & subcommand) == 0 || values.has(spec.name)) {
      continue;
    }
    if (spec.kind == FlagKind::kList) {
      values.set(spec, std::vector<std::string>{}, Source::kDefault);
      continue;
    }
    // A string flag's default may be empty even when the user may not set it empty.
    if (spec.kind == FlagKind::kString) {
      values.set(spec, std::string(spec.defaultValue), Source::kDefault);
      continue;
    }
    Result<Value> v = parseValue(spec, spec.defaultValue);
    if (!v.ok()) {
      die("bad default in the flag table", spec.name);
    }
    values.set(spec, std::move(*v), Source::kDefault);
  }
  return values;
}

void FlagValues::set(const FlagSpec& spec, Value value, Source source) {
  entries_[std::string(spec.name)] = Entry{std::move(value), source};
}

void FlagValues::apply(const Assignment& a, Source source) {
  if (!a.append) {
    set(*a.spec, a.value, source);
    return;
  }
  Entry& e = entries_[std::string(a.spec->name)];
  auto* list = std::get_if<std::vector<std::string>>(&e.value);
  const auto* items = std::get_if<std::vector<std::string>>(&a.value);
  if (list == nullptr || items == nullptr) {
    die("append to a flag that is not a list", a.spec->name);
  }
  list->insert(list->end(), items->begin(), items->end());
  e.source = source;
}

const FlagValues::Entry& FlagValues::entry(std::string_view name) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) {
    die("no such flag for this subcommand", name);
  }
  return it->second;
}

template <typename T>
const T& FlagValues::get(std::string_view name) const {
  const T* v = std::get_if<T>(&entry(name).value);
  if (v == nullptr) {
    die("flag read with the wrong type", name);
  }
  return *v;
}

const std::string& FlagValues::string(std::string_view name) const {
  return get<std::string>(name);
}
bool FlagValues::boolean(std::string_view name) const { return get<bool>(name); }
int64_t FlagValues::integer(std::string_view name) const { return get<int64_t>(name); }
Duration FlagValues::duration(std::string_view name) const { return get<Duration>(name); }
const std::vector<std::string>& FlagValues::list(std::string_view name) const {
  return get<std::vector<std::string>>(name);
}
Source FlagValues::source(std::string_view name) const { return entry(name).source; }

}  // namespace tug::cli
