#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cli/flag.h"
#include "common/status.h"

// Parsing of flag values typed by the user. Errors are Invalid with a short reason such as
// "not an integer"; the caller adds which flag, file or line it was.
namespace tug::cli {

// true/false, 1/0, yes/no, on/off, t/f, in any case.
Result<bool> parseBool(std::string_view text);

// A decimal int64.
Result<int64_t> parseInt(std::string_view text);

// Go's time.ParseDuration syntax without a sign: "0", "300ms", "1.5h", "1h30m", units ns, us,
// µs, ms, s, m, h.
Result<Duration> parseDuration(std::string_view text);

// A byte count: "1024", or a number with a Kubernetes quantity suffix, binary (Ki Mi Gi Ti Pi
// Ei) or decimal (k M G T P E). Fractions round up to a whole byte: "1.5Ki" is 1536.
Result<int64_t> parseSize(std::string_view text);

// Parses one value for `spec` (for kList: one element). Checks choices, minimum and emptiness.
Result<Value> parseValue(const FlagSpec& spec, std::string_view text);

// The value written back in the user's syntax, for help text and logs.
std::string formatValue(const Value& value);

}  // namespace tug::cli
