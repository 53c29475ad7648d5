#include "apiserver/openapi_document.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "api/crd/custom_resource.h"
#include "api/schema/definitions.h"

namespace tug::apiserver {
namespace {

using nlohmann::json;

constexpr const char* kMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.";

// Resources whose DELETE answers with the deleted object rather than a Status (upstream's
// stores that set ReturnDeletedObject), as upstream documents them.
bool returnsDeletedObject(const api::ResourceInfo& r) {
  static const std::set<std::pair<std::string, std::string>> kReturning = {
      {"", "persistentvolumeclaims"}, {"", "pods"},          {"", "podtemplates"},
      {"", "resourcequotas"},         {"", "serviceaccounts"}, {"", "services"},
      {"", "persistentvolumes"},      {"storage.k8s.io", "csidrivers"},
      {"storage.k8s.io", "csinodes"}, {"storage.k8s.io", "storageclasses"},
      {"storage.k8s.io", "volumeattachments"}};
  return kReturning.count({r.group, r.resource}) > 0;
}

// Subresources that stream or proxy (exec, attach, port-forward, proxy, log) take parameters
// of their own and are not described here; kubectl never reads them from OpenAPI.
bool describedSubresource(std::string_view name) {
  return name != "exec" && name != "attach" && name != "portforward" && name != "proxy" &&
         name != "log";
}

std::string capitalized(std::string_view s) {
  std::string out(s);
  if (!out.empty()) {
    out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  }
  return out;
}

// "rbac.authorization.k8s.io" -> "RbacAuthorization"; "" -> "Core".
std::string groupWord(std::string_view group) {
  if (group.empty()) {
    return "Core";
  }
  std::string_view g = group;
  constexpr std::string_view kSuffix = ".k8s.io";
  if (g.size() > kSuffix.size() && g.substr(g.size() - kSuffix.size()) == kSuffix) {
    g.remove_suffix(kSuffix.size());
  }
  std::string out;
  size_t start = 0;
  while (start <= g.size()) {
    size_t dot = g.find('.', start);
    std::string_view part = g.substr(start, dot == std::string_view::npos ? dot : dot - start);
    for (size_t i = 0; i < part.size(); ++i) {
      char c = part[i];
      if (c == '-') {
        continue;
      }
      out += i == 0 ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    }
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  return out;
}

std::string schemaRef(std::string_view name) {
  return std::string(api::kSchemaRefPrefix) + std::string(name);
}

json param(const char* name, const char* in, const char* type) {
  json p = {{"in", in}, {"name", name}, {"schema", {{"type", type}, {"uniqueItems", true}}}};
  if (std::string_view(in) == "path") {
    p["required"] = true;
  }
  return p;
}

// Query parameters per action, as upstream declares them (types from metav1's options).
json queryParams(std::string_view action) {
  static const std::map<std::string, const char*> kTypes = {
      {"allowWatchBookmarks", "boolean"}, {"continue", "string"},
      {"dryRun", "string"},               {"fieldManager", "string"},
      {"fieldSelector", "string"},        {"fieldValidation", "string"},
      {"force", "boolean"},               {"gracePeriodSeconds", "integer"},
      {"labelSelector", "string"},        {"limit", "integer"},
      {"orphanDependents", "boolean"},    {"propagationPolicy", "string"},
      {"resourceVersion", "string"},      {"resourceVersionMatch", "string"},
      {"sendInitialEvents", "boolean"},   {"timeoutSeconds", "integer"},
      {"watch", "boolean"}};
  static const std::map<std::string_view, std::vector<const char*>> kByAction = {
      {"list",
       {"allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit",
        "resourceVersion", "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds",
        "watch"}},
      {"post", {"dryRun", "fieldManager", "fieldValidation"}},
      {"put", {"dryRun", "fieldManager", "fieldValidation"}},
      {"patch", {"dryRun", "fieldManager", "fieldValidation", "force"}},
      {"delete", {"dryRun", "gracePeriodSeconds", "orphanDependents", "propagationPolicy"}},
      {"deletecollection",
       {"continue", "dryRun", "fieldSelector", "gracePeriodSeconds", "labelSelector", "limit",
        "orphanDependents", "propagationPolicy", "resourceVersion", "resourceVersionMatch",
        "sendInitialEvents", "timeoutSeconds"}},
  };
  json out = json::array();
  if (auto it = kByAction.find(action); it != kByAction.end()) {
    for (const char* name : it->second) {
      out.push_back(param(name, "query", kTypes.at(name)));
    }
  }
  return out;
}

// The media types a response can be written in, each with the same schema.
json content(const std::string& schema, bool watch) {
  json c = json::object();
  std::vector<const char*> types = {"application/json", "application/vnd.kubernetes.protobuf",
                                    "application/yaml"};
  if (watch) {
    types.push_back("application/json;stream=watch");
    types.push_back("application/vnd.kubernetes.protobuf;stream=watch");
  }
  for (const char* t : types) {
    c[t] = {{"schema", {{"$ref", schemaRef(schema)}}}};
  }
  return c;
}

json responses(const std::vector<std::string>& codes, const std::string& schema, bool watch) {
  static const std::map<std::string, const char*> kText = {
      {"200", "OK"}, {"201", "Created"}, {"202", "Accepted"}};
  json r = {{"401", {{"description", "Unauthorized"}}}};
  for (const std::string& code : codes) {
    r[code] = {{"description", kText.at(code)}};
    if (!schema.empty()) {
      r[code]["content"] = content(schema, watch);
    }
  }
  return r;
}

struct Gvk {
  std::string group, version, kind;
};

// What one operation is about; the rest follows from its action.
struct OperationSpec {
  const char* method;  // "get", "post", ...
  const char* action;  // x-kubernetes-action
  std::string id;      // operationId
  Gvk gvk;
  std::string bodySchema;      // request body; "" for none
  std::string responseSchema;  // "" when the kind has no schema
};

class PathBuilder {
 public:
  PathBuilder(const api::ResourceInfo& r, const SchemaNamer& names, bool smp, json& paths)
      : r_(r), names_(names), smp_(smp), paths_(paths) {
    prefix_ = r.group.empty() ? "/api/" + r.version : "/apis/" + r.group + "/" + r.version;
    words_ = groupWord(r.group) + capitalized(r.version);
    tag_ = words_.substr(0, words_.size() - r.version.size());
    tag_[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(tag_[0])));
    tag_ += "_" + r.version;
    kind_ = {r.group, r.version, r.kind};
    object_ = names(r.group, r.version, r.kind);
    list_ = names(r.group, r.version, r.kind + "List");
  }

  void build() {
    const std::string scope = r_.namespaced ? "Namespaced" : "";
    const std::string collection =
        prefix_ + (r_.namespaced ? "/namespaces/{namespace}/" : "/") + r_.resource;
    const std::string item = collection + "/{name}";
    if (r_.namespaced && r_.hasVerb("list")) {
      add(prefix_ + "/" + r_.resource,
          {"get", "list", "list" + words_ + r_.kind + "ForAllNamespaces", kind_, "", list_});
    }
    if (r_.hasVerb("list")) {
      add(collection, {"get", "list", "list" + words_ + scope + r_.kind, kind_, "", list_});
    }
    if (r_.hasVerb("create")) {
      add(collection,
          {"post", "post", "create" + words_ + scope + r_.kind, kind_, object_, object_});
    }
    if (r_.hasVerb("deletecollection")) {
      add(collection, {"delete", "deletecollection",
                       "delete" + words_ + "Collection" + scope + r_.kind, kind_,
                       std::string(kMeta) + "DeleteOptions", std::string(kMeta) + "Status"});
    }
    if (r_.hasVerb("get")) {
      add(item, {"get", "get", "read" + words_ + scope + r_.kind, kind_, "", object_});
    }
    if (r_.hasVerb("update")) {
      add(item, {"put", "put", "replace" + words_ + scope + r_.kind, kind_, object_, object_});
    }
    if (r_.hasVerb("patch")) {
      add(item, {"patch", "patch", "patch" + words_ + scope + r_.kind, kind_,
                 std::string(kMeta) + "Patch", object_});
    }
    if (r_.hasVerb("delete")) {
      add(item, {"delete", "delete", "delete" + words_ + scope + r_.kind, kind_,
                 std::string(kMeta) + "DeleteOptions",
                 returnsDeletedObject(r_) ? object_ : std::string(kMeta) + "Status"});
    }
    for (const api::SubresourceInfo& s : r_.subresources) {
      if (describedSubresource(s.name)) {
        addSubresource(s, item + "/" + s.name, scope);
      }
    }
    for (const std::string& path : touched_) {
      hoistSharedParameters(paths_[path]);
    }
  }

 private:
  void addSubresource(const api::SubresourceInfo& s, const std::string& path,
                      const std::string& scope) {
    Gvk gvk{s.group.empty() && s.version.empty() ? r_.group : s.group,
            s.version.empty() ? r_.version : s.version, s.kind};
    std::string schema = names_(gvk.group, gvk.version, gvk.kind);
    std::string name = words_ + scope + r_.kind + capitalized(s.name);
    auto has = [&](const char* v) {
      return std::find(s.verbs.begin(), s.verbs.end(), v) != s.verbs.end();
    };
    if (has("get")) {
      add(path, {"get", "get", "read" + name, gvk, "", schema});
    }
    if (has("create")) {
      add(path, {"post", "post", "create" + name, gvk, schema, schema});
    }
    if (has("update")) {
      add(path, {"put", "put", "replace" + name, gvk, schema, schema});
    }
    if (has("patch")) {
      add(path, {"patch", "patch", "patch" + name, gvk, std::string(kMeta) + "Patch", schema});
    }
  }

  void add(const std::string& path, const OperationSpec& spec) {
    json op = {{"operationId", spec.id},
               {"tags", json::array({tag_})},
               {"x-kubernetes-action", spec.action},
               {"x-kubernetes-group-version-kind",
                {{"group", spec.gvk.group}, {"kind", spec.gvk.kind},
                 {"version", spec.gvk.version}}}};
    json params = json::array();
    if (path.find("{name}") != std::string::npos) {
      params.push_back(param("name", "path", "string"));
    }
    if (path.find("{namespace}") != std::string::npos) {
      params.push_back(param("namespace", "path", "string"));
    }
    params.push_back(param("pretty", "query", "string"));
    for (auto& q : queryParams(spec.action)) {
      params.push_back(std::move(q));
    }
    op["parameters"] = std::move(params);
    std::string_view action = spec.action;
    if (!spec.bodySchema.empty()) {
      if (action == "patch") {
        json c = json::object();
        std::vector<const char*> types = {"application/apply-patch+yaml",
                                          "application/json-patch+json",
                                          "application/merge-patch+json"};
        if (smp_) {
          types.push_back("application/strategic-merge-patch+json");
        }
        for (const char* t : types) {
          c[t] = {{"schema", {{"$ref", schemaRef(spec.bodySchema)}}}};
        }
        op["requestBody"] = {{"content", c}, {"required", true}};
      } else {
        op["requestBody"] = {{"content", {{"*/*", {{"schema", {{"$ref", schemaRef(spec.bodySchema)}}}}}}}};
        if (action == "post" || action == "put") {
          op["requestBody"]["required"] = true;
        }
      }
    }
    std::vector<std::string> codes = {"200"};
    if (action == "post") {
      codes = {"200", "201", "202"};
    } else if (action == "put" || action == "patch") {
      codes = {"200", "201"};
    } else if (action == "delete") {
      codes = {"200", "202"};
    }
    op["responses"] = responses(codes, spec.responseSchema, action == "list");
    paths_[path][spec.method] = std::move(op);
    if (std::find(touched_.begin(), touched_.end(), path) == touched_.end()) {
      touched_.push_back(path);
    }
  }

  // Parameters every operation of a path takes move up to the path, as upstream's documents
  // have them.
  static void hoistSharedParameters(json& path) {
    std::vector<json*> ops;
    for (auto& [method, op] : path.items()) {
      if (method != "parameters") {
        ops.push_back(&op);
      }
    }
    if (ops.empty()) {
      return;
    }
    auto named = [](const json& p) { return p["name"].get<std::string>(); };
    std::map<std::string, json> shared;
    for (const json& p : (*ops[0])["parameters"]) {
      shared[named(p)] = p;
    }
    for (size_t i = 1; i < ops.size(); ++i) {
      std::set<std::string> here;
      for (const json& p : (*ops[i])["parameters"]) {
        here.insert(named(p));
      }
      for (auto it = shared.begin(); it != shared.end();) {
        it = here.count(it->first) ? std::next(it) : shared.erase(it);
      }
    }
    json pathParams = json::array();
    for (auto& [name, p] : shared) {
      pathParams.push_back(p);
    }
    path["parameters"] = std::move(pathParams);
    for (json* op : ops) {
      json rest = json::array();
      for (json& p : (*op)["parameters"]) {
        if (!shared.count(named(p))) {
          rest.push_back(std::move(p));
        }
      }
      std::sort(rest.begin(), rest.end(),
                [&](const json& a, const json& b) { return named(a) < named(b); });
      if (rest.empty()) {
        op->erase("parameters");
      } else {
        (*op)["parameters"] = std::move(rest);
      }
    }
  }

  const api::ResourceInfo& r_;
  const SchemaNamer& names_;
  bool smp_;
  json& paths_;
  std::string prefix_, words_, tag_;
  Gvk kind_;
  std::string object_, list_;
  std::vector<std::string> touched_;
};

}  // namespace

std::string openApiPath(std::string_view group, std::string_view version) {
  return group.empty() ? "api/" + std::string(version)
                       : "apis/" + std::string(group) + "/" + std::string(version);
}

void addResourcePaths(const api::ResourceInfo& r, const SchemaNamer& names,
                      bool strategicMergePatch, json& paths) {
  PathBuilder(r, names, strategicMergePatch, paths).build();
}

void addDiscoveryPath(std::string_view group, std::string_view version, json& paths) {
  std::string words = groupWord(group) + capitalized(version);
  std::string tag = words.substr(0, words.size() - version.size());
  tag[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(tag[0])));
  paths["/" + openApiPath(group, version) + "/"]["get"] = {
      {"operationId", "get" + words + "APIResources"},
      {"tags", json::array({tag + "_" + std::string(version)})},
      {"responses", responses({"200"}, std::string(kMeta) + "APIResourceList", false)}};
}

