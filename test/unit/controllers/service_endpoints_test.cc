#include "controllers/endpoints/service_endpoints.h"

#include <catch2/catch.hpp>

using namespace tug::controllers::endpoints;

namespace {

json service(json spec, json labels = json::object()) {
  json svc = {{"metadata", {{"name", "web"}, {"namespace", "default"}, {"uid", "svc-uid"}}},
              {"spec", std::move(spec)}};
  if (!labels.empty()) {
    svc["metadata"]["labels"] = labels;
  }
  return svc;
}

json pod(const std::string& name, const std::string& ip, bool ready, json labels = {{"app", "web"}},
         json ports = json::array()) {
  return {{"metadata", {{"name", name}, {"namespace", "default"}, {"uid", name + "-uid"},
                        {"labels", labels}}},
          {"spec", {{"nodeName", "n1"}, {"containers", {{{"name", "c"}, {"ports", ports}}}}}},
          {"status",
           {{"phase", "Running"},
            {"podIP", ip},
            {"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}}}}};
}

json httpService() {
  return service({{"selector", {{"app", "web"}}},
                  {"ports", {{{"name", "http"}, {"port", 80}, {"targetPort", 8080}}}}});
}

}  // namespace

TEST_CASE("a Service selects pods by its selector, in its namespace only", "[endpoints]") {
  json svc = httpService();
  CHECK(selects(svc, pod("a", "10.42.0.5", true)));
  CHECK_FALSE(selects(svc, pod("b", "10.42.0.6", true, {{"app", "db"}})));
  json elsewhere = pod("c", "10.42.0.7", true);
  elsewhere["metadata"]["namespace"] = "other";
  CHECK_FALSE(selects(svc, elsewhere));
  json noSelector = service({{"ports", {{{"port", 80}}}}});
  CHECK_FALSE(hasSelector(noSelector));
  CHECK_FALSE(selects(noSelector, pod("a", "10.42.0.5", true)));
}

TEST_CASE("Endpoints list ready pods by IP and keep not-ready ones apart", "[endpoints]") {
  std::vector<json> pods = {pod("a", "10.42.0.10", true), pod("b", "10.42.0.9", true),
                            pod("c", "10.42.0.11", false), pod("other", "10.42.0.12", true, {{"app", "x"}}),
                            pod("no-ip", "", true)};
  json done = pod("done", "10.42.0.13", true);
  done["status"]["phase"] = "Succeeded";
  pods.push_back(done);
  json going = pod("going", "10.42.0.14", true);
  going["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  pods.push_back(going);
  json e = desiredEndpoints(httpService(), pods);
  CHECK(e["metadata"]["name"] == "web");
  REQUIRE(e["subsets"].size() == 1);
  const json& subset = e["subsets"][0];
  REQUIRE(subset["addresses"].size() == 2);
  CHECK(subset["addresses"][0]["ip"] == "10.42.0.9");  // numeric order: 9 before 10
  CHECK(subset["addresses"][1]["ip"] == "10.42.0.10");
  CHECK(subset["addresses"][0]["targetRef"] ==
        json{{"kind", "Pod"}, {"namespace", "default"}, {"name", "b"}, {"uid", "b-uid"}});
  CHECK(subset["addresses"][0]["nodeName"] == "n1");
  REQUIRE(subset["notReadyAddresses"].size() == 1);
  CHECK(subset["notReadyAddresses"][0]["ip"] == "10.42.0.11");
  CHECK(subset["ports"] == json::array({{{"name", "http"}, {"port", 8080}, {"protocol", "TCP"}}}));
}

TEST_CASE("no pods: Endpoints without subsets and one empty slice", "[endpoints]") {
  json e = desiredEndpoints(httpService(), {});
  CHECK_FALSE(e.contains("subsets"));
  auto slices = desiredSlices(httpService(), {});
  REQUIRE(slices.size() == 1);
  CHECK(slices[0].endpoints.empty());
  CHECK(slices[0].ports.empty());
}

TEST_CASE("named target ports resolve per pod; pods differing in ports get separate groups",
          "[endpoints]") {
  json svc = service({{"selector", {{"app", "web"}}},
                      {"ports", {{{"name", "http"}, {"port", 80}, {"targetPort", "web"}}}}});
  std::vector<json> pods = {
      pod("a", "10.42.0.1", true, {{"app", "web"}}, {{{"name", "web"}, {"containerPort", 8080}}}),
      pod("b", "10.42.0.2", true, {{"app", "web"}}, {{{"name", "web"}, {"containerPort", 9090}}}),
      pod("c", "10.42.0.3", true, {{"app", "web"}}, {{{"name", "other"}, {"containerPort", 1}}})};
  json e = desiredEndpoints(svc, pods);
  REQUIRE(e["subsets"].size() == 3);  // 8080, 9090, and c with no port at all
  auto slices = desiredSlices(svc, pods);
  REQUIRE(slices.size() == 3);
  CHECK(slices[0].ports[0]["port"] == 8080);
  CHECK(slices[1].ports[0]["port"] == 9090);
  CHECK(slices[2].ports.empty());
}

TEST_CASE("slices report terminating pods; publishNotReadyAddresses makes all ready",
          "[endpoints]") {
  json going = pod("going", "10.42.0.14", true);
  going["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  auto slices = desiredSlices(httpService(), {going, pod("b", "10.42.0.2", false)});
  REQUIRE(slices.size() == 1);
  REQUIRE(slices[0].endpoints.size() == 2);
  // In pod name order: b, then going.
  CHECK(slices[0].endpoints[0]["conditions"] ==
        json{{"ready", false}, {"serving", false}, {"terminating", false}});
  CHECK(slices[0].endpoints[1]["conditions"] ==
        json{{"ready", false}, {"serving", true}, {"terminating", true}});

  json svc = httpService();
  svc["spec"]["publishNotReadyAddresses"] = true;
  json e = desiredEndpoints(svc, {pod("b", "10.42.0.2", false)});
  CHECK(e["subsets"][0]["addresses"].size() == 1);
  CHECK_FALSE(e["subsets"][0].contains("notReadyAddresses"));
}

TEST_CASE("headless Services are marked; hostnames follow the subdomain", "[endpoints]") {
  json svc = service({{"clusterIP", "None"}, {"selector", {{"app", "web"}}}}, {{"tier", "db"}});
  json p = pod("db-0", "10.42.0.20", true);
  p["spec"]["hostname"] = "db-0";
  p["spec"]["subdomain"] = "web";
  json e = desiredEndpoints(svc, {p});
  CHECK(e["metadata"]["labels"] == json{{"tier", "db"}, {kHeadless, ""}});
  CHECK(e["subsets"][0]["addresses"][0]["hostname"] == "db-0");
  CHECK_FALSE(e["subsets"][0].contains("ports"));
  json labels = sliceLabels(svc);
  CHECK(labels[kServiceName] == "web");
  CHECK(labels[kManagedBy] == kManager);
  CHECK(labels["tier"] == "db");
  CHECK(desiredSlices(svc, {p})[0].endpoints[0]["hostname"] == "db-0");
}

TEST_CASE("slices hold at most the given number of endpoints", "[endpoints]") {
  std::vector<json> pods;
  for (int i = 0; i < 250; ++i) {
    pods.push_back(pod("p" + std::to_string(1000 + i), "10.42.1." + std::to_string(i), true));
  }
  auto slices = desiredSlices(httpService(), pods, 100);
  REQUIRE(slices.size() == 3);
  CHECK(slices[0].endpoints.size() == 100);
  CHECK(slices[2].endpoints.size() == 50);
}
