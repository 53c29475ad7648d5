#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tug::api::protobuf {

// Protobuf wire types (the low three bits of a tag).
enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

// Reads the protobuf wire format from a byte range it does not own. Every read checks the
// bounds: on truncated or malformed input it returns false and error() says what and where
// (offsets count from the start of the outermost buffer). Nothing here allocates.
class WireReader {
 public:
  explicit WireReader(std::string_view data, size_t baseOffset = 0)
      : data_(data), base_(baseOffset) {}

  bool atEnd() const { return pos_ >= data_.size(); }
  size_t offset() const { return base_ + pos_; }

  // A field key: its number (1 .. 2^29-1) and wire type. Number 0 and group wire types are
  // errors: Kubernetes messages never use groups.
  bool readTag(uint32_t& number, WireType& type);
  // A base-128 varint of at most 10 bytes.
  bool readVarint(uint64_t& value);
  bool readFixed32(uint32_t& value);
  bool readFixed64(uint64_t& value);
  // A length-prefixed byte range; the length must fit in what is left.
  bool readLengthDelimited(std::string_view& bytes);
  // Skips a field's value of the given wire type.
  bool skip(WireType type);

  const std::string& error() const { return error_; }

 private:
  bool fail(const std::string& what);

  std::string_view data_;
  size_t base_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace tug::api::protobuf