std::string assembleDocument(
    const json& paths, const std::vector<std::pair<std::string_view, std::string_view>>& schemas) {
  json doc = {{"openapi", "3.0.0"},
              {"info", {{"title", "Kubernetes"}, {"version", "unversioned"}}},
              {"paths", paths},
              {"components",
               {{"securitySchemes",
                 {{"BearerToken",
                   {{"type", "apiKey"}, {"in", "header"}, {"name", "authorization"}}}}}}}};
  std::string text = doc.dump();
  // Keys are sorted, so the text starts with the components object: the definitions go in
  // first ("schemas" sorts before "securitySchemes"), copied as the embedded text has them.
  const std::string head = R"({"components":{)";
  std::string defs = R"("schemas":{)";
  for (size_t i = 0; i < schemas.size(); ++i) {
    if (i > 0) {
      defs += ',';
    }
    defs += json(std::string(schemas[i].first)).dump();
    defs += ':';
    defs += schemas[i].second;
  }
  defs += "},";
  text.insert(head.size(), defs);
  return text;
}

namespace {

const api::GroupVersionInfo* findGroupVersion(const api::ResourceRegistry& registry,
                                              std::string_view group, std::string_view version) {
  const api::GroupInfo* g = registry.group(group);
  if (g != nullptr) {
    for (const auto& v : g->versions) {
      if (v.version == version) {
        return &v;
      }
    }
  }
  return nullptr;
}

// "gateway.networking.k8s.io" -> "io.k8s.networking.gateway", as upstream prefixes the
// definitions of custom resources.
std::string reversedGroup(std::string_view group) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dot = group.find('.', start);
    parts.push_back(group.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    out += (out.empty() ? "" : ".") + std::string(*it);
  }
  return out;
}

