#include "api/protobuf/wire_reader.h"

namespace tug::api::protobuf {

bool WireReader::fail(const std::string& what) {
  error_ = what + " at byte " + std::to_string(offset());
  return false;
}

bool WireReader::readVarint(uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (pos_ >= data_.size()) {
      return fail("unexpected end of data in a varint");
    }
    uint8_t b = static_cast<uint8_t>(data_[pos_++]);
    value |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      return true;
    }
  }
  return fail("varint longer than 10 bytes");
}

bool WireReader::readTag(uint32_t& number, WireType& type) {
  uint64_t key = 0;
  if (!readVarint(key)) {
    return false;
  }
  uint64_t n = key >> 3;
  uint8_t t = key & 7;
  if (n == 0 || n > (1u << 29) - 1) {
    return fail("illegal field number " + std::to_string(n));
  }
  if (t == 3 || t == 4 || t > 5) {
    return fail("illegal wire type " + std::to_string(t) + " for field " + std::to_string(n));
  }
  number = static_cast<uint32_t>(n);
  type = static_cast<WireType>(t);
  return true;
}

bool WireReader::readFixed32(uint32_t& value) {
  if (data_.size() - pos_ < 4) {
    return fail("unexpected end of data in a fixed32");
  }
  value = 0;
  for (int i = 3; i >= 0; --i) {
    value = (value << 8) | static_cast<uint8_t>(data_[pos_ + i]);
  }
  pos_ += 4;
  return true;
}

bool WireReader::readFixed64(uint64_t& value) {
  if (data_.size() - pos_ < 8) {
    return fail("unexpected end of data in a fixed64");
  }
  value = 0;
  for (int i = 7; i >= 0; --i) {
    value = (value << 8) | static_cast<uint8_t>(data_[pos_ + i]);
  }
  pos_ += 8;
  return true;
}

bool WireReader::readLengthDelimited(std::string_view& bytes) {
  uint64_t length = 0;
  if (!readVarint(length)) {
    return false;
  }
  if (length > data_.size() - pos_) {
    return fail("length " + std::to_string(length) + " runs past the end of the data");
  }
  bytes = data_.substr(pos_, length);
  pos_ += length;
  return true;
}

bool WireReader::skip(WireType type) {
  uint64_t ignored64 = 0;
  uint32_t ignored32 = 0;
  std::string_view ignoredBytes;
  switch (type) {
    case WireType::kVarint:
      return readVarint(ignored64);
    case WireType::kFixed64:
      return readFixed64(ignored64);
    case WireType::kLengthDelimited:
      return readLengthDelimited(ignoredBytes);
    case WireType::kFixed32:
      return readFixed32(ignored32);
    default:
      return fail("cannot skip a group");
  }
}

}  // namespace tug::api::protobuf
