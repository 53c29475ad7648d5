#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/resource_registry.h"
#include "common/status.h"
#include "store/store.h"

// Server-managed object metadata: what the API server sets, keeps and refuses on writes,
// whatever the kind. Kind-specific defaulting and validation live elsewhere.
namespace tug::apiserver {

// A random (version 4) UUID in its canonical lower-case text form.
std::string newUid();
// The current time as RFC 3339 UTC to the second: "2024-05-01T12:00:00Z".
std::string nowTimestamp();
// `prefix` followed by 5 random characters from lower-case letters and digits, as generateName
// asks for.
std::string generateName(std::string_view prefix);

// The string at obj.metadata.<field>, or "" when absent or not a string.
std::string metaString(const nlohmann::json& obj, const char* field);
// The same of a stored object: metaString(*decodeStored(kv, ...), field), "" when it does not
// parse. In the form tug writes objects, only the object's and its metadata's members are
// walked (json_text.h) and one value is parsed; other text goes to the parser.
std::string storedMetaString(const store::KeyValue& kv, std::string_view field);

// Checks what a write body says about itself against the URL: the body is a JSON object, its
// apiVersion and kind (when given) are the resource's, and its namespace (when given) is the
// URL's. Then sets kind, apiVersion and, for namespaced resources, metadata.namespace (cluster-
// scoped objects lose any namespace). BadRequest with upstream's wording otherwise.
Status checkAndSetIdentity(nlohmann::json& obj, const api::ResourceInfo& info,
                           std::string_view urlNamespace);

// Fills the metadata of an object about to be created: uid, creationTimestamp, generation 1,
// and clears what a client may not set (resourceVersion, deletion fields). Invalid (422) when
// neither name nor generateName is given or the name is not a path segment; the caller turns
// a generateName into a name (retrying on a clash).
Status prepareForCreate(nlohmann::json& obj, const api::ResourceInfo& info);

// Makes `next` a valid successor of `current` for a PUT on the main resource: uid,
// creationTimestamp and the deletion fields are kept; .status is kept when the resource has a
// status subresource; generation goes up by one when anything outside metadata and status
// changed.
void prepareForUpdate(nlohmann::json& next, const nlohmann::json& current,
                      const api::ResourceInfo& info);

// True when the resource has a status subresource (so its main resource ignores .status).
bool hasStatusSubresource(const api::ResourceInfo& info);

// resourceVersion lives in the store's revision, never in the stored bytes.
void setResourceVersion(nlohmann::json& obj, store::Revision revision);
void clearResourceVersion(nlohmann::json& obj);

// Parses a stored or posted object; BadRequest (with the parser's reason) on bad JSON.
Result<nlohmann::json> parseObject(std::string_view text);
// How a body that is not JSON is refused, before the parser's words.
inline const std::string kNotJson = "the request body is not valid JSON: ";

// The stored object, with its resourceVersion and the kind and apiVersion of the version the
// request asked for (versions of one resource share storage).
Result<nlohmann::json> decodeStored(const store::KeyValue& kv, const api::ResourceInfo& info);

}  // namespace tug::apiserver
