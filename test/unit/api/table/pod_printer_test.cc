#include <catch2/catch.hpp>

#include "api/table/printer.h"

using namespace tug::api::table;
using nlohmann::json;

namespace {

const TimePoint kNow = *parseTimestamp("2024-05-01T12:00:00Z");

json pod(json spec, json status, json meta = json::object()) {
  meta["name"] = "web";
  meta["namespace"] = "default";
  meta["creationTimestamp"] = "2024-05-01T11:00:00Z";
  return {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", meta}, {"spec", spec},
          {"status", status}};
}

json oneContainer() { return {{"containers", {{{"name", "app"}, {"image", "nginx"}}}}}; }

Row print(const json& p) { return printerFor("", "pods").row(p, kNow); }

}  // namespace

TEST_CASE("pod columns are upstream's, the last four wide", "[table][pod]") {
  const auto& cols = printerFor("", "pods").columns();
  std::vector<std::string> names;
  for (const auto& c : cols) {
    names.push_back(c.name);
  }
  CHECK(names == std::vector<std::string>{"Name", "Ready", "Status", "Restarts", "Age", "IP",
                                          "Node", "Nominated Node", "Readiness Gates"});
  CHECK(cols[0].format == "name");
  CHECK(cols[3].type == "string");
  CHECK(cols[4].priority == 0);
  CHECK(cols[5].priority == 1);
  CHECK(cols[8].priority == 1);
}

TEST_CASE("a pending pod without statuses", "[table][pod]") {
  Row r = print(pod(oneContainer(), {{"phase", "Pending"}}));
  CHECK(r.cells == json({"web", "0/1", "Pending", "0", "60m", "<none>", "<none>", "<none>",
                         "<none>"}));
  CHECK(r.conditions.is_null());
}

TEST_CASE("a running pod shows readiness, IP and node", "[table][pod]") {
  json spec = oneContainer();
  spec["nodeName"] = "node1";
  Row r = print(pod(spec, {{"phase", "Running"},
                           {"podIPs", {{{"ip", "10.42.0.7"}}}},
                           {"containerStatuses",
                            {{{"name", "app"},
                              {"ready", true},
                              {"restartCount", 0},
                              {"state", {{"running", {{"startedAt", "2024-05-01T11:00:05Z"}}}}}}}}}));
  CHECK(r.cells == json({"web", "1/1", "Running", "0", "60m", "10.42.0.7", "node1", "<none>",
                         "<none>"}));
}

TEST_CASE("a waiting container's reason is the status", "[table][pod]") {
  json status = {{"phase", "Pending"},
                 {"containerStatuses",
                  {{{"name", "app"},
                    {"ready", false},
                    {"restartCount", 0},
                    {"state", {{"waiting", {{"reason", "ContainerCreating"}}}}}}}}};
  CHECK(print(pod(oneContainer(), status)).cells[2] == "ContainerCreating");
}

TEST_CASE("CrashLoopBackOff with restarts and when the last one was", "[table][pod]") {
  json status = {{"phase", "Running"},
                 {"containerStatuses",
                  {{{"name", "app"},
                    {"ready", false},
                    {"restartCount", 3},
                    {"lastState",
                     {{"terminated",
                       {{"exitCode", 1}, {"finishedAt", "2024-05-01T11:55:00Z"}}}}},
                    {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}}}}}};
  Row r = print(pod(oneContainer(), status));
  CHECK(r.cells[1] == "0/1");
  CHECK(r.cells[2] == "CrashLoopBackOff");
  CHECK(r.cells[3] == "3 (5m ago)");
}

TEST_CASE("restarts without a last termination time print the bare count", "[table][pod]") {
  json status = {{"phase", "Running"},
                 {"containerStatuses",
                  {{{"name", "app"},
                    {"ready", true},
                    {"restartCount", 2},
                    {"state", {{"running", json::object()}}}}}}};
  CHECK(print(pod(oneContainer(), status)).cells[3] == "2");
}