json gvkExtension(std::string_view group, std::string_view version, std::string_view kind) {
  return json::array({{{"group", group}, {"kind", kind}, {"version", version}}});
}

json metaRef(const char* type) {
  return {{"allOf", json::array({{{"$ref", schemaRef(std::string(kMeta) + type)}}})}};
}

// The kind's schema as the CRD declares it, with the fields every object has.
json customKindSchema(const api::ResourceInfo& r) {
  json schema = json::parse(r.custom->publishedSchema, nullptr, false);
  if (!schema.is_object() || schema.empty()) {
    schema = {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
  }
  schema["properties"]["apiVersion"] = {{"type", "string"}};
  schema["properties"]["kind"] = {{"type", "string"}};
  schema["properties"]["metadata"] = metaRef("ObjectMeta");
  schema["type"] = "object";
  schema["x-kubernetes-group-version-kind"] = gvkExtension(r.group, r.version, r.kind);
  return schema;
}

json customListSchema(const api::ResourceInfo& r, const std::string& itemName) {
  return {{"type", "object"},
          {"required", json::array({"items"})},
          {"properties",
           {{"apiVersion", {{"type", "string"}}},
            {"items", {{"type", "array"}, {"items", {{"$ref", schemaRef(itemName)}}}}},
            {"kind", {{"type", "string"}}},
            {"metadata", metaRef("ListMeta")}}},
          {"x-kubernetes-group-version-kind",
           gvkExtension(r.group, r.version, r.custom->listKind)}};
}

}  // namespace

