#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace tug::apiserver {

// What the body of a POST or PUT should be: the URL's kind (protobuf bodies may leave theirs
// out) and whether the resource takes protobuf at all (built-in kinds do, custom ones do not).
struct BodyKind {
  std::string_view apiVersion;  // "apps/v1"
  std::string_view kind;        // "Deployment"
  bool protobuf = true;
};

// Turns a POST or PUT body into JSON text by its Content-Type (parameters such as charset are
// ignored):
//   * none, application/json and any +json type: the body as it is (the verb parses it);
//   * application/yaml: converted with api::yamlToJson;
//   * application/vnd.kubernetes.protobuf: decoded with api::protobuf (built-in kinds only).
// Errors: Unsupported for any other type, to be answered 415 UnsupportedMediaType with the
// status's message (upstream's wording, listing the accepted types); BadRequest for YAML or
// protobuf that does not decode.
Result<std::string> requestBodyToJson(std::string_view contentType, std::string_view body,
                                      const BodyKind& kind);

}  // namespace tug::apiserver
