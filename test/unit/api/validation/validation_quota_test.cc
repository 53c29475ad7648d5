#include <catch2/catch.hpp>

#include "validation_test_util.h"

using namespace validation_test;
using Messages = std::vector<std::string>;

namespace {

json quota(json spec) { return {{"metadata", {{"name", "q"}}}, {"spec", spec}}; }
json limitRange(json limits) {
  return {{"metadata", {{"name", "lr"}}}, {"spec", {{"limits", limits}}}};
}

}  // namespace

TEST_CASE("ResourceQuota: names, amounts, scopes", "[validation][quota]") {
  CHECK(createErrors("", "ResourceQuota",
                     quota({{"hard", {{"pods", "2"}, {"requests.cpu", "1"}, {"count/deployments.apps", "3"},
                                      {"requests.example.com/gpu", "1"}, {"hugepages-2Mi", "1Gi"}}}}))
            .empty());
  CHECK(createErrors("", "ResourceQuota",
                     quota({{"hard", {{"storage", "1Gi"}, {"pods", "1.5"}, {"memory", "-1"}}}})) ==
        Messages{"spec.hard[memory]: Invalid value: \"-1\": must be greater than or equal to 0",
                 "spec.hard[pods]: Invalid value: \"1500m\": must be an integer",
                 "spec.hard[storage]: Invalid value: \"storage\": must be a standard resource for "
                 "quota"});
  CHECK(createErrors("", "ResourceQuota",
                     quota({{"hard", {{"cpu", "1"}}}, {"scopes", {"BestEffort"}}})) ==
        Messages{"spec.scopes: Invalid value: []string{\"BestEffort\"}: unsupported scope applied "
                 "to resource"});
  CHECK(createErrors("", "ResourceQuota",
                     quota({{"hard", {{"pods", "1"}}},
                            {"scopeSelector", {{"matchExpressions",
                                                {{{"scopeName", "PriorityClass"},
                                                  {"operator", "In"}},
                                                 {{"scopeName", "Terminating"},
                                                  {"operator", "In"},
                                                  {"values", {"x"}}}}}}}})) ==
        Messages{"spec.scopeSelector.matchExpressions.values: Required value: must be at least one "
                 "value when `operator` is 'In' or 'NotIn' for scope selector",
                 "spec.scopeSelector.matchExpressions.operator: Invalid value: \"In\": must be "
                 "'Exist' when scope is any of ResourceQuotaScopeTerminating, "
                 "ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, "
                 "ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"});
}

TEST_CASE("ResourceQuota: spec.hard is stored in canonical form", "[validation][quota]") {
  json q = admitted("", "ResourceQuota", quota({{"hard", {{"pods", "100000"}, {"memory", "1.5Gi"},
                                                          {"cpu", "500m"}, {"services", 3}}}}));
  CHECK(q["spec"]["hard"] ==
        json({{"pods", "100k"}, {"memory", "1536Mi"}, {"cpu", "500m"}, {"services", "3"}}));
  CHECK_FALSE(q.contains("status"));
}

TEST_CASE("LimitRange: defaults and bounds agree", "[validation][limitrange]") {
  json ok = limitRange({{{"type", "Container"}, {"max", {{"cpu", "2"}}}, {"min", {{"cpu", "100m"}}}}});
  CHECK(createErrors("", "LimitRange", ok).empty());
  // Defaulting fills default from max and defaultRequest from default.
  json admittedRange = admitted("", "LimitRange", ok);
  CHECK(admittedRange["spec"]["limits"][0]["default"] == json({{"cpu", "2"}}));
  CHECK(admittedRange["spec"]["limits"][0]["defaultRequest"] == json({{"cpu", "2"}}));

  CHECK(createErrors("", "LimitRange",
                     limitRange({{{"type", "Container"},
                                  {"default", {{"cpu", "500m"}}},
                                  {"defaultRequest", {{"cpu", "50m"}}},
                                  {"min", {{"cpu", "100m"}}},
                                  {"maxLimitRequestRatio", {{"cpu", "500m"}}}},
                                 {{"type", "Pod"}, {"max", {{"cpus", "1"}}}},
                                 {{"type", "Widget"}}})) ==
        Messages{"spec.limits[0].defaultRequest[cpu]: Invalid value: \"50m\": min value 100m is "
                 "greater than default request value 50m",
                 "spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: \"500m\": ratio 500m is "
                 "less than 1",
                 "spec.limits[1].max[cpus]: Invalid value: \"cpus\": must be a standard resource "
                 "type or fully qualified",
                 "spec.limits[1].max[cpus]: Invalid value: \"cpus\": must be a standard resource "
                 "for containers",
                 "spec.limits[2].type: Invalid value: \"Widget\": must be a standard limit type or "
                 "fully qualified"});
}
