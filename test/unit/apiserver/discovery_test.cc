#include "apiserver/discovery.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "apiserver/discovery_routes.h"

using nlohmann::json;
using tug::api::ResourceRegistry;
using tug::apiserver::AggregatedVersion;
using tug::apiserver::DiscoveryFormat;
using tug::apiserver::negotiateDiscovery;

namespace {

// The discovery bodies a real 1.31 server emits (test/testdata/discovery, found through
// $TUG_TESTDATA_DIR). They list alpha and beta versions too, which a default server (and tug)
// does not serve.
std::filesystem::path referenceDir() {
  const char* env = std::getenv("TUG_TESTDATA_DIR");
  return std::filesystem::path(env != nullptr ? env : "test/testdata") / "discovery";
}

bool haveReference() {
  INFO("reference discovery bodies at " << referenceDir());
  REQUIRE(std::filesystem::is_directory(referenceDir()));
  return true;
}

json reference(const std::string& name) {
  std::ifstream in(referenceDir() / name);
  REQUIRE(in.good());
  return json::parse(in);
}

bool isGa(const std::string& version) {
  return version.find("alpha") == std::string::npos && version.find("beta") == std::string::npos;
}

// apis.json without the versions a default server leaves off.
json gaGroupList(json list) {
  for (auto& g : list["groups"]) {
    json kept = json::array();
    for (const auto& v : g["versions"]) {
      if (isGa(v["version"])) {
        kept.push_back(v);
      }
    }
    g["versions"] = kept;
  }
  json groups = json::array();
  for (const auto& g : list["groups"]) {
    if (!g["versions"].empty()) {
      groups.push_back(g);
    }
  }
  list["groups"] = groups;
  return list;
}

json gaAggregated(json list) {
  json items = json::array();
  for (auto& item : list["items"]) {
    json kept = json::array();
    for (const auto& v : item["versions"]) {
      if (isGa(v["version"])) {
        kept.push_back(v);
      }
    }
    if (!kept.empty()) {
      item["versions"] = kept;
      items.push_back(item);
    }
  }
  list["items"] = items;
  return list;
}

std::string fileFor(const std::string& group, const std::string& version) {
  return group.empty() ? "api__" + version + ".json" : "apis__" + group + "__" + version + ".json";
}

const ResourceRegistry& reg() { return ResourceRegistry::builtin(); }

}  // namespace

TEST_CASE("every served group version lists its resources as upstream does",
          "[apiserver][discovery]") {
  if (!haveReference()) {
    return;
  }
  int compared = 0;
  for (const auto& g : reg().groups()) {
    for (const auto& v : g.versions) {
      INFO(g.name << "/" << v.version);
      auto doc = tug::apiserver::apiResourceList(reg(), g.name, v.version);
      REQUIRE(doc.ok());
      json want = reference(fileFor(g.name, v.version));
      CHECK(*doc == want);
      ++compared;
    }
  }
  CHECK(compared == 21);  // 20 groups, autoscaling with two versions
}

TEST_CASE("/api and /apis match upstream's GA parts", "[apiserver][discovery]") {
  if (!haveReference()) {
    return;
  }
  CHECK(tug::apiserver::apiVersions(reg(), "127.0.0.1:6443") == reference("api.json"));
  CHECK(tug::apiserver::apiGroupList(reg()) == gaGroupList(reference("apis.json")));

  json groups = gaGroupList(reference("apis.json"))["groups"];
  for (const auto& want : groups) {
    INFO(want["name"]);
    auto got = tug::apiserver::apiGroup(reg(), want["name"].get<std::string>());
    REQUIRE(got.ok());
    json expected = want;
    expected["kind"] = "APIGroup";
    expected["apiVersion"] = "v1";
    CHECK(*got == expected);
  }
}

TEST_CASE("aggregated discovery matches upstream's GA parts in v2 and v2beta1",
          "[apiserver][discovery]") {
  if (!haveReference()) {
    return;
  }
  json core = tug::apiserver::aggregatedDiscovery(reg(), true, AggregatedVersion::kV2);
  json groups = tug::apiserver::aggregatedDiscovery(reg(), false, AggregatedVersion::kV2);
  CHECK(core == gaAggregated(reference("aggregated_v2__api.json")));
  CHECK(groups == gaAggregated(reference("aggregated_v2__apis.json")));

  json beta = tug::apiserver::aggregatedDiscovery(reg(), false, AggregatedVersion::kV2Beta1);
  CHECK(beta["apiVersion"] == "apidiscovery.k8s.io/v2beta1");
  beta["apiVersion"] = "apidiscovery.k8s.io/v2";
  CHECK(beta == groups);
}

TEST_CASE("preferredVersion is the same object as the first entry of versions",
          "[apiserver][discovery]") {
  json list = tug::apiserver::apiGroupList(reg());
  REQUIRE(list["groups"].size() == 19);  // every group but the core group
  for (const auto& g : list["groups"]) {
    CHECK(g["preferredVersion"] == g["versions"][0]);
  }
  auto autoscaling = tug::apiserver::apiGroup(reg(), "autoscaling");
  REQUIRE(autoscaling.ok());
  CHECK((*autoscaling)["preferredVersion"] ==
        json{{"groupVersion", "autoscaling/v2"}, {"version", "v2"}});
}

