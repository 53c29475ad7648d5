#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/resource_registry.h"
#include "api/schema/type_graph.h"
#include "apiserver/field_validation.h"
#include "apiserver/openapi_document.h"
#include "apiserver/openapi_documents.h"
#include "apiserver/openapi_routes.h"

namespace tug::apiserver {
namespace {

using nlohmann::json;

std::string referenceDir() {
  const char* dir = std::getenv("TUG_REFERENCE_DIR");
  return dir != nullptr ? dir : "/work/shared/reference";
}

json readReference(const std::string& file) {
  std::ifstream in(referenceDir() + "/openapi/v3/" + file);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

json render(std::string_view group, std::string_view version) {
  std::string text =
      renderBuiltinDocument(api::ResourceRegistry::builtin(), group, version);
  REQUIRE_FALSE(text.empty());
  return json::parse(text);
}

// Paths upstream documents that we leave out on purpose: the deprecated /watch/ paths (watch
// is ?watch=true on the list) and the streaming subresources.
bool skipped(const std::string& path) {
  if (path.find("/watch/") != std::string::npos) {
    return true;
  }
  for (const char* s : {"/exec", "/attach", "/portforward", "/proxy", "/log"}) {
    if (path.find(s) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::set<std::string> paramNames(const json& params) {
  std::set<std::string> out;
  for (const auto& p : params) {
    out.insert(p["in"].get<std::string>() + ":" + p["name"].get<std::string>());
  }
  return out;
}

// Content types and the schema each refers to.
std::map<std::string, std::string> contentRefs(const json& content) {
  std::map<std::string, std::string> out;
  for (const auto& [type, media] : content.items()) {
    out[type] = media["schema"].value("$ref", "");
  }
  return out;
}

void compareWithReference(const json& ours, const json& ref) {
  std::set<std::string> expectedPaths;
  for (const auto& [path, item] : ref["paths"].items()) {
    if (skipped(path)) {
      continue;
    }
    expectedPaths.insert(path);
    INFO(path);
    REQUIRE(ours["paths"].contains(path));
    const json& mine = ours["paths"][path];
    CHECK(paramNames(mine.value("parameters", json::array())) ==
          paramNames(item.value("parameters", json::array())));
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters") {
        continue;
      }
      INFO(method);
      REQUIRE(mine.contains(method));
      const json& m = mine[method];
      CHECK(m["operationId"] == op["operationId"]);
      CHECK(m.value("x-kubernetes-action", "") == op.value("x-kubernetes-action", ""));
      CHECK(m.value("x-kubernetes-group-version-kind", json()) ==
            op.value("x-kubernetes-group-version-kind", json()));
      CHECK(m["tags"] == op["tags"]);
      CHECK(paramNames(m.value("parameters", json::array())) ==
            paramNames(op.value("parameters", json::array())));
      CHECK(m.contains("requestBody") == op.contains("requestBody"));
      if (op.contains("requestBody")) {
        CHECK(contentRefs(m["requestBody"]["content"]) ==
              contentRefs(op["requestBody"]["content"]));
        CHECK(m["requestBody"].value("required", false) ==
              op["requestBody"].value("required", false));
      }
      std::set<std::string> codes, refCodes;
      for (const auto& [code, r] : op["responses"].items()) {
        refCodes.insert(code);
        CHECK(contentRefs(m["responses"][code].value("content", json::object())) ==
              contentRefs(r.value("content", json::object())));
      }
      for (const auto& [code, r] : m["responses"].items()) {
        codes.insert(code);
      }
      CHECK(codes == refCodes);
    }
    for (const auto& [method, op] : mine.items()) {
      CHECK(item.contains(method));
    }
  }
  for (const auto& [path, item] : ours["paths"].items()) {
    INFO(path);
    CHECK(expectedPaths.count(path) == 1);
  }
  // Every definition referred to is there, and is one upstream has.
  std::string text = ours.dump();
  for (size_t pos = 0; (pos = text.find("#/components/schemas/", pos)) != std::string::npos;) {
    pos += 21;
    std::string name = text.substr(pos, text.find('"', pos) - pos);
    INFO(name);
    CHECK(ours["components"]["schemas"].contains(name));
  }
  for (const auto& [name, schema] : ours["components"]["schemas"].items()) {
    INFO(name);
    CHECK(ref["components"]["schemas"].contains(name));
    CHECK_FALSE(schema.contains("description"));
  }
  CHECK(ours["openapi"] == "3.0.0");
}

TEST_CASE("generated documents match upstream's structure", "[openapi]") {
  compareWithReference(render("apps", "v1"), readReference("apis__apps__v1_openapi.json"));
  compareWithReference(render("", "v1"), readReference("api__v1_openapi.json"));
  compareWithReference(render("rbac.authorization.k8s.io", "v1"),
                       readReference("apis__rbac.authorization.k8s.io__v1_openapi.json"));
  compareWithReference(render("batch", "v1"), readReference("apis__batch__v1_openapi.json"));
  compareWithReference(render("autoscaling", "v2"),
                       readReference("apis__autoscaling__v2_openapi.json"));
  compareWithReference(render("certificates.k8s.io", "v1"),
                       readReference("apis__certificates.k8s.io__v1_openapi.json"));
  compareWithReference(render("authorization.k8s.io", "v1"),
                       readReference("apis__authorization.k8s.io__v1_openapi.json"));
}

TEST_CASE("documents are deterministic and absent group versions give nothing", "[openapi]") {
  const auto& reg = api::ResourceRegistry::builtin();
  CHECK(renderBuiltinDocument(reg, "apps", "v1") == renderBuiltinDocument(reg, "apps", "v1"));
  CHECK(renderBuiltinDocument(reg, "apps", "v2").empty());
  CHECK(renderBuiltinDocument(reg, "nosuch.io", "v1").empty());
  CHECK(openApiPath("", "v1") == "api/v1");
  CHECK(openApiPath("apps", "v1") == "apis/apps/v1");
}

TEST_CASE("CRD paths offer no strategic merge patch", "[openapi]") {
  api::ResourceInfo r;
  r.group = "example.com";
  r.version = "v1";
  r.resource = "widgets";
  r.kind = "Widget";
  r.namespaced = true;
  r.verbs = {"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"};
  r.subresources = {api::SubresourceInfo{"status", "Widget", "", "", {"get", "update", "patch"}}};
  json paths = json::object();
  addResourcePaths(r, [](auto, auto, std::string_view k) { return "com.example.v1." + std::string(k); },
                   /*strategicMergePatch=*/false, paths);
  const json& patch = paths["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"]["patch"];
  CHECK(patch["operationId"] == "patchExampleComV1NamespacedWidget");
  CHECK(contentRefs(patch["requestBody"]["content"]).size() == 3);
  CHECK_FALSE(patch["requestBody"]["content"].contains("application/strategic-merge-patch+json"));
  std::set<std::string> names;
  for (const auto& p : patch["parameters"]) {
    names.insert(p["name"]);
  }
  CHECK(names == std::set<std::string>{"dryRun", "fieldManager", "fieldValidation", "force"});
  CHECK(paths.contains("/apis/example.com/v1/widgets"));
  CHECK(paths.contains("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status"));
  std::string doc = assembleDocument(paths, {{"com.example.v1.Widget", R"({"type":"object"})"}});
  json parsed = json::parse(doc);
  CHECK(parsed["components"]["schemas"]["com.example.v1.Widget"] == json{{"type", "object"}});
  CHECK(parsed["components"].contains("securitySchemes"));
}

TEST_CASE("the index lists hashes; set and remove change it", "[openapi]") {
  OpenApiDocuments docs(api::ResourceRegistry::builtin());
  json index = json::parse(docs.index());
  REQUIRE(index["paths"].contains("api/v1"));
  REQUIRE(index["paths"].contains("apis/apps/v1"));
  CHECK_FALSE(index["paths"].contains("apis/flowcontrol.apiserver.k8s.io/v1beta3"));
  auto apps = docs.document("apis/apps/v1");
  REQUIRE(apps);
  CHECK(apps->hash == sha512Hex(*apps->text));
  CHECK(index["paths"]["apis/apps/v1"]["serverRelativeURL"] ==
        "/openapi/v3/apis/apps/v1?hash=" + apps->hash);
  CHECK_FALSE(docs.document("apis/nosuch.io/v1"));

  docs.set("apis/example.com/v1", [] { return std::string(R"({"openapi":"3.0.0"})"); });
  json withCrd = json::parse(docs.index());
  CHECK(withCrd["paths"]["apis/example.com/v1"]["serverRelativeURL"] ==
        "/openapi/v3/apis/example.com/v1?hash=" + sha512Hex(R"({"openapi":"3.0.0"})"));
  CHECK(*docs.document("apis/example.com/v1")->text == R"({"openapi":"3.0.0"})");
  docs.set("apis/example.com/v1", [] { return std::string(R"({"openapi":"3.0.1"})"); });
  CHECK(docs.document("apis/example.com/v1")->hash == sha512Hex(R"({"openapi":"3.0.1"})"));
  docs.remove("apis/example.com/v1");
  CHECK_FALSE(docs.document("apis/example.com/v1"));
  CHECK_FALSE(json::parse(docs.index())["paths"].contains("apis/example.com/v1"));
  CHECK(json::parse(docs.index()) == index);
}

TEST_CASE("hashes, accept and the v2 body", "[openapi]") {
  CHECK(sha512Hex("abc") ==
        "DDAF35A193617ABACC417349AE20413112E6FA4E89A97EA20A9EEEE64B55D39A"
        "2192992A274FC1A836BA3C23A3FEEBBD454D4423643CE80E2A9AC94FA54CA49F");
  CHECK(acceptsJson(""));
  CHECK(acceptsJson("application/json"));
  CHECK(acceptsJson("application/json, */*"));
  CHECK(acceptsJson("*/*"));
  CHECK_FALSE(acceptsJson("application/com.github.proto-openapi.spec.v3@v1.0+protobuf"));
  CHECK(kOpenApiV2Body == std::string("\x0a\x03\x32\x2e\x30", 5));
}

TEST_CASE("field validation modes", "[openapi][fieldvalidation]") {
  const auto& reg = api::ResourceRegistry::builtin();
  const api::ResourceInfo* deployments = reg.find("apps", "v1", "deployments");
  REQUIRE(deployments != nullptr);
  const std::string body =
      R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a"},)"
      R"("spec":{"replicas":1,"replicas":2,"foo":1}})";
  auto request = [&](const char* mode) {
    VerbRequest req{ResourceTarget{deployments, "default", "", ""}, {}, body};
    if (mode != nullptr) {
      req.params.emplace("fieldValidation", mode);
    }
    return req;
  };
  SECTION("Strict refuses with every problem") {
    json obj = json::parse(body);
    FieldCheck c = validateFields(request("Strict"), obj);
    REQUIRE(c.refusal);
    CHECK(c.refusal->code == 400);
    CHECK(c.refusal->body["reason"] == "BadRequest");
    CHECK(c.refusal->body["message"] ==
          "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding "
          "error: duplicate field \"spec.replicas\", unknown field \"spec.foo\"");
  }
  SECTION("Warn, also the default, warns and prunes") {
    for (const char* mode : {"Warn", static_cast<const char*>(nullptr), ""}) {
      json obj = json::parse(body);
      FieldCheck c = validateFields(request(mode), obj);
      CHECK_FALSE(c.refusal);
      CHECK(c.warnings == std::vector<std::string>{"duplicate field \"spec.replicas\"",
                                                   "unknown field \"spec.foo\""});
      CHECK_FALSE(obj["spec"].contains("foo"));
      CHECK(obj["spec"]["replicas"] == 2);
    }
  }
  SECTION("Ignore prunes silently") {
    json obj = json::parse(body);
    FieldCheck c = validateFields(request("Ignore"), obj);
    CHECK_FALSE(c.refusal);
    CHECK(c.warnings.empty());
    CHECK_FALSE(obj["spec"].contains("foo"));
  }
  SECTION("a bad value is a 422 about the options") {
    json obj = json::parse(body);
    FieldCheck c = validateFields(request("strict"), obj);
    REQUIRE(c.refusal);
    CHECK(c.refusal->code == 422);
    CHECK(c.refusal->body["reason"] == "Invalid");
    CHECK(c.refusal->body["message"] ==
          "CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: "
          "\"strict\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"");
    CHECK(c.refusal->body["details"]["kind"] == "CreateOptions");
    CHECK(obj["spec"].contains("foo"));  // untouched
  }
  SECTION("no type: nothing checked or pruned") {
    json obj = json::parse(body);
    FieldCheck c = checkFields(nullptr, true, {{"fieldValidation", "Strict"}}, body,
                               "PatchOptions", obj);
    CHECK_FALSE(c.refusal);
    CHECK(obj["spec"].contains("foo"));
  }
  SECTION("untyped order: duplicates, then unknown fields; YAML bodies skip duplicates") {
    json obj = json::parse(body);
    const api::TypeNode* type = api::builtinType("apps", "v1", "Deployment");
    FieldCheck c = checkFields(type, false, {}, body, "PatchOptions", obj);
    CHECK(c.warnings == std::vector<std::string>{"duplicate field \"spec.replicas\"",
                                                 "unknown field \"spec.foo\""});
    json again = json::parse(body);
    c = checkFields(type, true, {}, "", "PatchOptions", again);
    CHECK(c.warnings == std::vector<std::string>{"unknown field \"spec.foo\""});
  }
}

TEST_CASE("warning headers", "[openapi][fieldvalidation]") {
  CHECK(warningHeaderValue("unknown field \"spec.foo\"") ==
        "299 - \"unknown field \\\"spec.foo\\\"\"");
  CHECK(warningHeaderValue("a\\b\nc") == "299 - \"a\\\\b c\"");
  CHECK(parseFieldValidation("") == FieldValidation::kWarn);
  CHECK(parseFieldValidation("Strict") == FieldValidation::kStrict);
  CHECK(parseFieldValidation("Ignore") == FieldValidation::kIgnore);
  CHECK_FALSE(parseFieldValidation("ignore"));
  httplib::Response res;
  addWarningHeaders(res, {"one", "two"});
  CHECK(res.get_header_value_count("Warning") == 2);
  CHECK(res.get_header_value("Warning", 1) == "299 - \"two\"");
}

}  // namespace
}  // namespace tug::apiserver
