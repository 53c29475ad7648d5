#include "api/validation/name_rules.h"

namespace tug::api::validation {
namespace {

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool isAlnum(char c) { return isLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool matchesLabel(std::string_view v) {
  if (v.empty() || !isLowerAlnum(v.front()) || !isLowerAlnum(v.back())) {
    return false;
  }
  for (char c : v) {
    if (!isLowerAlnum(c) && c != '-') {
      return false;
    }
  }
  return true;
}

// Labels joined by dots.
bool matchesSubdomain(std::string_view v) {
  size_t start = 0;
  while (true) {
    size_t dot = v.find('.', start);
    std::string_view part = v.substr(start, dot == std::string_view::npos ? v.npos : dot - start);
    if (!matchesLabel(part)) {
      return false;
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    start = dot + 1;
  }
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool matchesQualifiedPart(std::string_view v) {
  if (v.empty() || !isAlnum(v.front()) || !isAlnum(v.back())) {
    return false;
  }
  for (char c : v) {
    if (!isAlnum(c) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

// Go's validation messages list examples as "(e.g. 'a',  or 'b', regex used ...)".
std::string regexError(std::string msg, std::string_view fmt,
                       std::initializer_list<std::string_view> examples) {
  if (examples.size() == 0) {
    return msg + " (regex used for validation is '" + std::string(fmt) + "')";
  }
  msg += " (e.g. ";
  bool first = true;
  for (auto e : examples) {
    if (!first) {
      msg += " or ";
    }
    msg += "'" + std::string(e) + "', ";
    first = false;
  }
  return msg + "regex used for validation is '" + std::string(fmt) + "')";
}

constexpr std::string_view kLabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kSubdomainFmt =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view kQualifiedFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr std::string_view kQualifiedMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";

std::string subdomainRegexError() {
  return regexError(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
      "or '.', and must start and end with an alphanumeric character",
      kSubdomainFmt, {"example.com"});
}

// A generateName may end in '-': check it as if the dash were a letter.
std::string maskTrailingDash(std::string_view name) {
  std::string s(name);
  if (s.size() > 1 && s.back() == '-') {
    s.back() = 'a';
  }
  return s;
}

}  // namespace

std::string maxLenError(size_t n) {
  return "must be no more than " + std::to_string(n) + " characters";
}

std::string inclusiveRangeError(long long lo, long long hi) {
  return "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", inclusive";
}

Reasons dns1123Label(std::string_view value) {
  Reasons r;
  if (value.size() > 63) {
    r.push_back(maxLenError(63));
  }
  if (!matchesLabel(value)) {
    if (matchesSubdomain(value)) {
      r.push_back("must not contain dots");
    } else {
      r.push_back(regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
          "'-', and must start and end with an alphanumeric character",
          kLabelFmt, {"my-name", "123-abc"}));
    }
  }
  return r;
}

Reasons dns1123Subdomain(std::string_view value) {
  Reasons r;
  if (value.size() > 253) {
    r.push_back(maxLenError(253));
  }
  if (!matchesSubdomain(value)) {
    r.push_back(subdomainRegexError());
  }
  return r;
}

Reasons dns1035Label(std::string_view value) {
  Reasons r;
  if (value.size() > 63) {
    r.push_back(maxLenError(63));
  }
  if (!matchesLabel(value) || !(value.front() >= 'a' && value.front() <= 'z')) {
    r.push_back(regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
        "with an alphabetic character, and end with an alphanumeric character",
        "[a-z]([-a-z0-9]*[a-z0-9])?", {"my-name", "abc-123"}));
  }
  return r;
}

Reasons qualifiedName(std::string_view value) {
  Reasons r;
  std::string_view name = value;
  size_t slash = value.find('/');
  if (slash != std::string_view::npos) {
    if (value.find('/', slash + 1) != std::string_view::npos) {
      r.push_back("a qualified name " +
                  regexError(std::string(kQualifiedMsg), kQualifiedFmt,
                             {"MyName", "my.name", "123-abc"}) +
                  " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return r;
    }
    std::string_view prefix = value.substr(0, slash);
    name = value.substr(slash + 1);
    if (prefix.empty()) {
      r.push_back("prefix part must be non-empty");
    } else {
      for (auto& m : dns1123Subdomain(prefix)) {
        r.push_back("prefix part " + m);
      }
    }
  }
  if (name.empty()) {
    r.push_back("name part must be non-empty");
  } else if (name.size() > 63) {
    r.push_back("name part " + maxLenError(63));
  }
  if (!matchesQualifiedPart(name)) {
    r.push_back("name part " + regexError(std::string(kQualifiedMsg), kQualifiedFmt,
                                          {"MyName", "my.name", "123-abc"}));
  }
  return r;
}

Reasons labelValue(std::string_view value) {
  Reasons r;
  if (value.size() > 63) {
    r.push_back(maxLenError(63));
  }
  if (!value.empty() && !matchesQualifiedPart(value)) {
    r.push_back(regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
        "or '.', and must start and end with an alphanumeric character",
        "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?", {"MyValue", "my_value", "12345"}));
  }
  return r;
}

Reasons configMapKey(std::string_view value) {
  Reasons r;
  if (value.size() > 253) {
    r.push_back(maxLenError(253));
  }
  bool ok = !value.empty();
  for (char c : value) {
    ok = ok && (isAlnum(c) || c == '-' || c == '_' || c == '.');
  }
  if (!ok) {
    r.push_back(regexError("a valid config key must consist of alphanumeric characters, '-', "
                           "'_' or '.'",
                           "[-._a-zA-Z0-9]+", {"key.name", "KEY_NAME", "key-name"}));
  }
  if (value == ".") {
    r.push_back("must not be '.'");
  } else if (value == "..") {
    r.push_back("must not be '..'");
  } else if (value.substr(0, 2) == "..") {
    r.push_back("must not start with '..'");
  }
  return r;
}

Reasons portName(std::string_view value) {
  Reasons r;
  if (value.size() > 15) {
    r.push_back(maxLenError(15));
  }
  bool charset = !value.empty();
  bool letter = false;
  for (char c : value) {
    charset = charset && (isLowerAlnum(c) || c == '-');
    letter = letter || (c >= 'a' && c <= 'z');
  }
  if (!charset) {
    r.push_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  }
  if (!letter) {
    r.push_back("must contain at least one letter (a-z)");
  }
  if (value.find("--") != std::string_view::npos) {
    r.push_back("must not contain consecutive hyphens");
  }
  if (!value.empty() && (value.front() == '-' || value.back() == '-')) {
    r.push_back("must not begin or end with a hyphen");
  }
  return r;
}

Reasons envVarName(std::string_view value) {
  Reasons r;
  if (value.empty()) {
    r.push_back("environment variable name must be non-empty");
  }
  for (char c : value) {
    if (c < 0x20 || c > 0x7e || c == '=') {
      r.push_back(
          "a valid environment variable name must consist only of printable ASCII characters "
          "other than '='");
      break;
    }
  }
  return r;
}

Reasons wildcardDns1123Subdomain(std::string_view value) {
  Reasons r;
  if (value.size() > 253) {
    r.push_back(maxLenError(253));
  }
  if (value.substr(0, 2) != "*." || !matchesSubdomain(value.substr(2))) {
    r.push_back(regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
        "which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
        "alphanumeric character",
        "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
        {"*.example.com"}));
  }
  return r;
}

Reasons pathSegmentName(std::string_view name, bool prefix) {
  Reasons r;
  if (!prefix && (name == "." || name == "..")) {
    r.push_back("may not be '" + std::string(name) + "'");
    return r;
  }
  for (char bad : {'/', '%'}) {
    if (name.find(bad) != std::string_view::npos) {
      r.push_back("may not contain '" + std::string(1, bad) + "'");
    }
  }
  return r;
}

Reasons checkName(NameRule rule, std::string_view name, bool prefix) {
  std::string value = prefix ? maskTrailingDash(name) : std::string(name);
  switch (rule) {
    case NameRule::kDns1123Subdomain: return dns1123Subdomain(value);
    case NameRule::kDns1123Label: return dns1123Label(value);
    case NameRule::kDns1035Label: return dns1035Label(value);
    case NameRule::kPathSegment: return pathSegmentName(name, prefix);
  }
  return {};
}

}  // namespace tug::api::validation
