#include "controllers/resourcequota/quota_status.h"

#include <map>

#include <catch2/catch.hpp>

using namespace tug::controllers;
using nlohmann::json;
namespace quota = tug::api::quota;

namespace {

json pod(const char* cpu, const char* phase = "Running") {
  return {{"spec", {{"containers", {{{"name", "a"},
                                     {"resources", {{"requests", {{"cpu", cpu}}}}}}}}}},
          {"status", {{"phase", phase}}}};
}

struct Objects {
  std::map<std::string, std::vector<json>> byResource;
  std::vector<std::string> asked;
  bool fail = false;

  ObjectSource source() {
    return [this](const quota::Kind& kind, const std::function<void(const json&)>& visit) {
      asked.push_back(kind.group.empty() ? kind.resource : kind.resource + "." + kind.group);
      for (const json& o : byResource[kind.resource]) {
        visit(o);
      }
      return !fail;
    };
  }
};

}  // namespace

TEST_CASE("status.used is recounted from the objects the quota counts", "[resourcequota]") {
  Objects objects;
  objects.byResource["pods"] = {pod("250m"), pod("1", "Succeeded"), pod("0.5")};
  objects.byResource["configmaps"] = {json::object(), json::object()};
  objects.byResource["deployments"] = {json::object()};
  json q = {{"spec", {{"hard", {{"pods", "10"}, {"requests.cpu", "2"}, {"configmaps", "5"},
                                {"count/deployments.apps", "3"}, {"services", "1"}}}}},
            {"status", {{"used", {{"pods", "9"}}}}}};
  auto status = desiredStatus(q, objects.source(), std::chrono::system_clock::now());
  REQUIRE(status);
  CHECK((*status)["hard"] == q["spec"]["hard"]);
  CHECK((*status)["used"] == json({{"pods", "2"},
                                   {"requests.cpu", "750m"},
                                   {"configmaps", "2"},
                                   {"count/deployments.apps", "1"},
                                   {"services", "0"}}));
  CHECK(objects.asked ==
        std::vector<std::string>{"pods", "services", "configmaps", "deployments.apps"});

  SECTION("scoped quotas count only the pods in scope") {
    json scoped = {{"spec", {{"hard", {{"pods", "3"}}}, {"scopes", {"BestEffort"}}}}};
    objects.byResource["pods"].push_back(
        {{"spec", {{"containers", {{{"name", "a"}}}}}}, {"status", {{"phase", "Pending"}}}});
    auto s = desiredStatus(scoped, objects.source(), std::chrono::system_clock::now());
    REQUIRE(s);
    CHECK((*s)["used"] == json({{"pods", "1"}}));
  }
  SECTION("a source that cannot be read leaves the quota alone") {
    objects.fail = true;
    CHECK_FALSE(desiredStatus(q, objects.source(), std::chrono::system_clock::now()));
  }
}