TEST_CASE("init containers: progress, failures and waiting reasons", "[table][pod]") {
  json spec = oneContainer();
  spec["initContainers"] = {{{"name", "setup"}, {"image", "busybox"}}};
  SECTION("running init container: Init:0/1") {
    json status = {{"phase", "Pending"},
                   {"initContainerStatuses",
                    {{{"name", "setup"},
                      {"restartCount", 0},
                      {"state", {{"running", json::object()}}}}}},
                   {"containerStatuses",
                    {{{"name", "app"},
                      {"restartCount", 0},
                      {"state", {{"waiting", {{"reason", "PodInitializing"}}}}}}}}};
    Row r = print(pod(spec, status));
    CHECK(r.cells[2] == "Init:0/1");
    CHECK(r.cells[1] == "0/1");
  }
  SECTION("failed init container without reason: Init:ExitCode") {
    json status = {{"phase", "Pending"},
                   {"initContainerStatuses",
                    {{{"name", "setup"},
                      {"restartCount", 1},
                      {"state", {{"terminated", {{"exitCode", 2}}}}}}}}};
    Row r = print(pod(spec, status));
    CHECK(r.cells[2] == "Init:ExitCode:2");
    CHECK(r.cells[3] == "1");
  }
  SECTION("killed by a signal: Init:Signal") {
    json status = {{"phase", "Pending"},
                   {"initContainerStatuses",
                    {{{"name", "setup"}, {"state", {{"terminated", {{"exitCode", 137}, {"signal", 9}}}}}}}}};
    CHECK(print(pod(spec, status)).cells[2] == "Init:Signal:9");
  }
  SECTION("init container in back-off: Init:CrashLoopBackOff") {
    json status = {{"phase", "Pending"},
                   {"initContainerStatuses",
                    {{{"name", "setup"},
                      {"state", {{"waiting", {{"reason", "CrashLoopBackOff"}}}}}}}}};
    CHECK(print(pod(spec, status)).cells[2] == "Init:CrashLoopBackOff");
  }
  SECTION("finished init containers hand over to the main containers") {
    json status = {{"phase", "Running"},
                   {"initContainerStatuses",
                    {{{"name", "setup"}, {"state", {{"terminated", {{"exitCode", 0}, {"reason", "Completed"}}}}}}}},
                   {"containerStatuses",
                    {{{"name", "app"}, {"ready", true}, {"state", {{"running", json::object()}}}}}}};
    CHECK(print(pod(spec, status)).cells[2] == "Running");
  }
}

TEST_CASE("sidecar init containers count as containers", "[table][pod]") {
  json spec = oneContainer();
  spec["initContainers"] = {{{"name", "proxy"}, {"restartPolicy", "Always"}}};
  json status = {{"phase", "Running"},
                 {"conditions", {{{"type", "Initialized"}, {"status", "True"}}}},
                 {"initContainerStatuses",
                  {{{"name", "proxy"},
                    {"started", true},
                    {"ready", true},
                    {"restartCount", 1},
                    {"state", {{"running", json::object()}}}}}},
                 {"containerStatuses",
                  {{{"name", "app"}, {"ready", true}, {"state", {{"running", json::object()}}}}}}};
  Row r = print(pod(spec, status));
  CHECK(r.cells[1] == "2/2");
  CHECK(r.cells[2] == "Running");
  CHECK(r.cells[3] == "1");
}

