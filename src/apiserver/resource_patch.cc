// PATCH on stored objects and their status: the Content-Type picks the algorithm, the patch

#include "api/crd/custom_resource.h"// applies to the live object, and the result is written as an update would write it.
#include <optional>
#include <string>

#include "api/patch/patch.h"
#include "api/patch/patch_schema.h"
#include "api/schema/type_graph.h"
#include "apiserver/field_validation.h"
#include "apiserver/object_meta.h"
#include "apiserver/resource_errors.h"
#include "apiserver/resource_scale.h"
#include "apiserver/resource_verbs.h"
#include "apiserver/status_response.h"

// Server-side apply is its own verb behind the same method; until it exists its content type
// is refused like any other the server cannot read.
#if __has_include("apiserver/resource_apply.h")
#include "apiserver/resource_apply.h"
#define TUG_HAVE_SERVER_SIDE_APPLY 1
#endif

namespace tug::apiserver {
namespace {

using nlohmann::json;

// The 415 upstream gives for a Content-Type it cannot patch with. Custom resources have no
// strategic merge patch (nothing says how their lists merge).
Reply unsupportedPatchType(const api::ResourceInfo& info, bool canApply) {
  std::string accepted = "application/json-patch+json, application/merge-patch+json";
  if (info.builtin) {
    accepted += ", application/strategic-merge-patch+json";
  }
  if (canApply) {
    accepted += ", application/apply-patch+yaml";
  }
  json body = statusObject(Status(Code::kUnsupported, ""));
  body["code"] = 415;
  body["reason"] = "UnsupportedMediaType";
  body["message"] =
      "the body of the request was in an unknown format - accepted media types include: " +
      accepted;
  return Reply{415, std::move(body)};
}

// Upstream answers a patch that does not apply (a failed JSON patch test, a path that is not
// there, lists of lists) with a generic 422 whose details name nothing; kubectl prints it as
// "The request is invalid: ...".
Reply patchNotApplicable() {
  json body = statusObject(invalid("the server rejected our request due to an error in our request"));
  body["details"] = json::object();
  return Reply{422, std::move(body)};
}

// 422 for a change to a field that never changes, with the cause kubectl lists.
Reply immutableField(const ResourceTarget& target, const std::string& field,
                     const std::string& value) {
  const api::ResourceInfo& info = *target.info;
  std::string kind = info.group.empty() ? info.kind : info.kind + "." + info.group;
  std::string why = "Invalid value: \"" + value + "\": field is immutable";
  json body = errorBody(invalid(kind + " \"" + target.name + "\" is invalid: " + field + ": " + why),
                        info, target.name);
  body["details"]["causes"] =
      json::array({{{"reason", "FieldValueInvalid"}, {"message", why}, {"field", field}}});
  return Reply{422, std::move(body)};
}

// What the patched object may not say about itself: another name, namespace or uid, or a
// resourceVersion other than the live one (the patch's precondition).
Status checkPatchedIdentity(json& patched, const json& current, const ResourceTarget& target,
                            std::optional<Reply>& reply) {
  std::string rv = metaString(patched, "resourceVersion");
  if (!rv.empty() && rv != metaString(current, "resourceVersion")) {
    return resourceConflict(*target.info, target.name);
  }
  if (Status s = checkAndSetIdentity(patched, *target.info, target.ns); !s.isOk()) {
    return s;
  }
  std::string name = metaString(patched, "name");
  if (name != target.name) {
    return badRequest("the name of the object (" + name + ") does not match the name on the URL (" +
                      target.name + ")");
  }
  std::string uid = metaString(patched, "uid");
  if (!uid.empty() && uid != metaString(current, "uid")) {
    reply = immutableField(target, "metadata.uid", uid);
    return invalid("metadata.uid is immutable");
  }
  return Status::ok();
}

// The live object with the request's patch applied, checked to still be the URL's object.
// `reply` receives replies a Status cannot carry.
Result<json> patchedObject(api::PatchType type, const json& current, const VerbRequest& req,
                           std::optional<Reply>& reply) {
  const api::TypeNode* schema = type == api::PatchType::kStrategicMergePatch
                                    ? api::strategicPatchSchema(*req.target.info)
                                    : nullptr;
  auto patched = api::applyPatch(type, current, req.body, schema);
  if (!patched.ok()) {
    const Status& s = patched.status();
    if (s.code() == Code::kInvalid) {
      reply = patchNotApplicable();
    } else if (s.code() == Code::kTooLarge) {
      return tooLarge("Request entity too large: " + s.message());
    }
    return s;
  }
  if (!patched->is_object()) {
    reply = patchNotApplicable();
    return invalid("the patched object is not a JSON object");
  }
  if (Status s = checkPatchedIdentity(*patched, current, req.target, reply); !s.isOk()) {
    return s;
  }
  return patched;
}

// PATCH on <resource>/<name>/scale: the patch applies to the Scale view of the parent (as
// `kubectl scale` sends {"spec":{"replicas":N}}), whose replicas then go to the parent.
Reply patchScale(const VerbContext& ctx, const VerbRequest& req, api::PatchType type) {
  std::optional<Reply> reply;
  Reply written = writeUpdate(ctx, req, 0, [&](json& next, const json& current) -> Status {
    json scale = scaleOf(current, scalePathsOf(*req.target.info));
    auto patched = api::applyPatch(type, scale, req.body, nullptr);
    if (!patched.ok()) {
      if (patched.status().code() == Code::kInvalid) {
        reply = patchNotApplicable();
      }
      return patched.status();
    }
    std::string rv = metaString(*patched, "resourceVersion");
    if (!rv.empty() && rv != metaString(current, "resourceVersion")) {
      return resourceConflict(*req.target.info, req.target.name);
    }
    Status applied = applyScale(next, *patched, scalePathsOf(*req.target.info));
    if (applied.isOk() && next != current) {
      next["metadata"]["generation"] = current["metadata"].value("generation", int64_t{1}) + 1;
    }
    return applied;
  });
  if (reply) {
    return *reply;
  }
  if (written.code == 200) {
    written.body = scaleOf(written.body, scalePathsOf(*req.target.info));
  }
  return written;
}

}  // namespace

Reply patchResource(const VerbContext& ctx, const VerbRequest& req) {
  const api::ResourceInfo& info = *req.target.info;
#ifdef TUG_HAVE_SERVER_SIDE_APPLY
  constexpr bool kCanApply = true;
#else
  constexpr bool kCanApply = false;
#endif
  auto type = api::patchTypeFromContentType(req.contentType);
  if (!type || (*type == api::PatchType::kStrategicMergePatch && !info.builtin) ||
      (*type == api::PatchType::kApplyPatch && !kCanApply)) {
    return unsupportedPatchType(info, kCanApply);
  }
#ifdef TUG_HAVE_SERVER_SIDE_APPLY
  if (*type == api::PatchType::kApplyPatch) {
    return applyResource(ctx, req);
  }
#endif
  if (req.target.subresource == "scale") {
    return patchScale(ctx, req, *type);
  }
  const bool status = req.target.subresource == "status";
  std::optional<Reply> reply;  // replies a Mutation's Status cannot carry
  std::vector<std::string> warnings;
  // Unconditional (expected revision 0): a concurrent write makes writeUpdate read again
  // and re-apply the patch; only a resourceVersion inside the patch is a precondition.
  Reply written = writeUpdate(ctx, req, 0, [&](json& next, const json& current) -> Status {
    auto patched = patchedObject(*type, current, req, reply);
    if (!patched.ok()) {
      return patched.status();
    }
    if (status) {
      takeStatus(next, *patched);
      return Status::ok();
    }
    // Unknown fields are judged on the patched object (a strategic patch's directives are not
    // fields); duplicates on the JSON patch body itself.
    bool jsonObjectBody = *type == api::PatchType::kMergePatch ||
                          *type == api::PatchType::kStrategicMergePatch;
    FieldCheck fields = checkFields(
        api::resourceType(info),
        /*typed=*/false, req.params, jsonObjectBody ? std::string_view(req.body) : "",
        "PatchOptions", *patched);
    if (fields.refusal) {
      reply = *fields.refusal;
      return badRequest("refused by field validation");
    }
    warnings = std::move(fields.warnings);
    return takeObject(next, current, std::move(*patched), info, reply);
  });
  if (reply) {
    return *reply;
  }
  written.warnings = std::move(warnings);
  return written;
}

}  // namespace tug::apiserver
