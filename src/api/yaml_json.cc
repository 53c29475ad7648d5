#include "api/yaml_json.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <istream>
#include <optional>
#include <streambuf>
#include <string>
#include <vector>

namespace tug::api {
namespace {

using nlohmann::json;

// Thrown inside the event handler to stop the parser; caught in yamlToJson.
struct ConvertError {
  int line;  // 0-based, as yaml-cpp counts
  std::string message;
};

// ---- Scalar resolution: go-yaml v2's resolve() for untagged plain scalars. ----

// Go's strconv.ParseUint(s, 0, 64) on text without a sign: 0x/0o/0b prefixes, a leading 0 for
// octal, otherwise decimal. Fails on an empty digit string, a bad digit or overflow.
std::optional<uint64_t> parseGoUnsigned(std::string_view s) {
  int base = 10;
  if (s.size() >= 2 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') {
      base = 16, s.remove_prefix(2);
    } else if (p == 'o' || p == 'O') {
      base = 8, s.remove_prefix(2);
    } else if (p == 'b' || p == 'B') {
      base = 2, s.remove_prefix(2);
    } else {
      base = 8, s.remove_prefix(1);
    }
  }
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Go's strconv.ParseInt(s, 0, 64): an optional sign, then as parseGoUnsigned, within int64.
std::optional<int64_t> parseGoSigned(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  auto magnitude = parseGoUnsigned(s);
  if (!magnitude) return std::nullopt;
  if (negative) {
    if (*magnitude > uint64_t{1} << 63) return std::nullopt;
    return static_cast<int64_t>(0 - *magnitude);
  }
  if (*magnitude > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(*magnitude);
}

// go-yaml's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool isYamlStyleFloat(std::string_view s) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  } else {
    if (!digits()) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// Go's strconv.ParseFloat for decimal text; out of range fails, as Go reports an error then.
std::optional<double> parseDecimalFloat(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// A float as Go's encoding/json would write it, read back: integral values become integers.
json floatToJson(double v) {
  if (std::trunc(v) == v && std::fabs(v) < 9.2e18) return static_cast<int64_t>(v);
  return v;
}

// The special words of YAML 1.1 that go-yaml v2 resolves. NaN and infinities are listed so that
// they fail: encoding/json cannot write them.
std::optional<json> resolveWord(std::string_view s, int line) {
  static constexpr std::string_view kTrue[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                               "True", "TRUE", "on",  "On",  "ON"};
  static constexpr std::string_view kFalse[] = {"n",     "N",     "no",  "No",  "NO", "false",
                                                "False", "FALSE", "off", "Off", "OFF"};
  static constexpr std::string_view kNull[] = {"", "~", "null", "Null", "NULL"};
  static constexpr std::string_view kNan[] = {".nan", ".NaN", ".NAN"};
  static constexpr std::string_view kInf[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"};
  static constexpr std::string_view kNegInf[] = {"-.inf", "-.Inf", "-.INF"};
  auto in = [&](const auto& words) {
    for (std::string_view w : words) {
      if (w == s) return true;
    }
    return false;
  };
  if (in(kTrue)) return json(true);
  if (in(kFalse)) return json(false);
  if (in(kNull)) return json(nullptr);
  if (in(kNan)) throw ConvertError{line, "json: unsupported value: NaN"};
  if (in(kInf)) throw ConvertError{line, "json: unsupported value: +Inf"};
  if (in(kNegInf)) throw ConvertError{line, "json: unsupported value: -Inf"};
  return std::nullopt;
}

// Numbers by go-yaml v2's rules: only text starting with a digit, a sign or a dot is tried.
std::optional<json> resolveNumber(std::string_view s) {
  if (s.empty()) return std::nullopt;
  char c = s[0];
  if (c == '.') {
    if (auto f = parseDecimalFloat(s)) return floatToJson(*f);
    return std::nullopt;
  }
  if (!(c == '+' || c == '-' || (c >= '0' && c <= '9'))) return std::nullopt;
  std::string plain;
  plain.reserve(s.size());
  for (char ch : s) {
    if (ch != '_') plain.push_back(ch);
  }
  if (auto i = parseGoSigned(plain)) return json(*i);
  if (c != '+' && c != '-') {
    if (auto u = parseGoUnsigned(plain)) return json(*u);
  }
  if (isYamlStyleFloat(plain)) {
    if (auto f = parseDecimalFloat(plain)) return floatToJson(*f);
  }
  return std::nullopt;
}

json resolvePlain(const std::string& value, int line) {
  if (auto word = resolveWord(value, line)) return *word;
  if (auto number = resolveNumber(value)) return *number;
  return value;
}

// A scalar with an explicit tag (yaml-cpp spells !!int as tag:yaml.org,2002:int).
json resolveTagged(const std::string& tag, const std::string& value, int line) {
  static const std::string kCore = "tag:yaml.org,2002:";
  if (tag.rfind(kCore, 0) != 0) return value;  // "!" (quoted) and local tags: strings
  std::string_view name = std::string_view(tag).substr(kCore.size());
  if (name == "null") return nullptr;
  if (name == "bool" || name == "int" || name == "float") {
    json resolved = resolvePlain(value, line);
    bool fits = (name == "bool" && resolved.is_boolean()) ||
                (name == "int" && resolved.is_number_integer()) ||
                (name == "float" && resolved.is_number());
    if (!fits) {
      throw ConvertError{line, "cannot decode `" + value + "` as a !!" + std::string(name)};
    }
    return resolved;
  }
  return value;  // !!str, !!binary, !!timestamp and others stay text
}

// sigs.k8s.io/yaml turns every resolved key into a string; only null has no spelling.
std::string keyString(const json& key, int line) {
  if (key.is_string()) return key.get<std::string>();
  if (key.is_boolean()) return key.get<bool>() ? "true" : "false";
  if (key.is_number_integer() || key.is_number_unsigned()) return key.dump();
  if (key.is_number_float()) {
    // Go formats float keys with 32-bit precision, shortest form.
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<float>(key.get<double>()));
    return ec == std::errc() ? std::string(buf, end) : key.dump();
  }
  throw ConvertError{line, "unsupported map key: " + key.dump()};
}

// ---- Building JSON from yaml-cpp's events. ----

class JsonBuilder : public YAML::EventHandler {
 public:
  explicit JsonBuilder(size_t nodeBudget) : budget_(nodeBudget) {}

  bool done() const { return done_; }
  json take() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    addValue(mark.line, nullptr, anchor, 1, /*mergeKey=*/false);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor >= anchors_.size() || !anchors_[anchor]) {
      throw ConvertError{mark.line, "unknown anchor referenced"};
    }
    const Anchored& a = *anchors_[anchor];
    addValue(mark.line, a.value, 0, a.nodes, false);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    bool plain = tag == "?" || tag.empty();
    json v = plain ? resolvePlain(value, mark.line) : resolveTagged(tag, value, mark.line);
    addValue(mark.line, std::move(v), anchor, 1, plain && value == "<<");
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark.line, json::array(), anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark.line, json::object(), anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    json value;  // the array or object being filled
    YAML::anchor_t anchor;
    size_t nodesAtStart;
    int line;
    // Maps only: the key read and waiting for its value.
    bool haveKey = false;
    bool keyIsMerge = false;
    std::string key;
  };
  struct Anchored {
    json value;
    size_t nodes;
  };

  void count(int line, size_t n) {
    nodes_ += n;
    if (nodes_ > budget_) throw ConvertError{line, "document contains excessive aliasing"};
  }

  void open(int line, json container, YAML::anchor_t anchor) {
    if (!stack_.empty() && stack_.back().value.is_object() && !stack_.back().haveKey) {
      throw ConvertError{line, "unsupported map key: a map or sequence cannot be a key"};
    }
    if (static_cast<int>(stack_.size()) >= kMaxYamlDepth) {
      throw ConvertError{line, "exceeded max depth of " + std::to_string(kMaxYamlDepth)};
    }
    count(line, 1);
    stack_.push_back(Frame{std::move(container), anchor, nodes_ - 1, line});
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    addValue(f.line, std::move(f.value), f.anchor, nodes_ - f.nodesAtStart, false,
             /*counted=*/true);
  }

  void remember(YAML::anchor_t anchor, const json& value, size_t nodes) {
    if (anchor == 0) return;
    if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
    anchors_[anchor] = Anchored{value, nodes};
  }

  // Places a finished node: as the document, a sequence item, a map key or a map value.
  void addValue(int line, json value, YAML::anchor_t anchor, size_t nodes, bool mergeKey,
                bool counted = false) {
    if (!counted) count(line, nodes);
    remember(anchor, value, nodes);
    if (stack_.empty()) {
      root_ = std::move(value);
      done_ = true;
      return;
    }
    Frame& top = stack_.back();
    if (top.value.is_array()) {
      top.value.push_back(std::move(value));
      return;
    }
    if (!top.haveKey) {
      top.haveKey = true;
      top.keyIsMerge = mergeKey;
      if (!mergeKey) top.key = keyString(value, line);
      return;
    }
    top.haveKey = false;
    if (top.keyIsMerge) {
      merge(line, top.value, value);
    } else {
      top.value[top.key] = std::move(value);
    }
  }

  // go-yaml's `<<`: a map's entries are set into the target; with a sequence of maps the
  // earlier maps win, so they are applied last.
  static void merge(int line, json& target, const json& source) {
    auto mergeOne = [&](const json& m) {
      if (!m.is_object()) {
        throw ConvertError{line, "map merge requires map or sequence of maps as the value"};
      }
      for (auto it = m.begin(); it != m.end(); ++it) target[it.key()] = it.value();
    };
    if (source.is_array()) {
      for (auto it = source.rbegin(); it != source.rend(); ++it) mergeOne(*it);
    } else {
      mergeOne(source);
    }
  }

  size_t budget_;
  size_t nodes_ = 0;
  std::vector<Frame> stack_;
  std::vector<std::optional<Anchored>> anchors_;
  json root_;
  bool done_ = false;
};

// Reads a string_view as an istream without copying it.
class ViewBuf : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view s) {
    char* p = const_cast<char*>(s.data());
    setg(p, p, p + s.size());
  }
};

