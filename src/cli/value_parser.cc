#include "cli/value_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <optional>

namespace tug::cli {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// A decimal number "12", "1.5" or ".5" as mantissa / scale, read from the front of `text`.
struct Decimal {
  unsigned __int128 mantissa = 0;  // kept below 10^19 so that mantissa * a unit fits 128 bits
  unsigned __int128 scale = 1;
  bool overflow = false;  // the integer part alone exceeds int64
};

// Consumes the number at the front of `text`; false when there is none.
bool readDecimal(std::string_view& text, Decimal& out) {
  constexpr unsigned __int128 kLimit = 1'000'000'000'000'000'000ull;  // 10^18
  bool any = false;
  bool fraction = false;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !fraction) {
      fraction = true;
      continue;
    }
    if (!isDigit(c)) {
      break;
    }
    any = true;
    if (out.mantissa < kLimit) {
      out.mantissa = out.mantissa * 10 + static_cast<unsigned>(c - '0');
      if (fraction) {
        out.scale *= 10;
      }
    } else if (!fraction) {
      out.overflow = true;
    }
    // Fraction digits beyond 18 significant ones are dropped: they are below a nanosecond/byte.
  }
  text.remove_prefix(i);
  return any;
}

struct Unit {
  std::string_view suffix;
  unsigned __int128 factor;  // at most 10^18 or 2^60
};

// `mantissa / scale * factor`, rounded up; nullopt above int64.
std::optional<int64_t> scaleUp(const Decimal& d, unsigned __int128 factor) {
  constexpr auto kMax = static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max());
  if (d.overflow) {
    return std::nullopt;
  }
  unsigned __int128 whole = (d.mantissa * factor + d.scale - 1) / d.scale;
  if (whole > kMax) {
    return std::nullopt;
  }
  return static_cast<int64_t>(whole);
}

}  // namespace

Result<bool> parseBool(std::string_view text) {
  std::string s = lower(text);
  if (s == "true" || s == "1" || s == "yes" || s == "on" || s == "t") {
    return true;
  }
  if (s == "false" || s == "0" || s == "no" || s == "off" || s == "f") {
    return false;
  }
  return invalid("not a boolean (true or false)");
}

Result<int64_t> parseInt(std::string_view text) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec == std::errc::result_out_of_range) {
    return invalid("integer out of range");
  }
  if (ec != std::errc() || ptr != end || text.empty()) {
    return invalid("not an integer");
  }
  return v;
}

Result<Duration> parseDuration(std::string_view text) {
  static const Unit kUnits[] = {
      {"ns", 1},
      {"us", 1000},
      {"\xC2\xB5s", 1000},  // µs (U+00B5)
      {"\xCE\xBCs", 1000},  // μs (U+03BC)
      {"ms", 1000 * 1000},
      {"s", 1000ull * 1000 * 1000},
      {"m", 60ull * 1000 * 1000 * 1000},
      {"h", 3600ull * 1000 * 1000 * 1000},
  };
  const Status bad = invalid("not a duration (e.g. 30s, 5m, 1h30m)");
  if (text == "0") {
    return Duration(0);
  }
  if (text.empty()) {
    return bad;
  }
  int64_t total = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    Decimal d;
    if (!readDecimal(rest, d)) {
      return bad;
    }
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      // The longest suffix wins: "ms" before "m".
      if (rest.starts_with(u.suffix) &&
          (unit == nullptr || u.suffix.size() > unit->suffix.size())) {
        unit = &u;
      }
    }
    if (unit == nullptr) {
      return bad;
    }
    rest.remove_prefix(unit->suffix.size());
    std::optional<int64_t> ns = scaleUp(d, unit->factor);
    if (!ns || *ns > std::numeric_limits<int64_t>::max() - total) {
      return invalid("duration out of range");
    }
    total += *ns;
  }
  return Duration(total);
}

