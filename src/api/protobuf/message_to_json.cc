#include "api/protobuf/message_to_json.h"

#include <string>

#include "api/protobuf/go_format.h"
#include "api/protobuf/proto_lookup.h"
#include "api/protobuf/wire_reader.h"
#include "common/base64.h"

namespace tug::api::protobuf {
namespace {

using nlohmann::json;

// Thrown inside the walk and caught in messageToJson: the walk is recursive and every level
// would otherwise repeat the same error plumbing.
struct DecodeError {
  std::string message;
};

// time.Time{}.Unix(): the instant Go's zero time stands for.
constexpr int64_t kGoZeroTimeUnix = -62135596800;

[[noreturn]] void fail(const std::string& message) { throw DecodeError{message}; }

// The short name of a message, for errors: "ConfigMap" rather than the full proto name.
std::string shortName(const ProtoMessage& m) {
  std::string_view name(m.name);
  return std::string(name.substr(name.rfind('.') + 1));
}

// Reads every field of a message's bytes and hands each to `visit(number, type, reader)`,
// which must consume the value.
template <typename Visit>
void forEachField(std::string_view bytes, size_t base, Visit visit) {
  WireReader r(bytes, base);
  while (!r.atEnd()) {
    uint32_t number = 0;
    WireType type{};
    if (!r.readTag(number, type)) {
      fail(r.error());
    }
    visit(number, type, r);
  }
}

uint64_t varintOf(WireReader& r, WireType type, const char* what) {
  if (type != WireType::kVarint) {
    fail(std::string("wrong wire type for ") + what + " at byte " + std::to_string(r.offset()));
  }
  uint64_t v = 0;
  if (!r.readVarint(v)) {
    fail(r.error());
  }
  return v;
}

std::string_view bytesOf(WireReader& r, WireType type, const char* what) {
  if (type != WireType::kLengthDelimited) {
    fail(std::string("wrong wire type for ") + what + " at byte " + std::to_string(r.offset()));
  }
  std::string_view v;
  if (!r.readLengthDelimited(v)) {
    fail(r.error());
  }
  return v;
}

void skipField(WireReader& r, WireType type) {
  if (!r.skip(type)) {
    fail(r.error());
  }
}

// A decoded value and whether it is Go's zero value (which omitempty drops).
struct Value {
  json value;
  bool zero = false;
};

class Walker {
 public:
  // Any message, special ones in their JSON form.
  Value decode(const ProtoMessage& m, std::string_view bytes, size_t base, int depth) {
    if (depth > kMaxMessageDepth) {
      fail("objects nested deeper than " + std::to_string(kMaxMessageDepth) + " levels");
    }
    switch (m.special) {
      case Special::kNone:
        return {decodeObject(m, bytes, base, depth), false};
      case Special::kTime:
      case Special::kMicroTime:
        return decodeTime(m, bytes, base);
      case Special::kDuration:
        return decodeDuration(bytes, base);
      case Special::kQuantity:
        return decodeQuantity(bytes, base);
      case Special::kIntOrString:
        return decodeIntOrString(bytes, base);
      case Special::kRawJson:
        return decodeRawJson(m, bytes, base);
      case Special::kArray: {
        json obj = decodeObject(m, bytes, base, depth);
        json items = obj.contains("items") ? std::move(obj["items"]) : json::array();
        bool empty = items.empty();
        return {std::move(items), empty};
      }
    }
    fail("unknown message kind");
  }

 private:
  json decodeObject(const ProtoMessage& m, std::string_view bytes, size_t base, int depth) {
    json obj = json::object();
    forEachField(bytes, base, [&](uint32_t number, WireType type, WireReader& r) {
      const ProtoField* f = findField(m, number);
      if (f == nullptr) {
        skipField(r, type);
        return;
      }
      if (f->flags & kMap) {
        addMapEntry(m, *f, obj, bytesOf(r, type, f->jsonName), r.offset(), depth);
      } else if (f->flags & kRepeated) {
        addRepeated(m, *f, obj, type, r, depth);
      } else {
        setSingular(m, *f, obj, type, r, depth);
      }
    });
    return obj;
  }

