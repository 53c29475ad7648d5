#include <catch2/catch.hpp>

#include "validation_test_util.h"

using namespace validation_test;
using Catch::Matchers::Contains;
using Messages = std::vector<std::string>;

namespace {

json pod(json spec) { return {{"metadata", {{"name", "p"}}}, {"spec", std::move(spec)}}; }

json container(const char* name, const char* image = "nginx") {
  return {{"name", name}, {"image", image}};
}

}  // namespace

TEST_CASE("pods need containers with names and images", "[validation][pod]") {
  CHECK(createErrors("", "Pod", pod({{"containers", {container("a")}}})).empty());
  CHECK(createErrors("", "Pod", pod(json::object())) == Messages{"spec.containers: Required value"});
  CHECK(createErrors("", "Pod", pod({{"containers", {container("a", "")}}})) ==
        Messages{"spec.containers[0].image: Required value"});
  CHECK(createErrors("", "Pod", pod({{"containers", {{{"image", "x"}}}}})) ==
        Messages{"spec.containers[0].name: Required value"});
  CHECK(createErrors("", "Pod", pod({{"containers", {container("a", " nginx")}}})) ==
        Messages{"spec.containers[0].image: Invalid value: \" nginx\": must not have leading or "
                 "trailing whitespace"});
  auto bad = createErrors("", "Pod", pod({{"containers", {container("Web")}}}));
  REQUIRE(bad.size() == 1);
  CHECK_THAT(bad[0], Contains("spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC "
                              "1123 label"));
  CHECK(createErrors("", "Pod", pod({{"initContainers", {container("a")}},
                                     {"containers", {container("a")}}})) ==
        Messages{"spec.containers[0].name: Duplicate value: \"a\""});
}

TEST_CASE("pod enums are checked", "[validation][pod]") {
  CHECK(createErrors("", "Pod", pod({{"restartPolicy", "Sometimes"}, {"containers", {container("a")}}})) ==
        Messages{"spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: "
                 "\"Always\", \"OnFailure\", \"Never\""});
  CHECK(createErrors("", "Pod", pod({{"dnsPolicy", "Any"}, {"containers", {container("a")}}})) ==
        Messages{"spec.dnsPolicy: Unsupported value: \"Any\": supported values: "
                 "\"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\""});
  json c = container("a");
  c["imagePullPolicy"] = "Sometimes";
  CHECK(createErrors("", "Pod", pod({{"containers", {c}}})) ==
        Messages{"spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": "
                 "supported values: \"Always\", \"IfNotPresent\", \"Never\""});
}

TEST_CASE("container ports are checked", "[validation][pod]") {
  json c = container("a");
  c["ports"] = {{{"containerPort", 70000}, {"name", "http"}},
                {{"containerPort", 81}, {"name", "http"}, {"protocol", "ICMP"}},
                {{"name", "x"}},
                {{"containerPort", 82}, {"hostPort", -1}}};
  CHECK(createErrors("", "Pod", pod({{"containers", {c}}})) ==
        Messages{"spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be "
                 "between 1 and 65535, inclusive",
                 "spec.containers[0].ports[1].name: Duplicate value: \"http\"",
                 "spec.containers[0].ports[1].protocol: Unsupported value: \"ICMP\": supported "
                 "values: \"SCTP\", \"TCP\", \"UDP\"",
                 "spec.containers[0].ports[2].containerPort: Required value",
                 "spec.containers[0].ports[3].hostPort: Invalid value: -1: must be between 1 "
                 "and 65535, inclusive"});
}

TEST_CASE("volumes and mounts are checked", "[validation][pod]") {
  json c = container("a");
  c["volumeMounts"] = {{{"name", "data"}, {"mountPath", "/d"}}, {{"name", "nope"}}};
  json spec = {{"containers", {c}},
               {"volumes", {{{"name", "data"}}, {{"name", "data"}}, {{"name", "Bad"}},
                            {{"name", "two"}, {"emptyDir", json::object()},
                             {"hostPath", {{"path", "/x"}}}}}}};
  auto e = createErrors("", "Pod", pod(spec));
  REQUIRE(e.size() == 5);
  CHECK(e[0] == "spec.volumes[1].name: Duplicate value: \"data\"");
  CHECK_THAT(e[1], Contains("spec.volumes[2].name: Invalid value: \"Bad\""));
  CHECK(e[2] == "spec.volumes[3]: Forbidden: may not specify more than 1 volume type");
  CHECK(e[3] == "spec.containers[0].volumeMounts[1].name: Not found: \"nope\"");
  CHECK(e[4] == "spec.containers[0].volumeMounts[1].mountPath: Required value");
}

TEST_CASE("env and probes are checked", "[validation][pod]") {
  json c = container("a");
  c["env"] = {{{"value", "x"}}, {{"name", "A=B"}}, {{"name", "C"}, {"valueFrom", json::object()}}};
  c["livenessProbe"] = {{"periodSeconds", -1}};
  c["readinessProbe"] = {{"exec", {{"command", {"true"}}}}, {"successThreshold", 2}};
  c["startupProbe"] = {{"exec", {{"command", {"true"}}}}, {"successThreshold", 2}};
  auto e = createErrors("", "Pod", pod({{"containers", {c}}}));
  CHECK(e == Messages{
                 "spec.containers[0].env[0].name: Required value",
                 "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment "
                 "variable name must consist only of printable ASCII characters other than '='",
                 "spec.containers[0].env[2].valueFrom: Invalid value: \"\": must specify one of: "
                 "`fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
                 "spec.containers[0].livenessProbe: Required value: must specify a handler type",
                 "spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be "
                 "greater than or equal to 0",
                 "spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1"});
}

TEST_CASE("pod spec extras: deadlines, node selector, tolerations", "[validation][pod]") {
  CHECK(createErrors("", "Pod", pod({{"containers", {container("a")}}, {"activeDeadlineSeconds", 0}})) ==
        Messages{"spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and "
                 "2147483647, inclusive"});
  CHECK(createErrors("", "Pod", pod({{"containers", {container("a")}},
                                     {"tolerations", {{{"key", "k"}, {"operator", "Maybe"}}}}})) ==
        Messages{"spec.tolerations[0].operator: Unsupported value: \"Maybe\": supported values: "
                 "\"Equal\", \"Exists\""});
}
