#include "controllers/nodelifecycle/taints.h"

#include <catch2/catch.hpp>

#include "api/tolerations.h"

using namespace tug::controllers::nodelifecycle;

namespace {

json node(const std::string& ready, json taints = json::array(), bool unschedulable = false) {
  json n = {{"metadata", {{"name", "n1"}}}, {"spec", json::object()}, {"status", json::object()}};
  if (!ready.empty()) {
    n["status"]["conditions"] = {{{"type", "Ready"}, {"status", ready}}};
  }
  if (!taints.empty()) {
    n["spec"]["taints"] = taints;
  }
  if (unschedulable) {
    n["spec"]["unschedulable"] = true;
  }
  return n;
}

json pod(json tolerations) { return {{"spec", {{"tolerations", tolerations}}}}; }

const json kUnreachableNoExecute = {{"key", kUnreachable}, {"effect", "NoExecute"}};

}  // namespace

TEST_CASE("tolerations match taints as upstream reads them", "[nodelifecycle]") {
  json taint = {{"key", "dedicated"}, {"value", "gpu"}, {"effect", "NoSchedule"}};
  CHECK(tug::api::toleratesTaint({{"key", "dedicated"}, {"operator", "Equal"}, {"value", "gpu"}},
                                 taint));
  CHECK(tug::api::toleratesTaint({{"key", "dedicated"}, {"value", "gpu"}},
                                 taint));  // Equal is the default
  CHECK_FALSE(tug::api::toleratesTaint({{"key", "dedicated"}, {"value", "cpu"}}, taint));
  CHECK(tug::api::toleratesTaint({{"key", "dedicated"}, {"operator", "Exists"}}, taint));
  CHECK(tug::api::toleratesTaint({{"operator", "Exists"}}, taint));  // no key: every taint
  CHECK_FALSE(tug::api::toleratesTaint({{"operator", "Exists"}, {"effect", "NoExecute"}}, taint));
  CHECK_FALSE(tug::api::toleratesTaint({{"key", "other"}, {"operator", "Exists"}}, taint));
}

TEST_CASE("the Ready condition and cordoning decide the managed taints", "[nodelifecycle]") {
  CHECK(conditionTaints(node("True")).empty());
  auto unknown = conditionTaints(node("Unknown"));
  REQUIRE(unknown.size() == 2);
  CHECK(unknown[0] == json{{"key", kUnreachable}, {"effect", "NoSchedule"}});
  CHECK(unknown[1] == kUnreachableNoExecute);
  auto notReady = conditionTaints(node("False", json::array(), true));
  REQUIRE(notReady.size() == 3);
  CHECK(notReady[0]["key"] == kNotReady);
  CHECK(notReady[2] == json{{"key", kUnschedulable}, {"effect", "NoSchedule"}});
}

TEST_CASE("managed taints are replaced; others and timeAdded are kept", "[nodelifecycle]") {
  json mine = {{"key", "dedicated"}, {"value", "gpu"}, {"effect", "NoSchedule"}};
  json old = {{"key", kUnreachable}, {"effect", "NoExecute"}, {"timeAdded", "2026-01-01T00:00:00Z"}};
  json n = node("Unknown", {mine, old});
  json out = withManagedTaints(n, conditionTaints(n), "2026-02-02T00:00:00Z");
  REQUIRE(out.size() == 3);
  CHECK(out[0] == mine);
  CHECK(out[1] == json{{"key", kUnreachable}, {"effect", "NoSchedule"}});
  CHECK(out[2]["timeAdded"] == "2026-01-01T00:00:00Z");
  // Back to Ready: only the user's taint stays.
  json ready = node("True", out);
  CHECK(withManagedTaints(ready, conditionTaints(ready), "x") == json::array({mine}));
  // A new NoExecute taint gets the time it was added.
  json fresh = node("False");
  CHECK(withManagedTaints(fresh, conditionTaints(fresh), "2026-03-03T00:00:00Z")[1]["timeAdded"] ==
        "2026-03-03T00:00:00Z");
}

TEST_CASE("how long a pod may stay on a node with NoExecute taints", "[nodelifecycle]") {
  json taints = json::array({kUnreachableNoExecute, {{"key", kUnreachable}, {"effect", "NoSchedule"}}});
  // Not tolerated: now.
  CHECK(secondsAllowed(pod(json::array()), taints) == 0);
  // The default tolerations: their seconds.
  json defaults = {{{"key", kNotReady}, {"operator", "Exists"}, {"effect", "NoExecute"},
                    {"tolerationSeconds", 300}},
                   {{"key", kUnreachable}, {"operator", "Exists"}, {"effect", "NoExecute"},
                    {"tolerationSeconds", 30}}};
  CHECK(secondsAllowed(pod(defaults), taints) == 30);
  // Tolerated without a limit: forever.
  CHECK_FALSE(secondsAllowed(pod({{{"operator", "Exists"}}}), taints).has_value());
  // Negative seconds mean now.
  CHECK(secondsAllowed(pod({{{"key", kUnreachable}, {"operator", "Exists"},
                             {"tolerationSeconds", -5}}}),
                       taints) == 0);
  // No NoExecute taint: nothing to evict for.
  CHECK_FALSE(secondsAllowed(pod(json::array()), json::array()).has_value());
}
