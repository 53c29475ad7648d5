#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/resource_registry.h"
#include "store/store.h"

// Serving a stored object without parsing it: its stored JSON text is copied into the response
// with only the members a read sets (apiVersion, kind, metadata.resourceVersion; see
// decodeStored) written in. Large lists spend their time here, so it touches each byte once.
namespace tug::apiserver {

// The apiVersion and kind a read serves, already as JSON string literals.
struct ServedIdentity {
  std::string apiVersion;  // e.g. "\"apps/v1\"", quotes included
  std::string kind;        // e.g. "\"Deployment\""

  static ServedIdentity of(const api::ResourceInfo& info);
};

// Appends the stored object `text` to `out` as decodeStored(kv, info)->dump() would print it,
// with `identity`'s apiVersion and kind and `revision` as metadata.resourceVersion, whether or
// not the stored text has those members.
//
// Relies on the form tug writes objects in (nlohmann::json::dump(): compact, keys in ascending
// byte order). The object and its metadata must be compact objects whose keys ascend and have
// no escapes; values below that are copied as they are once their structure checks out (see
// json_text.h), so the output equals the decoder's byte for byte when the stored text was
// written by dump(). Returns false, with `out` as it was, for any other shape (metadata that is
// not an object, whitespace, keys out of order, damaged text): the caller decodes instead.
bool appendServedObject(std::string& out, std::string_view text, const ServedIdentity& identity,
                        store::Revision revision);
// The same, into a reply body being built (encoded_json.h).
bool appendServedObject(std::vector<std::uint8_t>& out, std::string_view text,
                        const ServedIdentity& identity, store::Revision revision);

}  // namespace tug::apiserver
