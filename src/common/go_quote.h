#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tug {

// `s` as Go's %q prints it (strconv.Quote): in double quotes, with `"` and `\` escaped, control
// characters as \n, \t, \x1b, invalid UTF-8 bytes as \xff, and the non-printing code points
// users meet (C1 controls, no-break and zero-width spaces, BOM) as \u00a0. Upstream's messages
// quote user and object names this way, and clients compare those messages.
std::string goQuote(std::string_view s);

// A list of strings as Go's %q prints a []string: ["a" "b"].
std::string goQuote(const std::vector<std::string>& list);

}  // namespace tug