TEST_CASE("a completed pod, and one with a container still running", "[table][pod]") {
  json done = {{"phase", "Succeeded"},
               {"containerStatuses",
                {{{"name", "app"}, {"state", {{"terminated", {{"exitCode", 0}, {"reason", "Completed"}}}}}}}}};
  Row r = print(pod(oneContainer(), done));
  CHECK(r.cells[2] == "Completed");
  CHECK(r.cells[1] == "0/1");
  REQUIRE(r.conditions.is_array());
  CHECK(r.conditions[0]["type"] == "Completed");
  CHECK(r.conditions[0]["status"] == "True");
  CHECK(r.conditions[0]["reason"] == "Succeeded");

  json spec = {{"containers", {{{"name", "a"}}, {{"name", "b"}}}}};
  json mixed = {{"phase", "Running"},
                {"conditions", {{{"type", "Ready"}, {"status", "False"}}}},
                {"containerStatuses",
                 {{{"name", "a"}, {"state", {{"terminated", {{"exitCode", 0}, {"reason", "Completed"}}}}}},
                  {{"name", "b"}, {"ready", true}, {"state", {{"running", json::object()}}}}}}};
  CHECK(print(pod(spec, mixed)).cells[2] == "NotReady");
  mixed["conditions"][0]["status"] = "True";
  CHECK(print(pod(spec, mixed)).cells[2] == "Running");
}

TEST_CASE("terminated containers without a reason show exit code or signal", "[table][pod]") {
  json status = {{"phase", "Failed"},
                 {"containerStatuses",
                  {{{"name", "app"}, {"state", {{"terminated", {{"exitCode", 3}}}}}}}}};
  Row r = print(pod(oneContainer(), status));
  CHECK(r.cells[2] == "ExitCode:3");
  CHECK(r.conditions[0]["reason"] == "Failed");
}

TEST_CASE("Terminating, Unknown for lost nodes, and terminal phases kept", "[table][pod]") {
  json meta = {{"deletionTimestamp", "2024-05-01T11:59:00Z"}};
  json running = {{"phase", "Running"}};
  CHECK(print(pod(oneContainer(), running, meta)).cells[2] == "Terminating");
  json lost = {{"phase", "Running"}, {"reason", "NodeLost"}};
  CHECK(print(pod(oneContainer(), lost, meta)).cells[2] == "Unknown");
  json succeeded = {{"phase", "Succeeded"}};
  CHECK(print(pod(oneContainer(), succeeded, meta)).cells[2] == "Succeeded");
}

TEST_CASE("status.reason and scheduling gates override the phase", "[table][pod]") {
  CHECK(print(pod(oneContainer(), {{"phase", "Failed"}, {"reason", "Evicted"}})).cells[2] ==
        "Evicted");
  json gated = {{"phase", "Pending"},
                {"conditions",
                 {{{"type", "PodScheduled"}, {"status", "False"}, {"reason", "SchedulingGated"}}}}};
  CHECK(print(pod(oneContainer(), gated)).cells[2] == "SchedulingGated");
}

TEST_CASE("readiness gates and the nominated node", "[table][pod]") {
  json spec = oneContainer();
  spec["readinessGates"] = {{{"conditionType", "example.com/lb"}},
                            {{"conditionType", "example.com/dns"}}};
  json status = {{"phase", "Running"},
                 {"nominatedNodeName", "node2"},
                 {"conditions", {{{"type", "example.com/lb"}, {"status", "True"}},
                                 {{"type", "example.com/dns"}, {"status", "False"}}}}};
  Row r = print(pod(spec, status));
  CHECK(r.cells[7] == "node2");
  CHECK(r.cells[8] == "1/2");
}

TEST_CASE("malformed pods still print a row", "[table][pod]") {
  json weird = {{"metadata", {{"name", "odd"}, {"creationTimestamp", 7}}},
                {"spec", {{"containers", "none"}, {"initContainers", 5}}},
                {"status",
                 {{"phase", 1},
                  {"containerStatuses", {"x", 3, {{"state", "y"}, {"restartCount", "many"}}}},
                  {"initContainerStatuses", json::object()}}}};
  Row r = print(weird);
  REQUIRE(r.cells.size() == 9);
  CHECK(r.cells[0] == "odd");
  CHECK(r.cells[1] == "0/0");
  CHECK(r.cells[4] == "<unknown>");
  CHECK(print(json::object()).cells.size() == 9);
  CHECK(print(json::array()).cells.size() == 9);
}
