#include "apiserver/admission.h"

#include "api/crd/custom_resource.h"
#include "api/schema/omit_empty.h"
#include "api/validation/defaults.h"
#include "api/validation/meta_validation.h"
#include "api/validation/schema_validation.h"
#include "api/validation/strategy.h"
#include "api/validation/validation.h"
#include "apiserver/resource_errors.h"
#include "apiserver/status_response.h"

namespace tug::apiserver {
namespace {

namespace v = api::validation;

std::string objectName(const nlohmann::json& obj) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) {
    return "";
  }
  auto n = m->find("name");
  return n != m->end() && n->is_string() ? n->get<std::string>() : "";
}

v::KindRef kindOf(const api::ResourceInfo& info) {
  return v::KindRef{info.group, info.kind, info.namespaced};
}

// The checks read bodies defensively; should one still meet a shape it cannot handle, the
// request fails as a bad body instead of taking the server down.
Reply unreadable(const api::ResourceInfo& info, const nlohmann::json& obj, const char* what) {
  Status s = badRequest(std::string("the object could not be checked: ") + what);
  return Reply{httpCode(s.code()), errorBody(s, info, objectName(obj))};
}

// Built-in kinds are stored as upstream's Go types would write them: without empty maps and
// lists. (Custom resources keep them: upstream stores those as they come.)
void omitEmpty(const api::ResourceInfo& info, nlohmann::json& obj) {
  if (const api::TypeNode* type = api::resourceType(info); type != nullptr && info.builtin) {
    api::dropEmptyCollections(*type, obj);
  }
}

// Custom resources: their CRD version's schema defaults and validates them; names are DNS
// subdomains, as upstream requires of every custom resource.
std::optional<Reply> admitCustom(const api::ResourceInfo& info, nlohmann::json& obj,
                                 const nlohmann::json* old) {
  const api::CustomResourceVersion& custom = *info.custom;
  if (old == nullptr && info.subresource("status") != nullptr) {
    obj.erase("status");  // written only through /status; its schema defaults still apply
  }
  v::applySchemaDefaults(custom.schema, obj);
  v::ErrorList errors =
      old == nullptr
          ? v::validateObjectMeta(obj, info.namespaced, v::NameRule::kDns1123Subdomain)
          : v::validateObjectMetaUpdate(obj, *old, info.namespaced, v::NameRule::kDns1123Subdomain);
  v::append(errors, v::validateAgainstSchema(custom.schema, obj));
  if (!errors.empty()) {
    return invalidReply(info, objectName(obj), errors);
  }
  return std::nullopt;
}

}  // namespace

Reply invalidReply(const api::ResourceInfo& info, std::string_view name,
                   const v::ErrorList& errors) {
  Status s = invalid(v::invalidMessage(info.kind, info.group, name, errors));
  nlohmann::json body = errorBody(s, info, name);
  body["details"]["causes"] = v::causes(errors);
  return Reply{httpCode(s.code()), std::move(body)};
}

std::optional<Reply> admitCreate(const api::ResourceInfo& info, nlohmann::json& obj) {
  try {
    if (info.custom) {
      if (info.custom->terminating) {
        Status s(Code::kUnsupported,
                 "create not allowed while custom resource definition is terminating");
        return Reply{httpCode(s.code()), errorBody(s, info, objectName(obj))};
      }
      return admitCustom(info, obj, nullptr);
    }
    v::applyDefaults(info.group, info.kind, obj);
    v::prepareCreate(info.group, info.kind, obj);
    omitEmpty(info, obj);
    v::ErrorList errors = v::validateCreate(kindOf(info), obj);
    if (!errors.empty()) {
      return invalidReply(info, objectName(obj), errors);
    }
  } catch (const std::exception& e) {
    return unreadable(info, obj, e.what());
  }
  return std::nullopt;
}

std::optional<Reply> admitUpdate(const api::ResourceInfo& info, nlohmann::json& obj,
                                 const nlohmann::json& old) {
  try {
    if (info.custom) {
      return admitCustom(info, obj, &old);
    }
    v::applyDefaults(info.group, info.kind, obj);
    v::prepareUpdate(info.group, info.kind, obj, old);
    omitEmpty(info, obj);
    v::ErrorList errors = v::validateUpdate(kindOf(info), obj, old);
    if (!errors.empty()) {
      return invalidReply(info, objectName(obj), errors);
    }
  } catch (const std::exception& e) {
    return unreadable(info, obj, e.what());
  }
  return std::nullopt;
}

}  // namespace tug::apiserver