std::string renderCustomDocument(const api::ResourceRegistry& registry, std::string_view group,
                                 std::string_view version) {
  const api::GroupVersionInfo* gv = findGroupVersion(registry, group, version);
  if (gv == nullptr) {
    return "";
  }
  const api::DefinitionIndex& index = api::DefinitionIndex::builtin();
  const std::string prefix = reversedGroup(group) + "." + std::string(version) + ".";
  SchemaNamer names = [&](std::string_view gr, std::string_view v, std::string_view k) {
    if (gr == group && v == version) {
      return prefix + std::string(k);
    }
    return std::string(index.nameForKind(gr, v, k));
  };
  json paths = json::object();
  addDiscoveryPath(group, version, paths);
  std::map<std::string, std::string> custom;  // name -> schema text
  for (const api::ResourceInfo* r : gv->resources) {
    if (!r->custom) {
      continue;
    }
    addResourcePaths(*r, names, /*strategicMergePatch=*/false, paths);
    std::string kindName = prefix + r->kind;
    custom[kindName] = customKindSchema(*r).dump();
    custom[prefix + r->custom->listKind] = customListSchema(*r, kindName).dump();
  }
  std::string refText = paths.dump();
  for (const auto& [name, text] : custom) {
    refText += text;
  }
  std::map<std::string_view, std::string_view> schemas;
  for (std::string_view name : index.closure(api::DefinitionIndex::references(refText))) {
    if (std::string_view def = index.find(name); !def.empty()) {
      schemas.emplace(name, def);
    }
  }
  for (const auto& [name, text] : custom) {
    schemas[name] = text;
  }
  return assembleDocument(paths, {schemas.begin(), schemas.end()});
}

std::string renderBuiltinDocument(const api::ResourceRegistry& registry, std::string_view group,
                                  std::string_view version) {
  const api::GroupInfo* g = registry.group(group);
  const api::GroupVersionInfo* gv = nullptr;
  if (g != nullptr) {
    for (const auto& v : g->versions) {
      if (v.version == version) {
        gv = &v;
      }
    }
  }
  if (gv == nullptr) {
    return "";
  }
  const api::DefinitionIndex& index = api::DefinitionIndex::builtin();
  SchemaNamer names = [&index](std::string_view gr, std::string_view v, std::string_view k) {
    return std::string(index.nameForKind(gr, v, k));
  };
  json paths = json::object();
  addDiscoveryPath(group, version, paths);
  for (const api::ResourceInfo* r : gv->resources) {
    addResourcePaths(*r, names, /*strategicMergePatch=*/true, paths);
  }
  std::string pathText = paths.dump();
  auto refs = api::DefinitionIndex::references(pathText);
  std::vector<std::pair<std::string_view, std::string_view>> schemas;
  for (std::string_view name : index.closure(refs)) {
    schemas.emplace_back(name, index.find(name));
  }
  return assembleDocument(paths, schemas);
}

}  // namespace tug::apiserver
