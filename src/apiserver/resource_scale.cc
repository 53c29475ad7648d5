#include "apiserver/resource_scale.h"

#include "api/crd/custom_resource.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "apiserver/object_meta.h"
#include "apiserver/resource_errors.h"
#include "apiserver/status_response.h"

namespace tug::apiserver {
namespace {

const nlohmann::json* at(const nlohmann::json& obj, std::string_view path) {
  const nlohmann::json* cur = &obj;
  while (!path.empty()) {
    size_t dot = path.find('.');
    std::string part(path.substr(0, dot));
    if (!cur->is_object() || !cur->contains(part)) {
      return nullptr;
    }
    cur = &(*cur)[part];
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return cur;
}

nlohmann::json& slot(nlohmann::json& obj, std::string_view path) {
  nlohmann::json* cur = &obj;
  while (!path.empty()) {
    size_t dot = path.find('.');
    std::string part(path.substr(0, dot));
    if (!cur->is_object()) {
      *cur = nlohmann::json::object();
    }
    cur = &(*cur)[part];
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return *cur;
}

int64_t integerAt(const nlohmann::json& obj, std::string_view path) {
  const nlohmann::json* v = at(obj, path);
  return v != nullptr && v->is_number_integer() ? v->get<int64_t>() : 0;
}

std::string joined(const std::set<std::string>& values) {
  std::string out;
  for (const std::string& v : values) {
    out += (out.empty() ? "" : ",") + v;
  }
  return out;
}

Status scaleInvalid(const nlohmann::json& scale, const std::string& detail) {
  return invalid("Scale.autoscaling \"" + metaString(scale, "name") + "\" is invalid: " + detail);
}

}  // namespace

std::string formatLabelSelector(const nlohmann::json& selector) {
  // Requirements sorted by key, values of set requirements sorted, as upstream's selector
  // String() writes them.
  std::multimap<std::string, std::string> parts;
  if (!selector.is_object()) {
    return "";
  }
  if (auto ml = selector.find("matchLabels"); ml != selector.end() && ml->is_object()) {
    for (const auto& [k, v] : ml->items()) {
      parts.emplace(k, k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
    }
  }
  if (auto me = selector.find("matchExpressions"); me != selector.end() && me->is_array()) {
    for (const nlohmann::json& e : *me) {
      if (!e.is_object() || !e.value("key", nlohmann::json()).is_string()) {
        continue;
      }
      std::string key = e["key"].get<std::string>();
      std::string op = e.value("operator", "");
      std::set<std::string> values;
      if (auto vs = e.find("values"); vs != e.end() && vs->is_array()) {
        for (const nlohmann::json& v : *vs) {
          if (v.is_string()) {
            values.insert(v.get<std::string>());
          }
        }
      }
      if (op == "In") {
        parts.emplace(key, key + " in (" + joined(values) + ")");
      } else if (op == "NotIn") {
        parts.emplace(key, key + " notin (" + joined(values) + ")");
      } else if (op == "Exists") {
        parts.emplace(key, key);
      } else if (op == "DoesNotExist") {
        parts.emplace(key, "!" + key);
      }
    }
  }
  std::string out;
  for (const auto& [key, text] : parts) {
    out += (out.empty() ? "" : ",") + text;
  }
  return out;
}

ScalePaths scalePathsOf(const api::ResourceInfo& info) {
  if (!info.custom || !info.custom->scale) {
    return ScalePaths{};
  }
  // The CRD writes JSON paths (".spec.replicas"); ScalePaths holds them without the dot.
  auto dotted = [](const std::string& p) { return p.empty() || p[0] != '.' ? p : p.substr(1); };
  const api::CustomScale& scale = *info.custom->scale;
  return ScalePaths{dotted(scale.specReplicasPath), dotted(scale.statusReplicasPath),
                    dotted(scale.labelSelectorPath)};
}

nlohmann::json scaleOf(const nlohmann::json& parent, const ScalePaths& paths) {
  nlohmann::json meta = nlohmann::json::object();
  if (auto m = parent.find("metadata"); m != parent.end() && m->is_object()) {
    for (const char* key : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (auto v = m->find(key); v != m->end()) {
        meta[key] = *v;
      }
    }
  }
  nlohmann::json status = {{"replicas", integerAt(parent, paths.statusReplicas)}};
  if (const nlohmann::json* sel = at(parent, paths.labelSelector); sel != nullptr) {
    std::string text = sel->is_string() ? sel->get<std::string>() : formatLabelSelector(*sel);
    if (!text.empty()) {
      status["selector"] = text;
    }
  }
  return {{"kind", "Scale"},
          {"apiVersion", "autoscaling/v1"},
          {"metadata", std::move(meta)},
          {"spec", {{"replicas", integerAt(parent, paths.specReplicas)}}},
          {"status", std::move(status)}};
}

Status applyScale(nlohmann::json& parent, const nlohmann::json& scale, const ScalePaths& paths) {
  if (!scale.is_object()) {
    return badRequest("the body of a Scale must be a JSON object");
  }
  if (scale.contains("kind") && scale["kind"] != "Scale") {
    return badRequest("the kind of the body must be Scale");
  }
  const nlohmann::json* replicas = at(scale, "spec.replicas");
  if (replicas == nullptr || replicas->is_null()) {
    replicas = nullptr;
  }
  int64_t n = 0;
  if (replicas != nullptr) {
    if (!replicas->is_number_integer()) {
      return badRequest("spec.replicas of a Scale must be an integer");
    }
    n = replicas->get<int64_t>();
  }
  if (n < 0) {
    return scaleInvalid(scale, "spec.replicas: Invalid value: " + std::to_string(n) +
                                   ": must be greater than or equal to 0");
  }
  if (n > INT32_MAX) {
    return scaleInvalid(scale, "spec.replicas: Invalid value: " + std::to_string(n) +
                                   ": must be less than or equal to 2147483647");
  }
  slot(parent, paths.specReplicas) = n;
  return Status::ok();
}

Reply getScale(const VerbContext& ctx, const VerbRequest& req) {
  auto kv = readObject(ctx, req.target);
  if (!kv.ok()) {
    return errorReply(kv.status(), req.target);
  }
  auto obj = decodeStored(*kv, *req.target.info);
  if (!obj.ok()) {
    return errorReply(obj.status(), req.target);
  }
  return Reply{200, scaleOf(*obj, scalePathsOf(*req.target.info))};
}

Reply updateScale(const VerbContext& ctx, const VerbRequest& req) {
  auto scale = parseObject(req.body);
  if (!scale.ok()) {
    return errorReply(scale.status(), req.target);
  }
  if (std::string name = metaString(*scale, "name"); !name.empty() && name != req.target.name) {
    return errorReply(badRequest("the name of the object (" + name +
                                 ") does not match the name on the URL (" + req.target.name +
                                 ")"),
                      req.target);
  }
  store::Revision expected = 0;
  if (std::string rv = metaString(*scale, "resourceVersion"); !rv.empty()) {
    auto [ptr, ec] = std::from_chars(rv.data(), rv.data() + rv.size(), expected);
    if (ec != std::errc() || ptr != rv.data() + rv.size() || expected <= 0) {
      return errorReply(badRequest("invalid resourceVersion \"" + rv + "\" in the object"),
                        req.target);
    }
  }
  Reply reply = writeUpdate(ctx, req, expected,
                            [&](nlohmann::json& next, const nlohmann::json& current) {
    Status s = applyScale(next, *scale, scalePathsOf(*req.target.info));
    if (s.isOk() && next != current) {
      // The desired state changed: as for any spec change, the generation moves on.
      next["metadata"]["generation"] = current["metadata"].value("generation", int64_t{1}) + 1;
    }
    return s;
  });
  if (reply.code == 200) {
    reply.body = scaleOf(reply.body, scalePathsOf(*req.target.info));
  }
  return reply;
}

}  // namespace tug::apiserver