// Takes the events of a second document and only notes whether it holds anything.
class EmptinessProbe : public YAML::EventHandler {
 public:
  bool empty = true;
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { empty = false; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    empty = false;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    empty = false;
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    empty = false;
  }
  void OnMapEnd() override {}
};

Status conversionError(int line, const std::string& message) {
  std::string where = line >= 0 ? "line " + std::to_string(line + 1) + ": " : "";
  return badRequest("error converting YAML to JSON: yaml: " + where + message);
}

}  // namespace

Result<nlohmann::json> yamlToJson(std::string_view text) {
  ViewBuf buf(text);
  std::istream in(&buf);
  // Aliases may repeat subtrees; a document without them has fewer nodes than bytes.
  JsonBuilder builder(text.size() + 10000);
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(builder)) return nlohmann::json(nullptr);
    EmptinessProbe probe;
    while (parser.HandleNextDocument(probe)) {
      if (!probe.empty) return conversionError(-1, "multiple YAML documents are not supported");
    }
  } catch (const ConvertError& e) {
    return conversionError(e.line, e.message);
  } catch (const YAML::DeepRecursion& e) {
    return conversionError(e.mark.line, "exceeded max depth");
  } catch (const YAML::Exception& e) {
    return conversionError(e.mark.is_null() ? -1 : e.mark.line, e.msg);
  } catch (const std::exception& e) {
    return conversionError(-1, e.what());
  }
  return builder.take();
}

}  // namespace tug::api
