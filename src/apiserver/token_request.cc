#include "apiserver/token_request.h"

#include <ctime>

#include "api/validation/field_error.h"
#include "apiserver/core_object_lookup.h"
#include "apiserver/object_meta.h"
#include "apiserver/resource_errors.h"
#include "apiserver/status_response.h"
#include "common/rfc3339.h"

namespace tug::apiserver {
namespace {

using nlohmann::json;
namespace v = api::validation;

constexpr const char* kGroup = "authentication.k8s.io";
constexpr const char* kKind = "TokenRequest";

// 422 about the TokenRequest, named as upstream names it (the URL's name, or "" for spec
// errors, which upstream reports before it has named the request).
Reply invalidRequest(std::string_view name, v::FieldError error) {
  v::ErrorList errors{std::move(error)};
  Status s = invalid(v::invalidMessage(kKind, kGroup, name, errors));
  json body = statusObject(s);
  body["details"] = {{"group", kGroup}, {"kind", kKind}, {"causes", v::causes(errors)}};
  if (!name.empty()) {
    body["details"]["name"] = std::string(name);
  }
  return Reply{httpCode(s.code()), std::move(body)};
}

Reply failure(const Status& s) { return Reply{httpCode(s.code()), statusObject(s)}; }

// A lookup's error about a core/v1 object, with the details upstream gives it.
Reply lookupFailure(const VerbContext& ctx, const Status& s, std::string_view resource,
                    std::string_view name) {
  const api::ResourceInfo* info = ctx.registry.find("", "v1", resource);
  return info == nullptr ? failure(s) : Reply{httpCode(s.code()), errorBody(s, *info, name)};
}

// The string at obj[key]; empty when absent or null. BadRequest when it is another type, as
// upstream's decoder refuses the body.
Result<std::string> stringField(const json& obj, const char* key, const char* path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    return std::string();
  }
  if (!it->is_string()) {
    return badRequest(std::string("json: cannot unmarshal ") + it->type_name() +
                      " into Go struct field " + path + " of type string");
  }
  return it->get<std::string>();
}

struct Binding {
  std::optional<pki::ObjectRef> pod, secret, node;
};

// Go's GroupVersionKind.String(): "apps/v1, Kind=Deployment", "/v1, Kind=ConfigMap".
std::string gvkText(std::string_view group, std::string_view version, std::string_view kind) {
  return std::string(group) + "/" + std::string(version) + ", Kind=" + std::string(kind);
}

// The object spec.boundObjectRef names, looked up; a reply when it cannot be bound.
std::optional<Reply> resolveBinding(const VerbContext& ctx, const CoreObjectLookup& objects,
                                    const json& ref, const std::string& ns,
                                    const std::string& serviceAccount, Binding& out) {
  auto kind = stringField(ref, "kind", "BoundObjectReference.kind");
  auto apiVersion = stringField(ref, "apiVersion", "BoundObjectReference.apiVersion");
  auto name = stringField(ref, "name", "BoundObjectReference.name");
  auto uid = stringField(ref, "uid", "BoundObjectReference.uid");
  for (const auto* r : {&kind, &apiVersion, &name, &uid}) {
    if (!r->ok()) {
      return failure(r->status());
    }
  }
  std::string group, version = *apiVersion;
  if (size_t slash = apiVersion->find('/'); slash != std::string::npos) {
    group = apiVersion->substr(0, slash);
    version = apiVersion->substr(slash + 1);
  }
  const char* resource = !group.empty()          ? nullptr
                         : *kind == "Pod"    ? "pods"
                         : *kind == "Secret" ? "secrets"
                         : *kind == "Node"   ? "nodes"
                                             : nullptr;
  if (resource == nullptr) {
    return failure(badRequest("cannot bind token to object of type " +
                              gvkText(group, version, *kind)));
  }
  if (name->empty()) {
    return failure(badRequest("resource name may not be empty"));
  }
  const bool node = *kind == "Node";
  auto obj = objects.get(resource, node ? "" : ns, *name);
  if (!obj.ok()) {
    return lookupFailure(ctx, obj.status(), resource, *name);
  }
  std::string actualUid = metaString(*obj, "uid");
  if (!uid->empty() && *uid != actualUid) {
    return failure(conflict("Operation cannot be fulfilled on " + *kind + " \"" + *name +
                            "\": the UID in the bound object reference (" + *uid +
                            ") does not match the UID in record. The object might have been "
                            "deleted and then recreated"));
  }
  pki::ObjectRef bound{*name, actualUid};
  if (*kind == "Secret") {
    out.secret = bound;
  } else if (node) {
    out.node = bound;
  } else {
    // Pods written without a service account run as "default" (upstream's admission writes it
    // into the pod; tug's pods may not carry it).
    std::string podAccount = obj->value("spec", json::object()).value("serviceAccountName", "");
    if ((podAccount.empty() ? "default" : podAccount) != serviceAccount) {
      return failure(badRequest("cannot bind token for serviceaccount \"" + serviceAccount +
                                "\" to pod running with different serviceaccount name."));
    }
    out.pod = bound;
    // The pod's node goes into the token for the reader; its UID only when the Node exists.
    std::string nodeName = obj->value("spec", json::object()).value("nodeName", "");
    if (!nodeName.empty()) {
      out.node = pki::ObjectRef{nodeName, ""};
      auto n = objects.get("nodes", "", nodeName);
      if (n.ok()) {
        out.node->uid = metaString(*n, "uid");
      } else if (n.status().code() != Code::kNotFound) {
        return failure(internalError(n.status().message()));
      }
    }
  }
  return std::nullopt;
}

// spec.audiences: a list of strings; empty means the API server's.
Result<std::vector<std::string>> audiences(const json& spec,
                                           const std::vector<std::string>& apiAudiences) {
  std::vector<std::string> out;
  auto it = spec.find("audiences");
  if (it != spec.end() && !it->is_null()) {
    if (!it->is_array()) {
      return badRequest(std::string("json: cannot unmarshal ") + it->type_name() +
                        " into Go struct field TokenRequestSpec.spec.audiences of type []string");
    }
    for (const json& a : *it) {
      if (!a.is_string()) {
        return badRequest(std::string("json: cannot unmarshal ") + a.type_name() +
                          " into Go struct field TokenRequestSpec.spec.audiences of type string");
      }
      out.push_back(a.get<std::string>());
    }
  }
  return out.empty() ? apiAudiences : out;
}

Result<int64_t> expirationSeconds(const json& spec) {
  auto it = spec.find("expirationSeconds");
  if (it == spec.end() || it->is_null()) {
    return kDefaultTokenSeconds;
  }
  if (!it->is_number_integer()) {
    return badRequest(std::string("json: cannot unmarshal ") + it->type_name() +
                      " into Go struct field TokenRequestSpec.spec.expirationSeconds of type "
                      "int64");
  }
  return it->get<int64_t>();
}

}  // namespace

