#include "common/json_text.h"

#include <array>
#include <cstring>
#include <string_view>

namespace tug {
namespace {

enum Byte : unsigned char { kOther, kQuote, kOpen, kClose, kScalar };

// What each byte means to the skipper: strings and brackets steer it; the bytes of numbers and
// of true/false/null may form a scalar; everything else is content inside a nested value.
constexpr std::array<Byte, 256> byteTable() {
  std::array<Byte, 256> t{};
  for (unsigned char c : std::string_view("0123456789+-.eEtruefalsn")) {
    t[c] = kScalar;
  }
  t['"'] = kQuote;
  t['{'] = t['['] = kOpen;
  t['}'] = t[']'] = kClose;
  return t;
}
constexpr std::array<Byte, 256> kBytes = byteTable();

Byte kind(char c) { return kBytes[static_cast<unsigned char>(c)]; }

// Bytes that end a run of plain string content: the closing quote and the escape character.
constexpr std::array<bool, 256> stringStops() {
  std::array<bool, 256> t{};
  t['"'] = t['\\'] = true;
  return t;
}
constexpr std::array<bool, 256> kStringStops = stringStops();

// Just past the closing quote of the string whose contents start at `p`; nullptr when it is
// never closed. Strings in stored objects are mostly short (field names, managedFields keys),
// so a byte loop beats a library search that pays its set-up per string.
const char* stringEnd(const char* p, const char* end) {
  while (true) {
    while (p < end && !kStringStops[static_cast<unsigned char>(*p)]) {
      ++p;
    }
    if (p >= end) {
      return nullptr;
    }
    if (*p == '"') {
      return p + 1;
    }
    if (end - p < 2) {
      return nullptr;
    }
    p += 2;  // the backslash and the byte it escapes; a \uXXXX escape holds no quote
  }
}

// Past the object or array whose opening bracket is at `p`; nullptr when it does not close
// properly within kMaxDepth levels.
const char* nestedEnd(const char* p, const char* end) {
  std::array<char, JsonText::kMaxDepth> closers;
  size_t depth = 0;
  while (p < end) {
    switch (kind(*p)) {
      case kQuote:
        p = stringEnd(p + 1, end);
        if (p == nullptr) {
          return nullptr;
        }
        continue;
      case kOpen:
        if (depth == closers.size()) {
          return nullptr;
        }
        closers[depth++] = *p == '{' ? '}' : ']';
        break;
      case kClose:
        if (depth == 0 || closers[depth - 1] != *p) {
          return nullptr;
        }
        if (--depth == 0) {
          return p + 1;
        }
        break;
      case kOther:
      case kScalar:
        break;
    }
    ++p;
  }
  return nullptr;
}

}  // namespace

bool JsonText::key(std::string_view& out) {
  if (!consume('"')) {
    return false;
  }
  auto* quote = static_cast<const char*>(std::memchr(p_, '"', static_cast<size_t>(end_ - p_)));
  if (quote == nullptr || std::memchr(p_, '\\', static_cast<size_t>(quote - p_)) != nullptr) {
    return false;
  }
  out = std::string_view(p_, static_cast<size_t>(quote - p_));
  p_ = quote + 1;
  return consume(':');
}

bool JsonText::value(std::string_view& out) {
  const char* start = p_;
  if (p_ == end_) {
    return false;
  }
  switch (kind(*p_)) {
    case kQuote:
      p_ = stringEnd(p_ + 1, end_);
      break;
    case kOpen:
      p_ = nestedEnd(p_, end_);
      break;
    case kScalar:
      while (p_ < end_ && kind(*p_) == kScalar) {
        ++p_;
      }
      break;
    case kClose:
    case kOther:
      return false;
  }
  if (p_ == nullptr) {
    p_ = start;
    return false;
  }
  out = std::string_view(start, static_cast<size_t>(p_ - start));
  return true;
}

}  // namespace tug
