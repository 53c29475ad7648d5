#include "apiserver/resource_apply.h"

#include "api/crd/custom_resource.h"
#include <optional>
#include <string>

#include "api/managed/field_manager.h"
#include "api/schema/type_graph.h"
#include "api/yaml_json.h"
#include "apiserver/object_meta.h"
#include "apiserver/resource_errors.h"
#include "apiserver/status_response.h"

namespace tug::apiserver {
namespace {

using nlohmann::json;

constexpr size_t kFieldManagerMaxLength = 128;
constexpr std::string_view kApplyContentType = "application/apply-patch+yaml";

bool isApply(const VerbRequest& req) {
  std::string_view type = req.contentType;
  return type.substr(0, type.find(';')) == kApplyContentType;
}

// Upstream validates PatchOptions as an object of its own: 422 about PatchOptions.meta.k8s.io.
Reply invalidPatchOptions(const std::string& field, const std::string& reason,
                          const std::string& detail) {
  json body = statusObject(invalid("PatchOptions.meta.k8s.io \"\" is invalid: " + field + ": " +
                                   detail));
  body["details"] = {{"group", "meta.k8s.io"},
                     {"kind", "PatchOptions"},
                     {"causes", json::array({{{"reason", reason},
                                              {"message", detail},
                                              {"field", field}}})}};
  return Reply{422, std::move(body)};
}

std::optional<Reply> checkFieldManager(const std::string& manager) {
  if (manager.empty()) {
    return invalidPatchOptions("fieldManager", "FieldValueRequired",
                               "Required value: is required for apply patch");
  }
  if (manager.size() > kFieldManagerMaxLength) {
    return invalidPatchOptions("fieldManager", "FieldValueTooLong",
                               "Too long: may not be more than " +
                                   std::to_string(kFieldManagerMaxLength) + " bytes");
  }
  for (unsigned char c : manager) {
    if (c < 0x20 || c == 0x7f) {
      return invalidPatchOptions("fieldManager", "FieldValueInvalid",
                                 "Invalid value: " + json(manager).dump() +
                                     ": invalid character in field manager");
    }
  }
  return std::nullopt;
}

// The type the apply merges by; nullptr (untyped: objects merge, lists are atomic) for kinds
// without a built-in schema.
const api::TypeNode* typeOf(const api::ResourceInfo& info) {
  return api::resourceType(info);
}

api::managed::Writer writerFor(const VerbRequest& req, std::string manager) {
  const api::ResourceInfo& info = *req.target.info;
  api::managed::Writer w;
  w.manager = std::move(manager);
  w.apiVersion = info.groupVersion();
  w.subresource = req.target.subresource;
  w.time = nowTimestamp();
  w.statusIsSubresource = w.subresource.empty() && hasStatusSubresource(info);
  return w;
}

// The applied configuration, checked to be about the URL's object; its resourceVersion (a
// precondition, not a field) is moved out into `resourceVersion`.
Result<json> parseConfiguration(const VerbRequest& req, std::string& resourceVersion) {
  auto config = api::yamlToJson(req.body);
  if (!config.ok()) {
    return badRequest("error decoding YAML: " + config.status().message());
  }
  if (!config->is_object()) {
    return badRequest("error decoding YAML: the applied configuration is not an object");
  }
  const api::ResourceInfo& info = *req.target.info;
  std::string version = config->value("apiVersion", json()).is_string()
                            ? (*config)["apiVersion"].get<std::string>()
                            : std::string();
  if (version != info.groupVersion()) {
    return badRequest("Incorrect version specified in apply patch. Specified patch version: " +
                      version + ", expected: " + info.groupVersion());
  }
  if (Status s = checkAndSetIdentity(*config, info, req.target.ns); !s.isOk()) {
    return s;
  }
  std::string name = metaString(*config, "name");
  if (name != req.target.name) {
    return badRequest("the name of the object (" + name +
                      ") does not match the name on the URL (" + req.target.name + ")");
  }
  resourceVersion = metaString(*config, "resourceVersion");
  clearResourceVersion(*config);
  return config;
}

Reply conflictReply(const std::vector<api::managed::Conflict>& conflicts) {
  json body = statusObject(conflict(api::managed::conflictMessage(conflicts)));
  body["details"] = {{"causes", api::managed::conflictCauses(conflicts)}};
  return Reply{409, std::move(body)};
}

// Apply to a missing object: the merged configuration goes through the create verb (server
// metadata, namespace checks, admission, dryRun), which leaves its managedFields alone.
Reply applyCreate(const VerbContext& ctx, const VerbRequest& req, const json& config,
                  const api::managed::Writer& writer, bool force) {
  if (!req.target.subresource.empty()) {
    return errorReply(resourceNotFound(*req.target.info, req.target.name), req.target);
  }
  auto applied =
      api::managed::applyConfiguration(nullptr, config, typeOf(*req.target.info), writer, force);
  if (!applied.ok()) {
    return errorReply(applied.status(), req.target);
  }
  VerbRequest create = req;
  create.target.name.clear();
  create.body = applied->object.dump();
  return createResource(ctx, create);
}

Reply applyUpdate(const VerbContext& ctx, const VerbRequest& req, const json& config,
                  const std::string& resourceVersion, const api::managed::Writer& writer,
                  bool force) {
  const api::ResourceInfo& info = *req.target.info;
  const api::TypeNode* type = typeOf(info);
  std::optional<Reply> reply;  // conflicts and admission refusals, which carry causes
  Reply written = writeUpdate(ctx, req, 0, [&](json& next, const json& current) -> Status {
    if (!resourceVersion.empty() && resourceVersion != metaString(current, "resourceVersion")) {
      return resourceConflict(info, req.target.name);
    }
    auto applied = api::managed::applyConfiguration(&current, config, type, writer, force);
    if (!applied.ok()) {
      return applied.status();
    }
    if (!applied->conflicts.empty()) {
      reply = conflictReply(applied->conflicts);
      return conflict("apply conflicts");
    }
    if (writer.subresource == "status") {
      takeStatus(next, applied->object);
      if (auto m = applied->object["metadata"].find("managedFields");
          m != applied->object["metadata"].end()) {
        next["metadata"]["managedFields"] = *m;
      } else {
        next["metadata"].erase("managedFields");
      }
      return Status::ok();
    }
    return takeObject(next, current, std::move(applied->object), info, reply);
  });
  return reply ? *reply : written;
}

}  // namespace

Reply applyResource(const VerbContext& ctx, const VerbRequest& req) {
  auto dryRun = dryRunParam(req.params);
  if (!dryRun.ok()) {
    return errorReply(dryRun.status(), req.target);
  }
  const std::string manager = queryParam(req.params, "fieldManager");
  if (auto refused = checkFieldManager(manager)) {
    return *refused;
  }
  bool force = false;
  if (req.params.count("force") != 0) {
    auto parsed = parseGoBool(queryParam(req.params, "force"));
    if (!parsed) {
      return errorReply(badRequest("invalid value for force: \"" +
                                   queryParam(req.params, "force") +
                                   "\": must be true or false"),
                        req.target);
    }
    force = *parsed;
  }
  std::string resourceVersion;
  auto config = parseConfiguration(req, resourceVersion);
  if (!config.ok()) {
    return errorReply(config.status(), req.target);
  }
  const api::managed::Writer writer = writerFor(req, manager);
  auto live = ctx.store.get(targetKey(req.target));
  if (!live.ok() && live.status().code() == Code::kNotFound) {
    if (!resourceVersion.empty()) {
      return errorReply(resourceConflict(*req.target.info, req.target.name), req.target);
    }
    return applyCreate(ctx, req, *config, writer, force);
  }
  return applyUpdate(ctx, req, *config, resourceVersion, writer, force);
}

void recordManagedFields(const VerbRequest& req, const nlohmann::json* live,
                         nlohmann::json& next) {
  // A binding writes the pod from its own storage, past the field manager, as upstream's does.
  if (isApply(req) || req.target.subresource == "binding") {
    return;
  }
  std::string manager = queryParam(req.params, "fieldManager");
  if (manager.empty()) {
    manager = req.userAgent.substr(0, req.userAgent.find('/'));
    manager = manager.substr(0, kFieldManagerMaxLength);
  }
  api::managed::recordUpdate(live, next, typeOf(*req.target.info),
                             writerFor(req, std::move(manager)));
}

}  // namespace tug::apiserver
