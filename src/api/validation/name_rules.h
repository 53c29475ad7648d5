#pragma once

#include <string>
#include <string_view>
#include <vector>

// The syntax rules for names, label keys and values, ports and keys that the upstream API
// server applies. Each returns the reasons a value fails (upstream's wording), empty when valid.
namespace tug::api::validation {

using Reasons = std::vector<std::string>;

Reasons dns1123Label(std::string_view value);      // `my-name`, at most 63
Reasons dns1123Subdomain(std::string_view value);  // `example.com`, at most 253
Reasons dns1035Label(std::string_view value);      // starts with a letter, at most 63
Reasons qualifiedName(std::string_view value);     // `example.com/MyName`: label keys
Reasons labelValue(std::string_view value);        // empty or `MyValue`, at most 63
Reasons configMapKey(std::string_view value);      // `key.name`
Reasons portName(std::string_view value);          // IANA service name, at most 15
Reasons envVarName(std::string_view value);        // printable ASCII but '='
Reasons wildcardDns1123Subdomain(std::string_view value);  // `*.example.com`

// How object names of a kind are checked (prefix: the value is a generateName, which may end
// in '-').
enum class NameRule { kDns1123Subdomain, kDns1123Label, kDns1035Label, kPathSegment };
Reasons checkName(NameRule rule, std::string_view name, bool prefix);
// Path segment names (RBAC objects): no '/', no '%', not '.' or '..'.
Reasons pathSegmentName(std::string_view name, bool prefix);

// "must be no more than N characters" and friends, shared by the kind validators.
std::string maxLenError(size_t n);
std::string inclusiveRangeError(long long lo, long long hi);

}  // namespace tug::api::validation
