#include "apiserver/service_allocation.h"

#include <catch2/catch.hpp>

#include "apiserver/kubernetes_service.h"
#include "apiserver/resources.h"
#include "unit/store/store_fixture.h"

using namespace tug;
using namespace tug::apiserver;
using nlohmann::json;

namespace {

struct Fixture {
  testing::StoreFixture storeFixture;
  store::Store& store = storeFixture.open();
  const api::ResourceRegistry& registry = api::ResourceRegistry::builtin();
  ServiceRanges ranges{*Ipv4Cidr::parse("10.43.0.0/28"), *PortRange::parse("30000-30002")};
  ServiceAllocation allocation{store, ranges};
  VerbContext ctx{store, registry, nullptr, &allocation};

  Fixture() { REQUIRE(bootstrapNamespaces(store, registry).isOk()); }

  Reply create(json spec, const std::string& name) {
    const api::ResourceInfo* info = registry.find("", "v1", "services");
    json body = {{"metadata", {{"name", name}}}, {"spec", std::move(spec)}};
    return createResource(ctx, VerbRequest{ResourceTarget{info, "default", "", ""}, {},
                                           body.dump()});
  }
  Reply remove(const std::string& name) {
    const api::ResourceInfo* info = registry.find("", "v1", "services");
    return deleteResource(ctx, VerbRequest{ResourceTarget{info, "default", name, ""}, {}, ""});
  }
};

json clusterIp() { return {{"ports", {{{"port", 80}}}}}; }
json nodePort(int port = 0) {
  json p = {{"port", 80}};
  if (port != 0) {
    p["nodePort"] = port;
  }
  return {{"type", "NodePort"}, {"ports", {p}}};
}

}  // namespace

TEST_CASE("ranges parse and refuse what a user may mistype", "[services]") {
  auto cidr = Ipv4Cidr::parse("10.96.0.0/12");
  REQUIRE(cidr.ok());
  CHECK(cidr->text() == "10.96.0.0/12");
  CHECK(cidr->size() == 1u << 20);
  CHECK(cidr->contains(*parseIpv4("10.111.255.255")));
  CHECK_FALSE(cidr->contains(*parseIpv4("10.112.0.0")));
  CHECK(ServiceRanges{*cidr}.apiServerIp() == *parseIpv4("10.96.0.1"));
  CHECK(Ipv4Cidr::parse("10.43.0.1/16").status().message().find("host bits") != std::string::npos);
  for (const char* bad : {"10.43.0.0", "10.43.0.0/33", "10.43.0.0/31", "10.043.0.0/16",
                          "1.2.3/8", "::/64", "10.43.0.0/x"}) {
    CAPTURE(bad);
    CHECK_FALSE(Ipv4Cidr::parse(bad).ok());
  }
  auto ports = PortRange::parse("30000-32767");
  REQUIRE(ports.ok());
  CHECK(ports->contains(30000));
  CHECK(ports->contains(32767));
  CHECK_FALSE(ports->contains(32768));
  CHECK(PortRange::parse("8080")->text() == "8080-8080");
  for (const char* bad : {"", "0-10", "10-5", "1-65536", "a-b", "100-"}) {
    CAPTURE(bad);
    CHECK_FALSE(PortRange::parse(bad).ok());
  }
}

TEST_CASE("a small range is used up, never twice, and freed by deletes", "[services]") {
  Fixture f;
  // A /28: offsets 1..14 usable; .1 and .10 are never handed out dynamically.
  std::set<std::string> ips;
  for (int i = 0; i < 12; ++i) {
    Reply r = f.create(clusterIp(), "s" + std::to_string(i));
    REQUIRE(r.code == 201);
    std::string ip = r.body["spec"]["clusterIP"];
    CHECK(ip != "10.43.0.1");
    CHECK(ip != "10.43.0.10");
    CHECK(r.body["spec"]["clusterIPs"] == json::array({ip}));
    ips.insert(ip);
  }
  CHECK(ips.size() == 12);
  Reply full = f.create(clusterIp(), "full");
  CHECK(full.code == 422);
  CHECK(full.body["message"].get<std::string>().find("range is full") != std::string::npos);
  // On request, the reserved addresses may be had.
  json dns = clusterIp();
  dns["clusterIP"] = "10.43.0.10";
  CHECK(f.create(dns, "dns").code == 201);
  REQUIRE(f.remove("s3").code == 200);
  CHECK(f.create(clusterIp(), "after").code == 201);
}

