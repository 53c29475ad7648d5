#pragma once

#include <memory>
#include <string>

#include "apiserver/openapi_documents.h"
#include "apiserver/routes.h"

namespace tug::apiserver {

// Serves GET /openapi/v3 (the index), GET /openapi/v3/<api/v1|apis/<g>/<v>> (a document; with
// ?hash= it is immutable: long caching headers, or a 301 to the current hash when stale; an
// If-None-Match naming the current ETag gets 304) and GET /openapi/v2 (the minimal gnostic
// document, see docs/design/openapi.md). `documents` is shared with whoever adds CRD group
// versions.
RouteInstaller openApiRoutes(std::shared_ptr<OpenApiDocuments> documents);

// The protobuf body of /openapi/v2: openapi_v2.Document{swagger: "2.0"}.
extern const std::string kOpenApiV2Body;
extern const char* const kOpenApiV2ContentType;

// Whether an Accept header lets us answer with JSON (no header, */*, application/*, or a
// JSON type anywhere in it).
bool acceptsJson(const std::string& accept);

}  // namespace tug::apiserver