Reply createServiceAccountToken(const VerbContext& ctx, const VerbRequest& req,
                                const pki::ServiceAccountTokenSigner& signer,
                                const std::vector<std::string>& apiAudiences, pki::TokenTime now) {
  const std::string& ns = req.target.ns;
  const std::string& name = req.target.name;
  auto parsed = parseObject(req.body);
  if (!parsed.ok()) {
    return failure(parsed.status());
  }
  json body = std::move(*parsed);
  if (!body.is_object()) {
    return failure(badRequest("the request body is not a TokenRequest object"));
  }
  json& meta = body["metadata"];
  if (!meta.is_object()) {
    meta = json::object();
  }
  const v::Path metadata("metadata");
  if (std::string n = metaString(body, "name"); !n.empty() && n != name) {
    return invalidRequest(name, v::invalid(metadata.child("name"), n,
                                           "must match the service account name if specified"));
  }
  if (std::string n = metaString(body, "namespace"); !n.empty() && n != ns) {
    return invalidRequest(
        name, v::invalid(metadata.child("namespace"), n,
                         "must match the service account namespace if specified"));
  }
  StoreObjectLookup objects(ctx.store, ctx.registry);
  auto account = objects.get("serviceaccounts", ns, name);
  if (!account.ok()) {
    return errorReply(account.status(), req.target);
  }
  json& spec = body["spec"];
  if (!spec.is_object()) {
    spec = json::object();
  }
  auto auds = audiences(spec, apiAudiences);
  if (!auds.ok()) {
    return failure(auds.status());
  }
  auto seconds = expirationSeconds(spec);
  if (!seconds.ok()) {
    return failure(seconds.status());
  }
  const v::Path expirationPath = v::Path("spec").child("expirationSeconds");
  if (*seconds < kMinTokenSeconds) {
    return invalidRequest("", v::invalid(expirationPath, *seconds,
                                         "may not specify a duration less than 10 minutes"));
  }
  if (*seconds > kMaxTokenSeconds) {
    return invalidRequest("", v::invalid(expirationPath, *seconds,
                                         "may not specify a duration larger than 2^32 seconds"));
  }
  Binding binding;
  if (auto ref = spec.find("boundObjectRef"); ref != spec.end() && !ref->is_null()) {
    if (!ref->is_object()) {
      return failure(badRequest("spec.boundObjectRef must be an object"));
    }
    if (auto refusal = resolveBinding(ctx, objects, *ref, ns, name, binding)) {
      return *refusal;
    }
  }
  pki::ServiceAccountTokenClaims claims;
  claims.namespaceName = ns;
  claims.serviceAccount = pki::ObjectRef{name, metaString(*account, "uid")};
  claims.audiences = *auds;
  claims.expiration = std::chrono::seconds(*seconds);
  claims.pod = binding.pod;
  claims.secret = binding.secret;
  claims.node = binding.node;
  auto issued = signer.issue(claims, now);
  if (!issued.ok()) {
    return failure(internalError("failed to generate token: " + issued.status().message()));
  }
  body["apiVersion"] = std::string(kGroup) + "/v1";
  body["kind"] = kKind;
  meta["name"] = name;
  meta["namespace"] = ns;
  meta["creationTimestamp"] = formatRfc3339(now);
  spec["audiences"] = *auds;
  spec["expirationSeconds"] = *seconds;
  body["status"] = {{"token", issued->token},
                    {"expirationTimestamp", formatRfc3339(now + std::chrono::seconds(*seconds))}};
  return Reply{201, std::move(body)};
}

SubresourceCreate tokenRequestCreator(std::shared_ptr<const pki::ServiceAccountTokenSigner> signer,
                                      std::vector<std::string> apiAudiences) {
  return [signer = std::move(signer), apiAudiences = std::move(apiAudiences)](
             const VerbContext& ctx, const VerbRequest& req) {
    return createServiceAccountToken(ctx, req, *signer, apiAudiences, pki::TokenClock::now());
  };
}

}  // namespace tug::apiserver