TEST_CASE("node ports: dynamic, requested, taken and out of range", "[services]") {
  Fixture f;
  Reply a = f.create(nodePort(30001), "a");
  REQUIRE(a.code == 201);
  Reply taken = f.create(nodePort(30001), "b");
  REQUIRE(taken.code == 422);
  CHECK(taken.body["message"] ==
        "Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 30001: provided port "
        "is already allocated");
  CHECK(taken.body["details"]["causes"][0]["field"] == "spec.ports[0].nodePort");
  Reply outside = f.create(nodePort(30003), "c");
  REQUIRE(outside.code == 422);
  CHECK(outside.body["message"] ==
        "Service \"c\" is invalid: spec.ports[0].nodePort: Invalid value: 30003: provided port "
        "is not in the valid range. The range of valid ports is 30000-30002");
  std::set<int64_t> ports{30001};
  for (const char* name : {"d", "e"}) {
    Reply r = f.create(nodePort(), name);
    REQUIRE(r.code == 201);
    ports.insert(r.body["spec"]["ports"][0]["nodePort"].get<int64_t>());
  }
  CHECK(ports == std::set<int64_t>{30000, 30001, 30002});
  CHECK(f.create(nodePort(), "none-left").code == 422);
  // The failed creates left no claim, and the deleted Service's port is free again.
  REQUIRE(f.remove("a").code == 200);
  CHECK(f.create(nodePort(30001), "b").code == 201);
}

TEST_CASE("a claim whose holder is another object by that name is taken over", "[services]") {
  Fixture f;
  // A claim left by a Service that was replaced by one of the same name (other uid).
  REQUIRE(f.store.create("/registry/ranges/servicenodeports/30002",
                         json{{"service", "default/old"}, {"uid", "gone"}, {"claimedAt", 0}}.dump())
              .ok());
  REQUIRE(f.create(nodePort(30002), "new").code == 201);
  // A claim whose holder still uses the port stands, however old it is.
  auto claim = f.store.get("/registry/ranges/servicenodeports/30002");
  REQUIRE(claim.ok());
  json aged = json::parse(claim->value);
  aged["claimedAt"] = 0;
  REQUIRE(f.store.update(claim->key, aged.dump(), claim->modRevision).ok());
  CHECK(f.create(nodePort(30002), "other").code == 422);
  // An old claim whose holder is gone (a write that never landed) is taken over.
  REQUIRE(f.store.create("/registry/ranges/servicenodeports/30000",
                         json{{"service", "default/never"}, {"uid", "u"}, {"claimedAt", 0}}.dump())
              .ok());
  CHECK(f.create(nodePort(30000), "later").code == 201);
  // A fresh one is left alone: its holder's write may still be on the way.
  REQUIRE(f.store.create("/registry/ranges/servicenodeports/30001",
                         json{{"service", "default/soon"}, {"uid", "u2"},
                              {"claimedAt", 32503680000}}.dump())
              .ok());
  CHECK(f.create(nodePort(30001), "eager").code == 422);
}

TEST_CASE("the kubernetes Service takes the first address and points at the server",
          "[services]") {
  Fixture f;
  ApiServerEndpoint endpoint{"192.0.2.10", 6443};
  REQUIRE(reconcileKubernetesService(f.store, f.registry, f.ranges, endpoint).isOk());
  auto svc = json::parse(f.store.get("/registry/services/default/kubernetes")->value);
  CHECK(svc["spec"]["clusterIP"] == "10.43.0.1");
  // The node's address changed: the endpoints follow, the Service stays.
  endpoint.ip = "192.0.2.11";
  REQUIRE(reconcileKubernetesService(f.store, f.registry, f.ranges, endpoint).isOk());
  auto ep = json::parse(f.store.get("/registry/endpoints/default/kubernetes")->value);
  CHECK(ep["subsets"][0]["addresses"][0]["ip"] == "192.0.2.11");
  // Nobody else may ask for the API server's address.
  json spec = clusterIp();
  spec["clusterIP"] = "10.43.0.1";
  CHECK(f.create(spec, "impostor").code == 422);
}
