#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// A tiny protobuf writer for tests: builds the wire bytes of hand-made messages the way Go's
// generated marshallers write them (fields in the order given).
class ProtoWriter {
 public:
  ProtoWriter& varint(uint32_t field, uint64_t v) {
    key(field, 0);
    putVarint(v);
    return *this;
  }
  // Negative int32/int64 travel as 64-bit two's complement varints.
  ProtoWriter& int64(uint32_t field, int64_t v) { return varint(field, static_cast<uint64_t>(v)); }
  ProtoWriter& bytes(uint32_t field, std::string_view v) {
    key(field, 2);
    putVarint(v.size());
    out_.append(v);
    return *this;
  }
  ProtoWriter& message(uint32_t field, const ProtoWriter& m) { return bytes(field, m.str()); }
  // map<string, string> entry.
  ProtoWriter& entry(uint32_t field, std::string_view k, std::string_view v) {
    return message(field, ProtoWriter().bytes(1, k).bytes(2, v));
  }
  ProtoWriter& entry(uint32_t field, std::string_view k, const ProtoWriter& v) {
    return message(field, ProtoWriter().bytes(1, k).message(2, v));
  }
  ProtoWriter& raw(std::string_view bytes) {
    out_.append(bytes);
    return *this;
  }

  const std::string& str() const { return out_; }

  // The whole body: magic, then runtime.Unknown {typeMeta, raw}.
  static std::string body(std::string_view apiVersion, std::string_view kind,
                          const ProtoWriter& object) {
    ProtoWriter unknown;
    unknown.message(1, ProtoWriter().bytes(1, apiVersion).bytes(2, kind)).message(2, object);
    return std::string("k8s\0", 4) + unknown.str();
  }

 private:
  void key(uint32_t field, int type) { putVarint((uint64_t{field} << 3) | type); }
  void putVarint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }

  std::string out_;
};
