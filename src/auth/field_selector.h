#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tug::auth {

// The value a field selector requires `field` to equal (`field=v` or `field==v`), parsed as
// upstream's fields.ParseSelector does: terms split at unescaped commas and sorted, `\,` `\=`
// `\\` escapes in values. nullopt when no term requires it; BadRequest when the selector does
// not parse (upstream then ignores the selector for authorization).
Result<std::optional<std::string>> requiredFieldValue(std::string_view selector,
                                                      std::string_view field);

}  // namespace tug::auth