  // One value of a field's kind at the reader.
  Value readValue(const ProtoMessage& owner, const ProtoField& f, WireType type, WireReader& r,
                  int depth) {
    const std::string what = shortName(owner) + "." + f.jsonName;
    switch (f.kind) {
      case FieldKind::kString: {
        std::string_view s = bytesOf(r, type, what.c_str());
        return {json(std::string(s)), s.empty()};
      }
      case FieldKind::kBytes: {
        std::string_view s = bytesOf(r, type, what.c_str());
        return {json(base64Encode(s)), s.empty()};
      }
      case FieldKind::kBool: {
        bool b = varintOf(r, type, what.c_str()) != 0;
        return {json(b), !b};
      }
      case FieldKind::kInt32: {
        // Negative int32 values travel sign-extended to 64 bits; the low half is the value.
        auto v = static_cast<int32_t>(static_cast<uint32_t>(varintOf(r, type, what.c_str())));
        return {json(v), v == 0};
      }
      case FieldKind::kInt64: {
        auto v = static_cast<int64_t>(varintOf(r, type, what.c_str()));
        return {json(v), v == 0};
      }
      case FieldKind::kMessage: {
        std::string_view sub = bytesOf(r, type, what.c_str());
        return decode(fieldMessage(f), sub, r.offset() - sub.size(), depth + 1);
      }
    }
    fail("unknown field kind");
  }

  void setSingular(const ProtoMessage& owner, const ProtoField& f, json& obj, WireType type,
                   WireReader& r, int depth) {
    Value v = readValue(owner, f, type, r, depth);
    if (f.flags & kInline) {
      if (v.value.is_object()) {
        for (auto& [key, item] : v.value.items()) {
          obj[key] = std::move(item);
        }
      }
      return;
    }
    const bool plainStruct =
        f.kind == FieldKind::kMessage && fieldMessage(f).special == Special::kNone;
    // Go writes a struct field even when empty ("spec": {}); a scalar or a special value only
    // when it is set or omitempty is absent. A zero time or raw object would be null: left out.
    const bool keep = plainStruct || !v.zero || ((f.flags & kKeepZero) && !v.value.is_null());
    if (keep) {
      obj[f.jsonName] = std::move(v.value);
    } else {
      obj.erase(f.jsonName);
    }
  }

  void addRepeated(const ProtoMessage& owner, const ProtoField& f, json& obj, WireType type,
                   WireReader& r, int depth) {
    json& list = obj[f.jsonName];
    if (!list.is_array()) {
      list = json::array();
    }
    const bool varintKind =
        f.kind == FieldKind::kBool || f.kind == FieldKind::kInt32 || f.kind == FieldKind::kInt64;
    if (varintKind && type == WireType::kLengthDelimited) {
      // Packed: one length-delimited run of varints.
      std::string_view run = bytesOf(r, type, f.jsonName);
      WireReader packed(run, r.offset() - run.size());
      while (!packed.atEnd()) {
        list.push_back(readValue(owner, f, WireType::kVarint, packed, depth).value);
      }
      return;
    }
    list.push_back(readValue(owner, f, type, r, depth).value);
  }

  // A map entry is a message {1: key, 2: value}; the key is always a string here.
  void addMapEntry(const ProtoMessage& owner, const ProtoField& f, json& obj,
                   std::string_view entry, size_t end, int depth) {
    std::string key;
    std::optional<json> value;
    forEachField(entry, end - entry.size(), [&](uint32_t number, WireType type, WireReader& r) {
      if (number == 1) {
        key = std::string(bytesOf(r, type, "a map key"));
      } else if (number == 2) {
        value = readValue(owner, f, type, r, depth).value;
      } else {
        skipField(r, type);
      }
    });
    if (!value) {
      value = zeroOf(f, depth);
    }
    json& map = obj[f.jsonName];
    if (!map.is_object()) {
      map = json::object();
    }
    map[key] = std::move(*value);
  }

  // The value of an entry that left its value out: the kind's zero value.
  json zeroOf(const ProtoField& f, int depth) {
    switch (f.kind) {
      case FieldKind::kString:
      case FieldKind::kBytes:
        return "";
      case FieldKind::kBool:
        return false;
      case FieldKind::kInt32:
      case FieldKind::kInt64:
        return 0;
      case FieldKind::kMessage:
        return decode(fieldMessage(f), {}, 0, depth + 1).value;
    }
    return nullptr;
  }

