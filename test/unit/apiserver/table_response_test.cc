#include <catch2/catch.hpp>

#include "api/resource_registry.h"
#include "apiserver/table_response.h"
#include "unit/apiserver/builtin_resource.h"

using namespace tug::apiserver;
using nlohmann::json;

namespace {

const char* kKubectl =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;"
    "g=meta.k8s.io,application/json";

VerbRequest request(const char* resource, std::string name, std::string accept,
                    QueryParams params = {}) {
  const auto* info = &builtinResource("", "v1", resource);
  VerbRequest req{ResourceTarget{info, "default", std::move(name), ""}, std::move(params), ""};
  req.accept = std::move(accept);
  return req;
}

json configMap(const char* name) {
  return {{"kind", "ConfigMap"},
          {"apiVersion", "v1"},
          {"metadata", {{"name", name}, {"namespace", "default"}, {"resourceVersion", "7"}}},
          {"data", {{"a", "b"}}}};
}

}  // namespace

TEST_CASE("Accept negotiation picks the first entry we can answer", "[table]") {
  auto f = negotiateOutput(kKubectl);
  REQUIRE(f);
  CHECK(f->rendering == Rendering::kTable);
  CHECK(f->groupVersion == "meta.k8s.io/v1");
  f = negotiateOutput("application/json;as=Table;v=v1beta1;g=meta.k8s.io");
  REQUIRE(f);
  CHECK(f->groupVersion == "meta.k8s.io/v1beta1");
  CHECK(negotiateOutput("")->rendering == Rendering::kObject);
  CHECK(negotiateOutput("*/*")->rendering == Rendering::kObject);
  CHECK(negotiateOutput("application/vnd.kubernetes.protobuf,application/json")->rendering ==
        Rendering::kObject);
  // Conversions we cannot make fall through to the next entry.
  CHECK(negotiateOutput("application/json;as=Table;v=v2;g=meta.k8s.io,application/json")
            ->rendering == Rendering::kObject);
  CHECK(negotiateOutput("application/json;as=Other;v=v1;g=meta.k8s.io,*/*")->rendering ==
        Rendering::kObject);
  // Preference by q comes before order.
  CHECK(negotiateOutput("application/json;q=0.5,application/json;as=PartialObjectMetadata;"
                        "v=v1;g=meta.k8s.io")
            ->rendering == Rendering::kPartialObjectMetadata);
  CHECK(negotiateOutput("application/json;as=Table;v=v1;g=meta.k8s.io;q=0,application/json")
            ->rendering == Rendering::kObject);
}

TEST_CASE("Accept with nothing we serve is not acceptable", "[table]") {
  for (const char* accept : {"application/yaml", "text/html", "application/vnd.kubernetes.protobuf",
                             "application/json;as=Table;g=meta.k8s.io", "application/json;q=0",
                             "garbage"}) {
    INFO(accept);
    CHECK_FALSE(negotiateOutput(accept));
  }
  Reply r = notAcceptableReply();
  CHECK(r.code == 406);
  CHECK(r.body["reason"] == "NotAcceptable");
  CHECK(r.body["code"] == 406);
}

TEST_CASE("replies become Tables, PartialObjectMetadata, or stay", "[table]") {
  Reply one = renderAsAccepted(Reply{200, configMap("a")}, request("configmaps", "a", kKubectl));
  CHECK(one.body["kind"] == "Table");
  CHECK(one.body["metadata"]["resourceVersion"] == "7");
  CHECK(one.body["rows"][0]["cells"][0] == "a");
  CHECK(one.body["rows"][0]["cells"][1] == 1);

  json list = {{"kind", "ConfigMapList"},
               {"apiVersion", "v1"},
               {"metadata", {{"resourceVersion", "9"}, {"continue", "c"}}},
               {"items", {configMap("a"), configMap("b")}}};
  Reply table = renderAsAccepted(Reply{200, list},
                                 request("configmaps", "", kKubectl, {{"includeObject", "None"}}));
  CHECK(table.body["metadata"] == json({{"resourceVersion", "9"}, {"continue", "c"}}));
  CHECK(table.body["rows"].size() == 2);
  CHECK(table.body["rows"][1]["object"].is_null());

  Reply bad = renderAsAccepted(Reply{200, list},
                               request("configmaps", "", kKubectl, {{"includeObject", "x"}}));
  CHECK(bad.code == 400);

  json status = {{"kind", "Status"}, {"code", 404}};
  CHECK(renderAsAccepted(Reply{404, status}, request("configmaps", "a", kKubectl)).body == status);

  const std::string pom = "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io";
  Reply partial = renderAsAccepted(Reply{200, configMap("a")}, request("configmaps", "a", pom));
  CHECK(partial.body["kind"] == "PartialObjectMetadata");
  CHECK_FALSE(partial.body.contains("data"));
  Reply refused = renderAsAccepted(Reply{200, list}, request("configmaps", "", pom));
  CHECK(refused.code == 406);
  CHECK(refused.body["message"] ==
        "you requested PartialObjectMetadata, but the requested object is a list "
        "(*v1.ConfigMapList)");
  Reply plain = renderAsAccepted(Reply{200, list}, request("configmaps", "", "application/json"));
  CHECK(plain.body == list);
}

TEST_CASE("watch events: headers once, errors unchanged", "[table]") {
  auto made = WatchRenderer::forRequest(request("configmaps", "", kKubectl));
  REQUIRE(std::holds_alternative<WatchRenderer>(made));
  WatchRenderer r = std::get<WatchRenderer>(std::move(made));
  json first = r.render(configMap("a"), false);
  CHECK(first["columnDefinitions"].size() == 3);
  json second = r.render(configMap("b"), false);
  CHECK(second["columnDefinitions"].is_null());
  CHECK(second["rows"][0]["cells"][0] == "b");
  json status = {{"kind", "Status"}, {"code", 410}};
  CHECK(r.render(status, true) == status);
  auto refused = WatchRenderer::forRequest(request("configmaps", "", "text/plain"));
  REQUIRE(std::holds_alternative<Reply>(refused));
  CHECK(std::get<Reply>(refused).code == 406);
}
