#include "api/quota/usage.h"

#include <catch2/catch.hpp>

#include "api/quota/pod_resources.h"
#include "api/quota/resource_list.h"

using namespace tug::api;
using namespace tug::api::quota;
using nlohmann::json;

namespace {

const Kind kPods{"", "pods"};
const auto kNow = std::chrono::system_clock::now();

json container(const std::string& name, json requests, json limits = nullptr) {
  json c = {{"name", name}, {"image", "x"}, {"resources", json::object()}};
  if (!requests.is_null()) c["resources"]["requests"] = requests;
  if (!limits.is_null()) c["resources"]["limits"] = limits;
  return c;
}

json pod(json containers, json inits = json::array()) {
  return {{"metadata", {{"name", "p"}}},
          {"spec", {{"containers", containers}, {"initContainers", inits}}},
          {"status", {{"phase", "Pending"}}}};
}

json quotaObject(json hard, json spec = json::object()) {
  spec["hard"] = hard;
  return {{"metadata", {{"name", "q"}}}, {"spec", spec}, {"status", {{"hard", hard}}}};
}

std::string used(const ResourceList& list, const std::string& name) {
  auto it = list.find(name);
  return it == list.end() ? "<none>" : it->second.text();
}

}  // namespace

TEST_CASE("quantities print in canonical form in the notation they came in", "[quota]") {
  auto text = [](const char* q) {
    json v = q;
    return formatQuantity(*quantityFromJson(v), quantityFormatOf(v));
  };
  CHECK(text("1000m") == "1");
  CHECK(text("1500m") == "1500m");
  CHECK(text("0.5") == "500m");
  CHECK(text("128Mi") == "128Mi");
  CHECK(text("1.5Gi") == "1536Mi");
  CHECK(text("1536") == "1536");
  CHECK(text("512Ki") == "512Ki");
  CHECK(text("2k") == "2k");
  CHECK(text("2000") == "2k");
  CHECK(text("1e3") == "1e3");
  CHECK(text("0") == "0");
  CHECK(text("-250m") == "-250m");
  CHECK(formatQuantity(Quantity::fromValue(100), QuantityFormat::kBinarySI) == "100");
}

TEST_CASE("sums keep the notation of the first non-zero amount", "[quota]") {
  ResourceList a = resourceListFrom(json{{"memory", "0"}, {"cpu", "100m"}});
  ResourceList b = resourceListFrom(json{{"memory", "128Mi"}, {"cpu", "0.9"}});
  ResourceList sum = add(a, b);
  CHECK(sum["memory"].text() == "128Mi");
  CHECK(sum["cpu"].text() == "1");
  CHECK(prettyPrint(sum) == "cpu=1,memory=128Mi");
  CHECK(exceeding(sum, resourceListFrom(json{{"cpu", "1"}, {"memory", "100Mi"}})) ==
        std::vector<std::string>{"memory"});
  CHECK(subtractNonNegative(a, b)["cpu"].quantity.isZero());
}

TEST_CASE("a pod uses its requests and limits under quota's names", "[quota]") {
  json p = pod({container("a", {{"cpu", "250m"}, {"memory", "64Mi"}}, {{"cpu", "500m"}}),
                container("b", {{"cpu", "250m"}, {"example.com/gpu", "1"}})});
  ResourceList u = usageOf(kPods, p, kNow);
  CHECK(used(u, "pods") == "1");
  CHECK(used(u, "count/pods") == "1");
  CHECK(used(u, "requests.cpu") == "500m");
  CHECK(used(u, "cpu") == "500m");
  CHECK(used(u, "requests.memory") == "64Mi");
  CHECK(used(u, "limits.cpu") == "500m");
  CHECK(used(u, "requests.example.com/gpu") == "1");
  CHECK(used(u, "limits.memory") == "<none>");

  SECTION("init containers count when they ask for more; sidecars add up") {
    json inits = {container("init", {{"cpu", "2"}})};
    CHECK(used(usageOf(kPods, pod({container("a", {{"cpu", "1"}})}, inits), kNow),
               "requests.cpu") == "2");
    json sidecar = container("side", {{"cpu", "300m"}});
    sidecar["restartPolicy"] = "Always";
    CHECK(used(usageOf(kPods, pod({container("a", {{"cpu", "1"}})}, {sidecar}), kNow),
               "requests.cpu") == "1300m");
  }
  SECTION("finished pods hold nothing but their object count") {
    p["status"]["phase"] = "Succeeded";
    ResourceList done = usageOf(kPods, p, kNow);
    CHECK(done.size() == 1);
    CHECK(used(done, "count/pods") == "1");
  }
}

