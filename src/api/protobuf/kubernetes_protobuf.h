#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "common/status.h"

namespace tug::api::protobuf {

// Every application/vnd.kubernetes.protobuf body starts with these four bytes.
inline constexpr std::string_view kProtobufMagic{"k8s\0", 4};

// Decodes a body in Kubernetes' protobuf encoding to the JSON object of the same Go value. The
// body is the magic followed by a runtime.Unknown {1: typeMeta {1: apiVersion, 2: kind},
// 2: raw (the object's own message), 3: contentEncoding, 4: contentType}. The object's message
// is chosen by typeMeta, or by defaultApiVersion/defaultKind (the URL's) when typeMeta leaves
// them empty; apiVersion and kind are set in the result either way.
// Errors (BadRequest): no magic, a kind without a protobuf message, a content encoding (such as
// gzip), and anything messageToJson refuses.
Result<nlohmann::json> decodeKubernetesProtobuf(std::string_view body,
                                                std::string_view defaultApiVersion,
                                                std::string_view defaultKind);

}  // namespace tug::api::protobuf
