#include "controllers/podgc/pod_gc_logic.h"

#include <catch2/catch.hpp>

using namespace tug::controllers::podgc;
using tug::client::json;

namespace {

json pod(const std::string& name, const std::string& phase, const std::string& created,
         const std::string& node = "n1") {
  json p = {{"metadata", {{"name", name}, {"namespace", "default"}, {"creationTimestamp", created}}},
            {"spec", {{"containers", json::array()}}},
            {"status", {{"phase", phase}}}};
  if (!node.empty()) {
    p["spec"]["nodeName"] = node;
  }
  return p;
}

std::vector<std::string> names(const std::vector<json>& pods) {
  std::vector<std::string> out;
  for (const json& p : pods) {
    out.push_back(p["metadata"]["name"]);
  }
  return out;
}

}  // namespace

TEST_CASE("finished pods beyond the threshold go, evicted and oldest first") {
  std::vector<json> pods = {pod("c", "Succeeded", "2026-01-01T00:00:03Z"),
                            pod("a", "Failed", "2026-01-01T00:00:01Z"),
                            pod("run", "Running", "2026-01-01T00:00:00Z"),
                            pod("b", "Succeeded", "2026-01-01T00:00:02Z")};
  CHECK(names(terminatedToDelete(pods, 3)).empty());
  CHECK(names(terminatedToDelete(pods, 2)) == std::vector<std::string>{"a"});
  CHECK(names(terminatedToDelete(pods, 1)) == std::vector<std::string>{"a", "b"});
  CHECK(terminatedToDelete(pods, 0).empty());  // off
  CHECK(terminatedToDelete(pods, -1).empty());

  pods[0]["status"]["reason"] = "Evicted";
  CHECK(names(terminatedToDelete(pods, 2)) == std::vector<std::string>{"c"});
  // Equal timestamps: by name.
  std::vector<json> same = {pod("y", "Succeeded", "2026-01-01T00:00:00Z"),
                            pod("x", "Succeeded", "2026-01-01T00:00:00Z")};
  CHECK(names(terminatedToDelete(same, 1)) == std::vector<std::string>{"x"});
}

TEST_CASE("pods bound to unknown nodes name the missing nodes") {
  std::vector<json> pods = {pod("a", "Running", "t", "n1"), pod("b", "Running", "t", "gone"),
                            pod("c", "Pending", "t", "")};
  CHECK(missingNodes(pods, {"n1"}) == std::set<std::string>{"gone"});
  CHECK(missingNodes(pods, {"n1", "gone"}).empty());
}

TEST_CASE("unscheduled pods being deleted are found") {
  json stuck = pod("stuck", "Pending", "t", "");
  stuck["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  json bound = pod("bound", "Running", "t", "n1");
  bound["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  CHECK(names(unscheduledTerminating({stuck, bound, pod("p", "Pending", "t", "")})) ==
        std::vector<std::string>{"stuck"});
}

TEST_CASE("an orphaned pod is marked failed with the DisruptionTarget condition") {
  json running = pod("a", "Running", "t");
  running["status"]["conditions"] = {{{"type", "Ready"}, {"status", "True"}}};
  json status = failedStatus(running, "PodGC: node no longer exists", "2026-01-01T00:00:00Z");
  CHECK(status["phase"] == "Failed");
  REQUIRE(status["conditions"].size() == 2);
  CHECK(status["conditions"][0]["type"] == "Ready");
  CHECK(status["conditions"][1] == json{{"type", "DisruptionTarget"},
                                        {"status", "True"},
                                        {"reason", "DeletionByPodGC"},
                                        {"message", "PodGC: node no longer exists"},
                                        {"lastTransitionTime", "2026-01-01T00:00:00Z"}});
  // A finished pod keeps its phase; one already marked needs nothing.
  json done = pod("b", "Succeeded", "t");
  json marked = failedStatus(done, "m", "now");
  CHECK(marked["phase"] == "Succeeded");
  done["status"] = marked;
  CHECK(failedStatus(done, "m", "later").is_null());
}
