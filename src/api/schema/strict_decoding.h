#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/type_node.h"

// Strict decoding of request bodies: the unknown and duplicate fields upstream's decoder
// (sigs.k8s.io/json) reports. Works on the raw JSON text, since a parsed object has already
// lost all but the last of a duplicated key.
namespace tug::api {

// The problems strict decoding of `json` as `type` finds, worded as upstream's decoder words
// them and in the order it meets them in the text: `unknown field "spec.foo"`,
// `duplicate field "spec.replicas"`. Keys of an unknown field are not looked into (so a
// field both unknown and repeated is reported once, as unknown). Repeated messages are given
// once, and at most 100. Text that is not JSON gives what was found before the error.
std::vector<std::string> strictDecodingErrors(const TypeNode& type, std::string_view json);

// The object `json` holds and what strictDecodingErrors(type, json) says of it, from one
// reading of the text. Of a repeated key the last value is kept, as json::parse keeps it.
struct StrictDecoding {
  nlohmann::json object;
  std::vector<std::string> problems;
  std::string parseError;  // not empty: the text is not JSON (json::parse's exception text)
};
StrictDecoding decodeStrictly(const TypeNode& type, std::string_view json);

// The paths of keys that repeat within one object anywhere in `json` ("spec.replicas",
// "spec.ports[0].hostPort"), in order of appearance, each once.
std::vector<std::string> duplicateFields(std::string_view json);

}  // namespace tug::api
