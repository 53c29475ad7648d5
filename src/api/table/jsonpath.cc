#include "api/table/jsonpath.h"

#include <cctype>
#include <charconv>

namespace tug::api::table {
namespace {

using nlohmann::json;
using Step = JsonPath::Step;

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Result<std::vector<Step>> steps(bool relative) {
    std::vector<Step> out;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (relative && (c == ')' || c == ' ' || c == '=' || c == '!' || c == '<' || c == '>')) {
        break;
      }
      if (c == '.') {
        ++pos_;
        if (pos_ < s_.size() && s_[pos_] == '.') {
          return error("recursive descent (..) is not supported");
        }
        if (pos_ < s_.size() && s_[pos_] == '*') {
          ++pos_;
          out.push_back(Step{Step::Kind::kWildcard});
          continue;
        }
        if (pos_ < s_.size() && s_[pos_] == '[') {
          continue;  // ".[0]" reads as "[0]"
        }
        std::string name = identifier();
        if (name.empty()) {
          if (pos_ == s_.size() && out.empty()) {
            break;  // "." alone: the root itself
          }
          return error("a field name is missing");
        }
        out.push_back(Step{Step::Kind::kField, std::move(name)});
      } else if (c == '[') {
        auto step = bracket();
        if (!step.ok()) {
          return step.status();
        }
        out.push_back(std::move(*step));
      } else {
        return error(std::string("unexpected character '") + c + "'");
      }
    }
    return out;
  }

  size_t pos() const { return pos_; }

 private:
  Status error(const std::string& what) const {
    return invalid(what + " at position " + std::to_string(pos_) + " of \"" + std::string(s_) +
                   "\"");
  }

  // Field names run to the next '.', '[' or filter operator; "\." escapes a dot.
  std::string identifier() {
    std::string out;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '\\' && pos_ + 1 < s_.size()) {
        out += s_[pos_ + 1];
        pos_ += 2;
        continue;
      }
      if (c == '.' || c == '[' || c == ']' || c == ')' || c == '=' || c == '!' || c == '<' ||
          c == '>' || std::isspace(static_cast<unsigned char>(c))) {
        break;
      }
      out += c;
      ++pos_;
    }
    return out;
  }

  void skipSpaces() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) {
      ++pos_;
    }
  }

  Result<std::string> quoted() {
    char quote = s_[pos_++];
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != quote) {
      if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) {
        ++pos_;
      }
      out += s_[pos_++];
    }
    if (pos_ == s_.size()) {
      return error("unterminated string");
    }
    ++pos_;
    return out;
  }

  Result<Step> bracket() {
    ++pos_;  // '['
    skipSpaces();
    if (pos_ >= s_.size()) {
      return error("unterminated [");
    }
    Step step;
    char c = s_[pos_];
    if (c == '*') {
      ++pos_;
      step.kind = Step::Kind::kWildcard;
    } else if (c == '\'' || c == '"') {
      auto name = quoted();
      if (!name.ok()) {
        return name.status();
      }
      step.kind = Step::Kind::kField;
      step.name = std::move(*name);
    } else if (c == '?') {
      auto f = filter();
      if (!f.ok()) {
        return f.status();
      }
      step.kind = Step::Kind::kFilter;
      step.filter.push_back(std::move(*f));
    } else {
      size_t start = pos_;
      while (pos_ < s_.size() && (s_[pos_] == '-' || std::isdigit(static_cast<unsigned char>(s_[pos_])))) {
        ++pos_;
      }
      auto [ptr, ec] = std::from_chars(s_.data() + start, s_.data() + pos_, step.index);
      if (ec != std::errc() || ptr != s_.data() + pos_ || start == pos_) {
        return error("an index, *, a quoted name or a filter is expected");
      }
      step.kind = Step::Kind::kIndex;
    }
    skipSpaces();
    if (pos_ >= s_.size() || s_[pos_] != ']') {
      return error("] is missing");
    }
    ++pos_;
    return step;
  }

  Result<JsonPath::Filter> filter() {
    ++pos_;  // '?'
    if (pos_ >= s_.size() || s_[pos_] != '(') {
      return error("( is missing after ?");
    }
    ++pos_;
    skipSpaces();
    if (pos_ >= s_.size() || s_[pos_] != '@') {
      return error("a filter must start with @");
    }
    ++pos_;
    JsonPath::Filter f;
    auto path = steps(true);
    if (!path.ok()) {
      return path.status();
    }
    f.path = std::move(*path);
    skipSpaces();
    for (const char* op : {"==", "!=", "<=", ">=", "<", ">"}) {
      if (s_.substr(pos_, std::string_view(op).size()) == op) {
        f.op = op;
        pos_ += f.op.size();
        break;
      }
    }
    if (!f.op.empty()) {
      skipSpaces();
      auto lit = literal();
      if (!lit.ok()) {
        return lit.status();
      }
      f.literal = std::move(*lit);
      skipSpaces();
    }
    if (pos_ >= s_.size() || s_[pos_] != ')') {
      return error(") is missing");
    }
    ++pos_;
    return f;
  }

  Result<json> literal() {
    if (pos_ >= s_.size()) {
      return error("a value is missing");
    }
    char c = s_[pos_];
    if (c == '\'' || c == '"') {
      auto s = quoted();
      if (!s.ok()) {
        return s.status();
      }
      return json(std::move(*s));
    }
    size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] != ')' &&
           !std::isspace(static_cast<unsigned char>(s_[pos_]))) {
      ++pos_;
    }
    std::string word(s_.substr(start, pos_ - start));
    if (word == "true" || word == "false") {
      return json(word == "true");
    }
    if (word == "null") {
      return json(nullptr);
    }
    json number = json::parse(word, nullptr, false);
    if (number.is_discarded() || !number.is_number()) {
      pos_ = start;
      return error("a string, number, boolean or null is expected");
    }
    return number;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

