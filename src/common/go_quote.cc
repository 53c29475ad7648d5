#include "common/go_quote.h"

#include <cstdint>
#include <cstdio>

namespace tug {
namespace {

// The length of the UTF-8 sequence at s[i] and its code point; 0 when it is not valid UTF-8
// (overlong forms and surrogates included, as Go's decoder rejects them).
size_t decodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  size_t len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
  if (len == 0 || i + len > s.size()) {
    return 0;
  }
  uint32_t c = b & (0x7f >> len);
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) {
      return 0;
    }
    c = (c << 6) | (byte(i + k) & 0x3f);
  }
  if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
      (c >= 0xd800 && c <= 0xdfff)) {
    return 0;
  }
  *cp = c;
  return len;
}

// Go's strconv.IsPrint for the code points outside ASCII that names can plausibly hold; the
// full Unicode tables are not worth carrying for error messages.
bool isPrint(uint32_t c) {
  return !(c < 0xa1 || c == 0xad || (c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f) ||
           (c >= 0x205f && c <= 0x206f) || c == 0x3000 || (c >= 0xe000 && c <= 0xf8ff) ||
           c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb));
}

void appendHex(std::string& out, const char* format, uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, format, static_cast<unsigned>(value));
  out += buf;
}

}  // namespace

std::string goQuote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (b >= 0x80) {
      uint32_t cp = 0;
      size_t len = decodeUtf8(s, i, &cp);
      if (len == 0) {
        appendHex(out, "\\x%02x", b);
        ++i;
      } else if (isPrint(cp)) {
        out.append(s.substr(i, len));
        i += len;
      } else {
        appendHex(out, cp < 0x10000 ? "\\u%04x" : "\\U%08x", cp);
        i += len;
      }
      continue;
    }
    switch (b) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (b < 0x20 || b == 0x7f) {
          appendHex(out, "\\x%02x", b);
        } else {
          out += static_cast<char>(b);
        }
    }
    ++i;
  }
  return out + "\"";
}

std::string goQuote(const std::vector<std::string>& list) {
  std::string out = "[";
  for (size_t i = 0; i < list.size(); ++i) {
    out += (i == 0 ? "" : " ") + goQuote(list[i]);
  }
  return out + "]";
}

}  // namespace tug
