#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// A reply body that is JSON text already (a list written straight from stored bytes), carried
// through the verbs' nlohmann::json replies as a binary value with its own subtype. No API
// object is ever binary, so nothing else can be mistaken for one; the send path writes the text
// as it is (response.h), and code that inspects reply bodies must check first.
namespace tug::apiserver {

inline constexpr std::uint64_t kEncodedJsonSubtype = 0x4a534f4e;  // 'JSON'

inline nlohmann::json encodedJson(std::vector<std::uint8_t> text) {
  return nlohmann::json::binary(std::move(text), kEncodedJsonSubtype);
}

// The text of an encoded body; nullptr when `body` is an ordinary JSON value.
inline const std::vector<std::uint8_t>* encodedText(const nlohmann::json& body) {
  if (!body.is_binary()) {
    return nullptr;
  }
  const auto& b = body.get_binary();
  return b.has_subtype() && b.subtype() == kEncodedJsonSubtype ? &b : nullptr;
}

inline std::string_view encodedView(const std::vector<std::uint8_t>& text) {
  return std::string_view(reinterpret_cast<const char*>(text.data()), text.size());
}

}  // namespace tug::apiserver
