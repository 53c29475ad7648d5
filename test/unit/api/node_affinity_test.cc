#include "api/node_affinity.h"

#include <catch2/catch.hpp>

using nlohmann::json;
using tug::api::nodeSelectorTermMatches;
using tug::api::podSpecFitsNode;

namespace {

json node(const std::string& name, json labels = json::object()) {
  return {{"metadata", {{"name", name}, {"labels", labels}}}};
}

json expression(const std::string& key, const std::string& op, json values = nullptr) {
  json e = {{"key", key}, {"operator", op}};
  if (!values.is_null()) {
    e["values"] = values;
  }
  return e;
}

json term(json expressions) { return {{"matchExpressions", expressions}}; }

}  // namespace

TEST_CASE("node selector terms match labels and the node name") {
  SECTION("In, NotIn, Exists and DoesNotExist") {
    json n = node("n", {{"zone", "a"}});
    CHECK(nodeSelectorTermMatches(term({expression("zone", "In", {"a", "b"})}), n));
    CHECK_FALSE(nodeSelectorTermMatches(term({expression("zone", "In", {"b"})}), n));
    CHECK(nodeSelectorTermMatches(term({expression("zone", "NotIn", {"b"})}), n));
    CHECK(nodeSelectorTermMatches(term({expression("rack", "NotIn", {"b"})}), n));
    CHECK(nodeSelectorTermMatches(term({expression("zone", "Exists")}), n));
    CHECK_FALSE(nodeSelectorTermMatches(term({expression("rack", "Exists")}), n));
    CHECK(nodeSelectorTermMatches(term({expression("rack", "DoesNotExist")}), n));
  }
  SECTION("all expressions of a term must hold") {
    json t = term({expression("zone", "In", {"a"}), expression("gpu", "Exists")});
    CHECK_FALSE(nodeSelectorTermMatches(t, node("n", {{"zone", "a"}})));
    CHECK(nodeSelectorTermMatches(t, node("n", {{"zone", "a"}, {"gpu", "1"}})));
  }
  SECTION("Gt and Lt compare integers; anything else fails") {
    json gt = term({expression("cores", "Gt", {"4"})});
    CHECK(nodeSelectorTermMatches(gt, node("n", {{"cores", "8"}})));
    CHECK_FALSE(nodeSelectorTermMatches(gt, node("n", {{"cores", "2"}})));
    CHECK_FALSE(nodeSelectorTermMatches(gt, node("n", {{"cores", "many"}})));
    CHECK_FALSE(nodeSelectorTermMatches(gt, node("n")));
    CHECK(nodeSelectorTermMatches(term({expression("cores", "Lt", {"4"})}),
                                  node("n", {{"cores", "-1"}})));
  }
  SECTION("matchFields knows metadata.name with In and NotIn only") {
    auto fields = [](const std::string& key, const std::string& op) {
      return json{{"matchFields", {expression(key, op, {"n1"})}}};
    };
    CHECK(nodeSelectorTermMatches(fields("metadata.name", "In"), node("n1")));
    CHECK_FALSE(nodeSelectorTermMatches(fields("metadata.name", "In"), node("n2")));
    CHECK(nodeSelectorTermMatches(fields("metadata.name", "NotIn"), node("n2")));
    CHECK_FALSE(nodeSelectorTermMatches(fields("metadata.name", "Exists"), node("n1")));
    CHECK_FALSE(nodeSelectorTermMatches(fields("metadata.uid", "In"), node("n1")));
  }
  SECTION("an empty term or an unknown operator matches nothing") {
    CHECK_FALSE(nodeSelectorTermMatches(json::object(), node("n")));
    CHECK_FALSE(nodeSelectorTermMatches(term({expression("zone", "Like", {"a"})}),
                                        node("n", {{"zone", "a"}})));
  }
}

TEST_CASE("a pod spec fits a node by nodeSelector and required affinity") {
  json n = node("n1", {{"disk", "ssd"}, {"zone", "a"}});
  CHECK(podSpecFitsNode(json::object(), n));
  CHECK(podSpecFitsNode({{"nodeSelector", {{"disk", "ssd"}}}}, n));
  CHECK_FALSE(podSpecFitsNode({{"nodeSelector", {{"disk", "hdd"}}}}, n));
  CHECK_FALSE(podSpecFitsNode({{"nodeSelector", {{"gpu", "1"}}}}, n));

  auto required = [](json terms) {
    return json{{"affinity",
                 {{"nodeAffinity",
                   {{"requiredDuringSchedulingIgnoredDuringExecution",
                     {{"nodeSelectorTerms", terms}}}}}}}};
  };
  // Terms are ORed.
  CHECK(podSpecFitsNode(required({term({expression("zone", "In", {"b"})}),
                                  term({expression("disk", "In", {"ssd"})})}),
                        n));
  CHECK_FALSE(podSpecFitsNode(required({term({expression("zone", "In", {"b"})})}), n));
  CHECK_FALSE(podSpecFitsNode(required(json::array()), n));
  // Both the selector and the affinity must hold.
  json both = required({term({expression("zone", "In", {"a"})})});
  both["nodeSelector"] = {{"disk", "hdd"}};
  CHECK_FALSE(podSpecFitsNode(both, n));
}
