#include <set>

#include <catch2/catch.hpp>

#include "api/validation/defaults.h"
#include "api/validation/validation.h"

using nlohmann::json;
using namespace tug::api::validation;

namespace {

json crd() {
  return json::parse(R"({
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {"group": "example.com", "scope": "Namespaced",
             "names": {"plural": "widgets", "kind": "Widget"},
             "versions": [{"name": "v1", "served": true, "storage": true,
                           "schema": {"openAPIV3Schema": {"type": "object"}}}]}
  })");
}

const KindRef kCrd{"apiextensions.k8s.io", "CustomResourceDefinition", false};

std::set<std::string> fields(const ErrorList& errs) {
  std::set<std::string> out;
  for (const auto& e : errs) {
    out.insert(e.field);
  }
  return out;
}

}  // namespace

TEST_CASE("a CRD gets upstream's defaults and validates", "[crd]") {
  json c = crd();
  applyDefaults("apiextensions.k8s.io", "CustomResourceDefinition", c);
  CHECK(c["spec"]["names"]["singular"] == "widget");
  CHECK(c["spec"]["names"]["listKind"] == "WidgetList");
  CHECK(c["spec"]["conversion"] == json{{"strategy", "None"}});
  CHECK(validateCreate(kCrd, c).empty());
}

TEST_CASE("invalid CRDs name the offending fields", "[crd]") {
  auto check = [](json c, const std::string& field) {
    applyDefaults("apiextensions.k8s.io", "CustomResourceDefinition", c);
    CHECK(fields(validateCreate(kCrd, c)).count(field));
  };
  json c = crd();
  c["metadata"]["name"] = "other.example.com";
  check(c, "metadata.name");
  c = crd();
  c["spec"]["group"] = "example";
  c["metadata"]["name"] = "widgets.example";
  check(c, "spec.group");
  c = crd();
  c["spec"]["group"] = "x.k8s.io";
  c["metadata"]["name"] = "widgets.x.k8s.io";
  check(c, "metadata.annotations[api-approved.kubernetes.io]");
  c = crd();
  c["spec"]["versions"][0]["storage"] = false;
  check(c, "spec.versions");
  c = crd();
  c["spec"]["versions"].push_back(c["spec"]["versions"][0]);
  check(c, "spec.versions[1].name");
  c = crd();
  c["spec"]["versions"][0].erase("schema");
  check(c, "spec.versions[0].schema.openAPIV3Schema");
  c = crd();
  c["spec"]["versions"][0]["schema"]["openAPIV3Schema"] = {{"type", "string"}};
  check(c, "spec.versions[0].schema.openAPIV3Schema.type");
  c = crd();
  c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"] = {
      {"$ref", "#/definitions/x"}};
  check(c, "spec.versions[0].schema.openAPIV3Schema.properties[spec].type");
  c = crd();
  c["spec"]["names"]["kind"] = "";
  check(c, "spec.names.kind");
  c = crd();
  c["spec"]["versions"][0]["additionalPrinterColumns"] = {{{"name", "A"}, {"type", "color"},
                                                           {"jsonPath", ".a"}}};
  check(c, "spec.versions[0].additionalPrinterColumns[0].type");
  c = crd();
  c["spec"]["versions"][0]["subresources"] = {{"scale", {{"specReplicasPath", ".replicas"},
                                                         {"statusReplicasPath", ".status.r"}}}};
  check(c, "spec.versions[0].subresources.scale.specReplicasPath");
}

TEST_CASE("a CRD's group and scope do not change", "[crd]") {
  json old = crd();
  applyDefaults("apiextensions.k8s.io", "CustomResourceDefinition", old);
  old["metadata"]["uid"] = "u";
  old["metadata"]["creationTimestamp"] = "2026-01-01T00:00:00Z";
  json next = old;
  next["spec"]["scope"] = "Cluster";
  CHECK(fields(validateUpdate(kCrd, next, old)).count("spec.scope"));
}
