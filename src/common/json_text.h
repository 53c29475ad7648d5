#pragma once

#include <cstddef>
#include <string_view>

// A cursor over JSON text in the compact form nlohmann::json::dump() writes (no whitespace
// between tokens), for code that copies most of a stored object as it is and looks at only a
// few of its members. Nothing is decoded: values are found, not parsed.
//
// What it checks of a value it skips is structure only: strings are closed, brackets pair up,
// a scalar is a run of the characters numbers and true/false/null are made of. It does not
// check escapes, UTF-8 or the spelling of numbers and literals; text that tug wrote with
// nlohmann::json is valid in those respects already.
namespace tug {

class JsonText {
 public:
  explicit JsonText(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  // True (and past it) when the next byte is `c`.
  bool consume(char c) {
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }

  // Reads `"key":` and yields the key as written between its quotes. False for anything else,
  // including a key with an escape (its bytes would not be the key's).
  bool key(std::string_view& out);

  // Skips one value (object, array, string or scalar) and yields its text. False when the
  // text is not a value by the checks above, or nests deeper than kMaxDepth.
  bool value(std::string_view& out);

  bool atEnd() const { return p_ == end_; }

  // Deeper objects are rare enough that their readers can take the parser's path.
  static constexpr size_t kMaxDepth = 512;

 private:
  const char* p_;
  const char* end_;
};

// Calls visit(key, value) for each member of the JSON object `text`, in order. False when the
// text is not one compact object (visit may have been called for some members by then) or when
// visit returns false.
template <class Visit>
bool forEachMember(std::string_view text, Visit&& visit) {
  JsonText t(text);
  if (!t.consume('{')) {
    return false;
  }
  if (!t.consume('}')) {
    do {
      std::string_view k, v;
      if (!t.key(k) || !t.value(v) || !visit(k, v)) {
        return false;
      }
    } while (t.consume(','));
    if (!t.consume('}')) {
      return false;
    }
  }
  return t.atEnd();
}

}  // namespace tug
