#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "api/protobuf/proto_table.h"
#include "common/status.h"

namespace tug::api::protobuf {

// Nesting deeper than this is refused; real Kubernetes objects stay far below it.
inline constexpr int kMaxMessageDepth = 100;

// Decodes the wire bytes of `message` into the JSON object Kubernetes' JSON encoding would
// write for the same Go value: JSON names from the Go struct tags, inline structs flattened,
// zero values dropped where Go's omitempty drops them, and the special types (Time, MicroTime,
// Duration, Quantity, IntOrString, RawExtension, FieldsV1, named slices) in their JSON forms.
// bytes become base64; int64 stays a JSON number. Fields the table does not know are skipped,
// as Go's generated unmarshallers skip them. Strings are not checked for UTF-8: dump the result
// with nlohmann::json::error_handler_t::replace.
// Errors (BadRequest): truncated or malformed wire data, a wire type that does not fit the
// field, RawExtension bytes that are not JSON, times outside years 0..9999, too deep nesting.
Result<nlohmann::json> messageToJson(const ProtoMessage& message, std::string_view bytes);

}  // namespace tug::api::protobuf
