#include "apiserver/object_meta.h"
#include "apiserver/resource_verbs.h"

namespace tug::apiserver {

// GET of one object (and of its status subresource, which upstream answers with the whole
// object). A resourceVersion parameter asks for "not older than", which the latest version
// always satisfies.
Reply getResource(const VerbContext& ctx, const VerbRequest& req) {
  auto kv = readObject(ctx, req.target);
  if (!kv.ok()) {
    return errorReply(kv.status(), req.target);
  }
  auto obj = decodeStored(*kv, *req.target.info);
  if (!obj.ok()) {
    return errorReply(obj.status(), req.target);
  }
  return Reply{200, std::move(*obj)};
}

}  // namespace tug::apiserver