TEST_CASE("services, claims and other objects are counted", "[quota]") {
  json svc = {{"spec", {{"type", "NodePort"}, {"ports", {{{"port", 1}}, {{"port", 2}}}}}}};
  ResourceList s = usageOf({"", "services"}, svc, kNow);
  CHECK(used(s, "services.nodeports") == "2");
  CHECK(used(s, "services.loadbalancers") == "<none>");
  svc["spec"]["type"] = "LoadBalancer";
  svc["spec"]["allocateLoadBalancerNodePorts"] = false;
  svc["spec"]["ports"][0]["nodePort"] = 30001;
  s = usageOf({"", "services"}, svc, kNow);
  CHECK(used(s, "services.nodeports") == "1");
  CHECK(used(s, "services.loadbalancers") == "1");

  json claim = {{"spec", {{"storageClassName", "fast"},
                          {"resources", {{"requests", {{"storage", "5Gi"}}}}}}}};
  ResourceList c = usageOf({"", "persistentvolumeclaims"}, claim, kNow);
  CHECK(used(c, "requests.storage") == "5Gi");
  CHECK(used(c, "fast.storageclass.storage.k8s.io/requests.storage") == "5Gi");
  CHECK(used(c, "fast.storageclass.storage.k8s.io/persistentvolumeclaims") == "1");

  CHECK(used(usageOf({"", "configmaps"}, json::object(), kNow), "configmaps") == "1");
  CHECK(used(usageOf({"apps", "deployments"}, json::object(), kNow), "count/deployments.apps") ==
        "1");
  CHECK(matchingResources({"apps", "deployments"}, {"pods", "count/deployments.apps"}) ==
        ResourceNames{"count/deployments.apps"});
  CHECK(matchingResources(kPods, {"pods", "requests.cpu", "configmaps", "hugepages-2Mi",
                                  "requests.example.com/gpu"}) ==
        ResourceNames{"hugepages-2Mi", "pods", "requests.cpu", "requests.example.com/gpu"});
}

TEST_CASE("scopes decide which pods a quota counts", "[quota]") {
  json bestEffort = pod({container("a", nullptr)});
  json burstable = pod({container("a", {{"cpu", "1"}})});
  CHECK(isBestEffort(bestEffort));
  CHECK_FALSE(isBestEffort(burstable));
  json q = quotaObject({{"pods", "2"}}, {{"scopes", {"BestEffort"}}});
  CHECK(quotaCounts(q, kPods, bestEffort));
  CHECK_FALSE(quotaCounts(q, kPods, burstable));
  CHECK_FALSE(quotaCounts(q, {"", "configmaps"}, json::object()));

  json terminating = burstable;
  terminating["spec"]["activeDeadlineSeconds"] = 30;
  json t = quotaObject({{"pods", "2"}}, {{"scopes", {"Terminating", "NotBestEffort"}}});
  CHECK(quotaCounts(t, kPods, terminating));
  CHECK_FALSE(quotaCounts(t, kPods, burstable));

  json high = burstable;
  high["spec"]["priorityClassName"] = "high";
  json byClass = quotaObject({{"pods", "2"}}, {{"scopeSelector", {{"matchExpressions", {
      {{"scopeName", "PriorityClass"}, {"operator", "In"}, {"values", {"high"}}}}}}}});
  CHECK(quotaCounts(byClass, kPods, high));
  CHECK_FALSE(quotaCounts(byClass, kPods, burstable));
  CHECK_FALSE(quotaCounts(quotaObject({{"configmaps", "1"}}), kPods, burstable));
}

TEST_CASE("a cpu or memory quota needs every container to state them", "[quota]") {
  json p = pod({container("a", {{"cpu", "1"}}), container("b", nullptr, {{"memory", "1Gi"}})});
  CHECK(missingRequirements({"pods", "requests.cpu", "limits.memory"}, p) ==
        "must specify limits.memory for: a; requests.cpu for: b");
  CHECK_FALSE(missingRequirements({"pods", "count/pods"}, p));
  CHECK_FALSE(missingRequirements({"requests.cpu"}, pod({container("a", {{"cpu", "1"}})})));
}
