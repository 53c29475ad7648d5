#include "apiserver/resource_scale.h"

#include <catch2/catch.hpp>

#include "apiserver/resources.h"
#include "unit/store/store_fixture.h"

using namespace tug;
using namespace tug::apiserver;

namespace {

nlohmann::json deployment(int replicas) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"name", "web"}, {"namespace", "default"}}},
          {"spec",
           {{"replicas", replicas},
            {"selector", {{"matchLabels", {{"app", "web"}}}}},
            {"template",
             {{"metadata", {{"labels", {{"app", "web"}}}}},
              {"spec", {{"containers", {{{"name", "c"}, {"image", "nginx"}}}}}}}}}},
          {"status", {{"replicas", 1}}}};
}

}  // namespace

TEST_CASE("label selectors are written the way upstream formats them", "[scale]") {
  CHECK(formatLabelSelector({{"matchLabels", {{"b", "2"}, {"a", "1"}}}}) == "a=1,b=2");
  nlohmann::json sel = {
      {"matchLabels", {{"tier", "web"}}},
      {"matchExpressions",
       {{{"key", "env"}, {"operator", "In"}, {"values", {"prod", "dev"}}},
        {{"key", "gpu"}, {"operator", "DoesNotExist"}},
        {{"key", "zone"}, {"operator", "NotIn"}, {"values", {"b", "a"}}},
        {{"key", "arch"}, {"operator", "Exists"}}}}};
  CHECK(formatLabelSelector(sel) == "arch,env in (dev,prod),!gpu,tier=web,zone notin (a,b)");
  CHECK(formatLabelSelector(nlohmann::json::object()).empty());
  CHECK(formatLabelSelector(nullptr).empty());
}

TEST_CASE("a Scale shows the parent's replicas and selector", "[scale]") {
  nlohmann::json d = deployment(3);
  d["metadata"]["uid"] = "u1";
  d["metadata"]["resourceVersion"] = "42";
  d["metadata"]["labels"] = {{"x", "y"}};
  nlohmann::json s = scaleOf(d);
  CHECK(s["kind"] == "Scale");
  CHECK(s["apiVersion"] == "autoscaling/v1");
  CHECK(s["metadata"] == nlohmann::json{{"name", "web"},
                                        {"namespace", "default"},
                                        {"uid", "u1"},
                                        {"resourceVersion", "42"}});
  CHECK(s["spec"]["replicas"] == 3);
  CHECK(s["status"] == nlohmann::json{{"replicas", 1}, {"selector", "app=web"}});
}

TEST_CASE("applying a Scale sets the desired replicas and refuses bad ones", "[scale]") {
  nlohmann::json d = deployment(3);
  REQUIRE(applyScale(d, {{"spec", {{"replicas", 5}}}}).isOk());
  CHECK(d["spec"]["replicas"] == 5);
  Status negative = applyScale(d, {{"metadata", {{"name", "web"}}}, {"spec", {{"replicas", -1}}}});
  CHECK(negative.code() == Code::kInvalid);
  CHECK(negative.message() ==
        "Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be "
        "greater than or equal to 0");
  CHECK(applyScale(d, {{"spec", {{"replicas", "five"}}}}).code() == Code::kBadRequest);
  CHECK(applyScale(d, nlohmann::json::array()).code() == Code::kBadRequest);
  CHECK(applyScale(d, {{"kind", "Deployment"}}).code() == Code::kBadRequest);
  CHECK(d["spec"]["replicas"] == 5);  // refused changes leave the parent alone
}

TEST_CASE("GET and PUT on deployments/scale go through the parent", "[scale]") {
  testing::StoreFixture storeFixture;
  store::Store& store = storeFixture.open();
  const api::ResourceRegistry& registry = api::ResourceRegistry::builtin();
  VerbContext ctx{store, registry};
  REQUIRE(bootstrapNamespaces(store, registry).isOk());
  const api::ResourceInfo* info = registry.find("apps", "v1", "deployments");
  Reply created =
      createResource(ctx, VerbRequest{ResourceTarget{info, "default", "", ""}, {},
                                      deployment(2).dump()});
  REQUIRE(created.code == 201);
  ResourceTarget scaleTarget{info, "default", "web", "scale"};

  Reply got = getScale(ctx, VerbRequest{scaleTarget, {}, ""});
  REQUIRE(got.code == 200);
  CHECK(got.body["spec"]["replicas"] == 2);
  std::string rv = got.body["metadata"]["resourceVersion"];

  nlohmann::json body = got.body;
  body["spec"]["replicas"] = 4;
  Reply put = updateScale(ctx, VerbRequest{scaleTarget, {}, body.dump()});
  REQUIRE(put.code == 200);
  CHECK(put.body["kind"] == "Scale");
  CHECK(put.body["spec"]["replicas"] == 4);
  CHECK(put.body["metadata"]["resourceVersion"] != rv);

  Reply parent = getResource(ctx, VerbRequest{ResourceTarget{info, "default", "web", ""}, {}, ""});
  CHECK(parent.body["spec"]["replicas"] == 4);
  CHECK(parent.body["metadata"]["generation"] == 2);

  // The old resourceVersion is a stale precondition now.
  Reply stale = updateScale(ctx, VerbRequest{scaleTarget, {}, body.dump()});
  CHECK(stale.code == 409);
  Reply missing = getScale(ctx, VerbRequest{ResourceTarget{info, "default", "nope", "scale"},
                                            {}, ""});
  CHECK(missing.code == 404);
}
