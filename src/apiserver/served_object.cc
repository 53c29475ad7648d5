#include "apiserver/served_object.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/json_text.h"

namespace tug::apiserver {
namespace {

// A member the splice writes itself: in place of the stored one, or, when the object has none,
// where the key order puts it (as nlohmann::json's sorted objects print it).
struct Written {
  std::string_view key;
  std::string_view value;          // JSON text; written when absent or replaced
  const Written* inner = nullptr;  // when set, the stored value is an object spliced with these
  size_t innerCount = 0;
};

// Writes into a std::string or a std::vector<std::uint8_t> (the encoded body of a reply).
template <class Bytes>
class Splice {
 public:
  explicit Splice(Bytes& out) : out_(out) {}

  // Copies the object at `t`, writing `written` (ascending by key) into it.
  bool object(JsonText& t, const Written* written, size_t count) {
    if (!t.consume('{')) {
      return false;
    }
    put('{');
    bool first = true;
    size_t next = 0;
    if (!t.consume('}')) {
      std::optional<std::string_view> previous;
      do {
        std::string_view key;
        // Ascending keys are what makes "absent" decidable while copying, and rule out a
        // duplicate that a client would read instead of ours.
        if (!t.key(key) || (previous && key <= *previous)) {
          return false;
        }
        previous = key;
        for (; next < count && written[next].key < key; ++next) {
          member(first, written[next].key, written[next].value);
        }
        std::string_view value;
        if (next < count && written[next].key == key) {
          const Written& w = written[next++];
          if (w.inner != nullptr) {
            open(first, key);
            if (!object(t, w.inner, w.innerCount)) {
              return false;
            }
            continue;
          }
          if (!t.value(value)) {
            return false;
          }
          value = w.value;
        } else if (!t.value(value)) {
          return false;
        }
        member(first, key, value);
      } while (t.consume(','));
      if (!t.consume('}')) {
        return false;
      }
    }
    for (; next < count; ++next) {
      member(first, written[next].key, written[next].value);
    }
    put('}');
    return true;
  }

 private:
  void put(char c) { out_.push_back(static_cast<typename Bytes::value_type>(c)); }
  void put(std::string_view s) {
    auto* p = reinterpret_cast<const typename Bytes::value_type*>(s.data());
    out_.insert(out_.end(), p, p + s.size());
  }

  void open(bool& first, std::string_view key) {
    if (!first) {
      put(',');
    }
    first = false;
    put('"');
    put(key);
    put("\":");
  }

  void member(bool& first, std::string_view key, std::string_view value) {
    open(first, key);
    put(value);
  }

  Bytes& out_;
};

// `digits` between `before` and `after`, written into `buf` (large enough for all three).
std::string_view wrapped(char* buf, std::string_view before, std::string_view digits,
                         std::string_view after) {
  char* p = buf;
  for (std::string_view part : {before, digits, after}) {
    p = std::copy(part.begin(), part.end(), p);
  }
  return std::string_view(buf, static_cast<size_t>(p - buf));
}

template <class Bytes>
bool appendServed(Bytes& out, std::string_view text, const ServedIdentity& identity,
                  store::Revision revision) {
  char digits[24];
  const char* end = std::to_chars(digits, digits + sizeof digits, revision).ptr;
  std::string_view number(digits, static_cast<size_t>(end - digits));
  char quoted[32], metadata[64];
  const Written inMetadata[] = {{"resourceVersion", wrapped(quoted, "\"", number, "\"")}};
  // What decodeStored gives an object without metadata: one holding the resourceVersion.
  const Written top[] = {
      {"apiVersion", identity.apiVersion},
      {"kind", identity.kind},
      {"metadata", wrapped(metadata, "{\"resourceVersion\":\"", number, "\"}"), inMetadata, 1}};
  const size_t mark = out.size();
  JsonText t(text);
  if (!Splice<Bytes>(out).object(t, top, std::size(top)) || !t.atEnd()) {
    out.resize(mark);
    return false;
  }
  return true;
}

}  // namespace

ServedIdentity ServedIdentity::of(const api::ResourceInfo& info) {
  return ServedIdentity{nlohmann::json(info.groupVersion()).dump(),
                        nlohmann::json(info.kind).dump()};
}

bool appendServedObject(std::string& out, std::string_view text, const ServedIdentity& identity,
                        store::Revision revision) {
  return appendServed(out, text, identity, revision);
}

bool appendServedObject(std::vector<std::uint8_t>& out, std::string_view text,
                        const ServedIdentity& identity, store::Revision revision) {
  return appendServed(out, text, identity, revision);
}

}  // namespace tug::apiserver