void apply(const Step& step, const json& node, std::vector<const json*>& out);

std::vector<const json*> walk(const std::vector<Step>& steps, const json& root) {
  std::vector<const json*> current{&root};
  for (const Step& step : steps) {
    std::vector<const json*> next;
    for (const json* node : current) {
      apply(step, *node, next);
    }
    current = std::move(next);
  }
  return current;
}

bool compare(const json& a, const std::string& op, const json& b) {
  if (a.is_number() && b.is_number()) {
    double x = a.get<double>(), y = b.get<double>();
    return op == "==" ? x == y : op == "!=" ? x != y : op == "<" ? x < y : op == "<=" ? x <= y
                                                     : op == ">" ? x > y : x >= y;
  }
  if (op == "==") {
    return a == b;
  }
  if (op == "!=") {
    return a != b;
  }
  if (a.is_string() && b.is_string()) {
    const std::string &x = a.get_ref<const std::string&>(), &y = b.get_ref<const std::string&>();
    return op == "<" ? x < y : op == "<=" ? x <= y : op == ">" ? x > y : x >= y;
  }
  return false;
}

bool matches(const JsonPath::Filter& f, const json& element) {
  std::vector<const json*> found = walk(f.path, element);
  if (f.op.empty()) {
    return !found.empty();
  }
  for (const json* v : found) {
    if (compare(*v, f.op, f.literal)) {
      return true;
    }
  }
  return false;
}

void apply(const Step& step, const json& node, std::vector<const json*>& out) {
  switch (step.kind) {
    case Step::Kind::kField:
      if (node.is_object()) {
        if (auto it = node.find(step.name); it != node.end()) {
          out.push_back(&*it);
        }
      }
      return;
    case Step::Kind::kIndex:
      if (node.is_array()) {
        int64_t n = static_cast<int64_t>(node.size());
        int64_t i = step.index < 0 ? n + step.index : step.index;
        if (i >= 0 && i < n) {
          out.push_back(&node[static_cast<size_t>(i)]);
        }
      }
      return;
    case Step::Kind::kWildcard:
      if (node.is_array() || node.is_object()) {
        for (const json& child : node) {
          out.push_back(&child);
        }
      }
      return;
    case Step::Kind::kFilter:
      if (node.is_array()) {
        for (const json& child : node) {
          if (matches(step.filter[0], child)) {
            out.push_back(&child);
          }
        }
      }
      return;
  }
}

}  // namespace

Result<JsonPath> JsonPath::parse(std::string_view expr) {
  std::string_view body = expr;
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) {
    body.remove_prefix(1);
  }
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) {
    body.remove_suffix(1);
  }
  if (body.size() >= 2 && body.front() == '{' && body.back() == '}') {
    body = body.substr(1, body.size() - 2);
  }
  if (!body.empty() && body.front() == '$') {
    body.remove_prefix(1);
  }
  if (body.empty()) {
    return invalid("an empty JSONPath selects nothing");
  }
  if (body.front() != '.' && body.front() != '[') {
    return invalid("a JSONPath must start with . or [: \"" + std::string(expr) + "\"");
  }
  Parser parser(body);
  auto steps = parser.steps(false);
  if (!steps.ok()) {
    return steps.status();
  }
  JsonPath p;
  p.text_ = std::string(expr);
  p.steps_ = std::move(*steps);
  return p;
}

std::vector<const nlohmann::json*> JsonPath::evaluate(const nlohmann::json& root) const {
  return walk(steps_, root);
}

}  // namespace tug::api::table