Result<int64_t> parseSize(std::string_view text) {
  constexpr unsigned __int128 kKi = 1024;
  static const Unit kUnits[] = {
      {"", 1},
      {"Ki", kKi},
      {"Mi", kKi * kKi},
      {"Gi", kKi * kKi * kKi},
      {"Ti", kKi * kKi * kKi * kKi},
      {"Pi", kKi * kKi * kKi * kKi * kKi},
      {"Ei", kKi * kKi * kKi * kKi * kKi * kKi},
      {"k", 1000},
      {"M", 1000ull * 1000},
      {"G", 1000ull * 1000 * 1000},
      {"T", 1000ull * 1000 * 1000 * 1000},
      {"P", 1000ull * 1000 * 1000 * 1000 * 1000},
      {"E", 1000ull * 1000 * 1000 * 1000 * 1000 * 1000},
  };
  const Status bad = invalid("not a size (e.g. 1048576, 512Mi, 2Gi)");
  std::string_view rest = text;
  Decimal d;
  if (!readDecimal(rest, d)) {
    return bad;
  }
  for (const Unit& u : kUnits) {
    if (rest == u.suffix) {
      std::optional<int64_t> bytes = scaleUp(d, u.factor);
      if (!bytes) {
        return invalid("size out of range");
      }
      return *bytes;
    }
  }
  return bad;
}

Result<Value> parseValue(const FlagSpec& spec, std::string_view text) {
  auto checkMinimum = [&](int64_t v) -> Result<Value> {
    if (spec.minimum && v < *spec.minimum) {
      return invalid("must be at least " + std::to_string(*spec.minimum));
    }
    if (spec.maximum && v > *spec.maximum) {
      return invalid("must be at most " + std::to_string(*spec.maximum));
    }
    return Value(v);
  };
  switch (spec.kind) {
    case FlagKind::kString:
    case FlagKind::kList:
      if (text.empty() && !spec.allowEmpty) {
        return invalid("must not be empty");
      }
      return Value(std::string(text));
    case FlagKind::kBool: {
      Result<bool> b = parseBool(text);
      return b.ok() ? Result<Value>(Value(*b)) : Result<Value>(b.status());
    }
    case FlagKind::kInt: {
      Result<int64_t> i = parseInt(text);
      return i.ok() ? checkMinimum(*i) : Result<Value>(i.status());
    }
    case FlagKind::kSize: {
      Result<int64_t> i = parseSize(text);
      return i.ok() ? checkMinimum(*i) : Result<Value>(i.status());
    }
    case FlagKind::kDuration: {
      Result<Duration> d = parseDuration(text);
      return d.ok() ? Result<Value>(Value(*d)) : Result<Value>(d.status());
    }
    case FlagKind::kFileMode: {
      int64_t mode = 0;
      bool ok = !text.empty() && text.size() <= 4;
      for (char c : text) {
        ok = ok && c >= '0' && c <= '7';
        mode = mode * 8 + (c - '0');
      }
      if (!ok || mode > 0777) {
        return invalid("not an octal file mode (e.g. 0600, 644)");
      }
      return Value(mode);
    }
    case FlagKind::kEnum: {
      std::string list;
      for (std::string_view c : spec.choices) {
        if (c == text) {
          return Value(std::string(text));
        }
        list += list.empty() ? "" : ", ";
        list += c;
      }
      return invalid("must be one of " + list);
    }
  }
  return internalError("unknown flag kind");
}

std::string formatValue(const Value& value) {
  struct Formatter {
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(Duration d) const { return formatDuration(d); }
    std::string operator()(const std::vector<std::string>& l) const {
      std::string out;
      for (const std::string& s : l) {
        out += out.empty() ? "" : ",";
        out += s;
      }
      return out;
    }
    static std::string formatDuration(Duration d) {
      using namespace std::chrono;
      if (d == Duration(0)) {
        return "0s";
      }
      // Whole units only, largest first, like Go minus the fractions: 90m prints as 1h30m.
      std::string out;
      auto emit = [&](auto unit, const char* suffix) {
        auto n = duration_cast<decltype(unit)>(d);
        if (n.count() != 0) {
          out += std::to_string(n.count()) + suffix;
          d -= duration_cast<Duration>(n);
        }
      };
      emit(hours(1), "h");
      emit(minutes(1), "m");
      emit(seconds(1), "s");
      emit(milliseconds(1), "ms");
      emit(microseconds(1), "us");
      emit(nanoseconds(1), "ns");
      return out;
    }
  };
  return std::visit(Formatter{}, value);
}

}  // namespace tug::cli
