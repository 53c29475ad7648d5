#include "api/quota/limit_ranger.h"

#include <catch2/catch.hpp>

using namespace tug::api::quota;
using nlohmann::json;

namespace {

json range(json items) { return {{"metadata", {{"name", "r"}}}, {"spec", {{"limits", items}}}}; }

json pod(json containers) {
  return {{"metadata", {{"name", "p"}}}, {"spec", {{"containers", containers}}}};
}

json container(const std::string& name, json resources = json::object()) {
  return {{"name", name}, {"image", "x"}, {"resources", resources}};
}

}  // namespace

TEST_CASE("container defaults fill what a container leaves out and are recorded", "[limitrange]") {
  json r = range({{{"type", "Container"},
                   {"default", {{"cpu", "500m"}, {"memory", "256Mi"}}},
                   {"defaultRequest", {{"cpu", "100m"}, {"memory", "128Mi"}}}}});
  json p = pod({container("app"), container("own", {{"limits", {{"cpu", "1"}}},
                                                    {"requests", {{"cpu", "1"}}}})});
  p["spec"]["initContainers"] = {container("init")};
  applyContainerDefaults(r, p);
  CHECK(p["spec"]["containers"][0]["resources"] ==
        json({{"limits", {{"cpu", "500m"}, {"memory", "256Mi"}}},
              {"requests", {{"cpu", "100m"}, {"memory", "128Mi"}}}}));
  CHECK(p["spec"]["containers"][1]["resources"]["limits"] ==
        json({{"cpu", "1"}, {"memory", "256Mi"}}));
  CHECK(p["metadata"]["annotations"][kLimitRangerAnnotation] ==
        "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for "
        "container app; memory request for container own; memory limit for container own; "
        "cpu, memory request for init container init; cpu, memory limit for init container "
        "init");

  SECTION("nothing to set leaves the pod without the annotation") {
    json q = pod({container("app")});
    applyContainerDefaults(range({{{"type", "Pod"}, {"max", {{"cpu", "1"}}}}}), q);
    CHECK_FALSE(q["metadata"].contains("annotations"));
  }
}

TEST_CASE("min, max and ratio are enforced per container and per pod", "[limitrange]") {
  json r = range({{{"type", "Container"},
                   {"max", {{"cpu", "500m"}}},
                   {"min", {{"memory", "100Mi"}}},
                   {"maxLimitRequestRatio", {{"memory", "2"}}}},
                  {{"type", "Pod"}, {"max", {{"cpu", "800m"}}}}});
  json ok = pod({container("a", {{"requests", {{"cpu", "200m"}, {"memory", "100Mi"}}},
                                 {"limits", {{"cpu", "400m"}, {"memory", "200Mi"}}}})});
  CHECK(podViolations(r, ok).empty());

  json bad = pod({container("x", {{"requests", {{"memory", "50Mi"}}},
                                  {"limits", {{"cpu", "1"}, {"memory", "150Mi"}}}})});
  CHECK(podViolations(r, bad) ==
        std::vector<std::string>{
            "minimum memory usage per Container is 100Mi, but request is 50Mi",
            "maximum cpu usage per Container is 500m, but limit is 1",
            "memory max limit to request ratio per Container is 2, but provided ratio is 3.000000",
            "maximum cpu usage per Pod is 800m, but limit is 1"});
  CHECK(aggregateMessages(podViolations(r, bad)).front() == '[');

  json noLimit = pod({container("y", {{"requests", {{"memory", "100Mi"}}}})});
  CHECK(aggregateMessages(podViolations(range({{{"type", "Container"}, {"max", {{"cpu", "1"}}}}}),
                                        noLimit)) ==
        "maximum cpu usage per Container is 1.  No limit is specified");

  SECTION("the pod's total is the sum of its containers") {
    json two = pod({container("a", {{"limits", {{"cpu", "400m"}}}}),
                    container("b", {{"limits", {{"cpu", "0.5"}}}})});
    CHECK(aggregateMessages(podViolations(range({{{"type", "Pod"}, {"max", {{"cpu", "800m"}}}}}),
                                          two)) ==
          "maximum cpu usage per Pod is 800m, but limit is 900m");
  }
}

TEST_CASE("claims are bounded on their storage request", "[limitrange]") {
  json r = range({{{"type", "PersistentVolumeClaim"},
                   {"min", {{"storage", "1Gi"}}},
                   {"max", {{"storage", "2Gi"}}}}});
  auto claim = [](const char* size) {
    return json{{"spec", {{"resources", {{"requests", {{"storage", size}}}}}}}};
  };
  CHECK(claimViolations(r, claim("1536Mi")).empty());
  CHECK(claimViolations(r, claim("5Gi")) ==
        std::vector<std::string>{
            "maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi"});
  CHECK(claimViolations(r, claim("512Mi")) ==
        std::vector<std::string>{
            "minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 512Mi"});
}