  Value decodeTime(const ProtoMessage& m, std::string_view bytes, size_t base) {
    int64_t seconds = 0, nanos = 0;
    forEachField(bytes, base, [&](uint32_t number, WireType type, WireReader& r) {
      if (number == 1) {
        seconds = static_cast<int64_t>(varintOf(r, type, "Time.seconds"));
      } else if (number == 2) {
        nanos = static_cast<int32_t>(static_cast<uint32_t>(varintOf(r, type, "Time.nanos")));
      } else {
        skipField(r, type);
      }
    });
    // Go writes its zero time as no bytes at all (and reads that back as zero); the zero time
    // spelled out is 0001-01-01T00:00:00Z. Both are null in JSON. metav1.Time keeps seconds only.
    const bool micro = m.special == Special::kMicroTime;
    nanos = micro ? nanos / 1000 * 1000 : 0;
    if (bytes.empty() || (seconds == kGoZeroTimeUnix && nanos == 0)) {
      return {json(nullptr), true};
    }
    auto text = formatRfc3339(seconds, nanos, micro);
    if (!text) {
      fail("time " + std::to_string(seconds) + "s is outside years 0 to 9999");
    }
    return {json(*text), false};
  }

  Value decodeDuration(std::string_view bytes, size_t base) {
    int64_t ns = 0;
    forEachField(bytes, base, [&](uint32_t number, WireType type, WireReader& r) {
      if (number == 1) {
        ns = static_cast<int64_t>(varintOf(r, type, "Duration.duration"));
      } else {
        skipField(r, type);
      }
    });
    return {json(formatGoDuration(ns)), ns == 0};
  }

  Value decodeQuantity(std::string_view bytes, size_t base) {
    std::string text;
    forEachField(bytes, base, [&](uint32_t number, WireType type, WireReader& r) {
      if (number == 1) {
        text = std::string(bytesOf(r, type, "Quantity.string"));
      } else {
        skipField(r, type);
      }
    });
    if (text.empty()) {
      return {json("0"), true};  // the zero Quantity writes itself as "0"
    }
    return {json(text), false};
  }

  Value decodeIntOrString(std::string_view bytes, size_t base) {
    int64_t type = 0;
    int32_t intVal = 0;
    std::string strVal;
    forEachField(bytes, base, [&](uint32_t number, WireType wt, WireReader& r) {
      if (number == 1) {
        type = static_cast<int64_t>(varintOf(r, wt, "IntOrString.type"));
      } else if (number == 2) {
        intVal = static_cast<int32_t>(static_cast<uint32_t>(varintOf(r, wt, "IntOrString.intVal")));
      } else if (number == 3) {
        strVal = std::string(bytesOf(r, wt, "IntOrString.strVal"));
      } else {
        skipField(r, wt);
      }
    });
    if (type == 1) {
      return {json(strVal), false};
    }
    return {json(intVal), intVal == 0};
  }

  Value decodeRawJson(const ProtoMessage& m, std::string_view bytes, size_t base) {
    std::string_view raw;
    forEachField(bytes, base, [&](uint32_t number, WireType type, WireReader& r) {
      if (number == 1) {
        raw = bytesOf(r, type, "raw");
      } else {
        skipField(r, type);
      }
    });
    if (raw.empty()) {
      return {json(nullptr), true};
    }
    json parsed = json::parse(raw, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      fail("the " + shortName(m) + " at byte " + std::to_string(base) + " does not hold JSON");
    }
    return {std::move(parsed), false};
  }
};

}  // namespace

Result<nlohmann::json> messageToJson(const ProtoMessage& message, std::string_view bytes) {
  try {
    Walker walker;
    return walker.decode(message, bytes, 0, 0).value;
  } catch (const DecodeError& e) {
    return badRequest(e.message);
  } catch (const nlohmann::json::exception& e) {
    return badRequest(std::string("decoding ") + shortName(message) + ": " + e.what());
  }
}

}  // namespace tug::api::protobuf