TEST_CASE("subresources carry group and version only when their kind lives elsewhere",
          "[apiserver][discovery]") {
  auto v1 = tug::apiserver::apiResourceList(reg(), "", "v1");
  REQUIRE(v1.ok());
  auto entry = [&](const json& list, const std::string& name) {
    for (const auto& r : list["resources"]) {
      if (r["name"] == name) {
        return r;
      }
    }
    FAIL("no entry " << name);
    return json();
  };
  json eviction = entry(*v1, "pods/eviction");
  CHECK(eviction["group"] == "policy");
  CHECK(eviction["version"] == "v1");
  CHECK(eviction["kind"] == "Eviction");
  CHECK(eviction["singularName"] == "");
  json status = entry(*v1, "pods/status");
  CHECK_FALSE(status.contains("group"));
  CHECK_FALSE(status.contains("storageVersionHash"));
  CHECK(entry(*v1, "pods")["shortNames"] == json{"po"});
  CHECK_FALSE(entry(*v1, "bindings").contains("shortNames"));

  json agg = tug::apiserver::aggregatedDiscovery(reg(), false, AggregatedVersion::kV2);
  CHECK(agg["items"][0]["metadata"]["name"] == "apiregistration.k8s.io");
  json apps = agg["items"][1];
  REQUIRE(apps["metadata"]["name"] == "apps");
  CHECK(apps["versions"][0]["freshness"] == "Current");
  for (const auto& r : apps["versions"][0]["resources"]) {
    if (r["resource"] == "deployments") {
      CHECK(r["scope"] == "Namespaced");
      CHECK(r["subresources"][0]["subresource"] == "scale");
      CHECK(r["subresources"][0]["responseKind"] ==
            json{{"group", "autoscaling"}, {"version", "v1"}, {"kind", "Scale"}});
    }
  }
}

TEST_CASE("unknown groups and versions are NotFound", "[apiserver][discovery]") {
  CHECK(tug::apiserver::apiGroup(reg(), "").status().code() == tug::Code::kNotFound);
  CHECK(tug::apiserver::apiGroup(reg(), "example.com").status().code() == tug::Code::kNotFound);
  auto alpha = tug::apiserver::apiResourceList(reg(), "resource.k8s.io", "v1alpha3");
  CHECK(alpha.status().code() == tug::Code::kNotFound);
  CHECK(alpha.status().message() == "the server could not find the requested resource");
  CHECK(tug::apiserver::apiResourceList(reg(), "", "v2").status().code() == tug::Code::kNotFound);
  CHECK(tug::apiserver::apiResourceList(reg(), "apps", "v1beta1").status().code() ==
        tug::Code::kNotFound);
}

TEST_CASE("Accept picks legacy or aggregated discovery", "[apiserver][discovery]") {
  const char* kubectl133 =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
      "application/json";
  const char* kubectl127 =
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
      "application/json";

  SECTION("kubectl's headers on /api and /apis") {
    CHECK(negotiateDiscovery(kubectl133, true) == DiscoveryFormat::kAggregatedV2);
    CHECK(negotiateDiscovery(kubectl127, true) == DiscoveryFormat::kAggregatedV2Beta1);
  }
  SECTION("the same headers elsewhere fall back to plain JSON") {
    CHECK(negotiateDiscovery(kubectl133, false) == DiscoveryFormat::kLegacyJson);
  }
  SECTION("plain JSON, wildcards and no header at all") {
    CHECK(negotiateDiscovery("", true) == DiscoveryFormat::kLegacyJson);
    CHECK(negotiateDiscovery("application/json", true) == DiscoveryFormat::kLegacyJson);
    CHECK(negotiateDiscovery("application/json, */*", false) == DiscoveryFormat::kLegacyJson);
    CHECK(negotiateDiscovery("*/*", false) == DiscoveryFormat::kLegacyJson);
    CHECK(negotiateDiscovery("Application/JSON; charset=utf-8", false) ==
          DiscoveryFormat::kLegacyJson);
  }
  SECTION("protobuf first with a JSON fallback gets JSON") {
    CHECK(negotiateDiscovery("application/vnd.kubernetes.protobuf,application/json", true) ==
          DiscoveryFormat::kLegacyJson);
  }
  SECTION("nothing we can write is NotAcceptable") {
    CHECK(negotiateDiscovery("application/vnd.kubernetes.protobuf", true) ==
          DiscoveryFormat::kNotAcceptable);
    CHECK(negotiateDiscovery("application/yaml", false) == DiscoveryFormat::kNotAcceptable);
    CHECK(negotiateDiscovery("application/json;as=Table;v=v1;g=meta.k8s.io", true) ==
          DiscoveryFormat::kNotAcceptable);
    CHECK(negotiateDiscovery("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
                             false) == DiscoveryFormat::kNotAcceptable);
    CHECK(negotiateDiscovery("application/json;q=0", true) == DiscoveryFormat::kNotAcceptable);
  }
  SECTION("parameter order does not matter and q-values rank entries") {
    CHECK(negotiateDiscovery("application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io",
                             true) == DiscoveryFormat::kAggregatedV2);
    CHECK(negotiateDiscovery("application/json;q=0.5,application/json;g=apidiscovery.k8s.io;"
                             "v=v2beta1;as=APIGroupDiscoveryList",
                             true) == DiscoveryFormat::kAggregatedV2Beta1);
    CHECK(negotiateDiscovery("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,"
                             "application/json",
                             true) == DiscoveryFormat::kLegacyJson);
  }
}

TEST_CASE("aggregated answers name their format in the Content-Type", "[apiserver][discovery]") {
  using tug::apiserver::discoveryContentType;
  CHECK(discoveryContentType(DiscoveryFormat::kLegacyJson) == "application/json");
  CHECK(discoveryContentType(DiscoveryFormat::kAggregatedV2) ==
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
  CHECK(discoveryContentType(DiscoveryFormat::kAggregatedV2Beta1) ==
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList");
}
