#include "auth/field_selector.h"

#include <algorithm>
#include <vector>

namespace tug::auth {
namespace {

// Terms end at commas that no backslash escapes.
std::vector<std::string> splitTerms(std::string_view s) {
  std::vector<std::string> terms;
  if (s.empty()) {
    return terms;
  }
  size_t start = 0;
  bool escaped = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (escaped) {
      escaped = false;
    } else if (s[i] == '\\') {
      escaped = true;
    } else if (s[i] == ',') {
      terms.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  terms.emplace_back(s.substr(start));
  return terms;
}

struct Term {
  std::string field, op, value;
};

// The first operator found from the left wins; at one position "!=" and "==" are tried
// before "=".
std::optional<Term> splitTerm(std::string_view term) {
  for (size_t i = 0; i < term.size(); ++i) {
    for (std::string_view op : {"!=", "==", "="}) {
      if (term.substr(i, op.size()) == op) {
        return Term{std::string(term.substr(0, i)), std::string(op),
                    std::string(term.substr(i + op.size()))};
      }
    }
  }
  return std::nullopt;
}

Result<std::string> unescapeValue(std::string_view s) {
  std::string out;
  bool escaped = false;
  for (char c : s) {
    if (escaped) {
      if (c != '\\' && c != ',' && c != '=') {
        return badRequest(std::string("invalid field selector: invalid escape sequence: \\") + c);
      }
      out += c;
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == ',' || c == '=') {
      return badRequest(std::string("invalid field selector: unescaped ") + c);
    } else {
      out += c;
    }
  }
  if (escaped) {
    return badRequest("invalid field selector: invalid escape sequence: \\");
  }
  return out;
}

}  // namespace

Result<std::optional<std::string>> requiredFieldValue(std::string_view selector,
                                                      std::string_view field) {
  std::vector<std::string> terms = splitTerms(selector);
  // Upstream sorts the terms, so with two `metadata.name=` terms the smaller value is the one.
  std::sort(terms.begin(), terms.end());
  std::optional<std::string> found;
  for (const std::string& t : terms) {
    if (t.empty()) {
      continue;
    }
    std::optional<Term> term = splitTerm(t);
    if (!term) {
      return badRequest("invalid selector: '" + std::string(selector) + "'; can't understand '" +
                        t + "'");
    }
    Result<std::string> value = unescapeValue(term->value);
    if (!value.ok()) {
      return value.status();
    }
    if (!found && term->op != "!=" && term->field == field) {
      found = *value;
    }
  }
  return found;
}

}  // namespace tug::auth
