#include "apiserver/resource_selector.h"

#include "api/resource_registry.h"

#include <catch2/catch.hpp>

using namespace tug;
using namespace tug::apiserver;

namespace {

bool selects(const char* selector, const std::map<std::string, std::string>& labels) {
  auto s = LabelSelector::parse(selector);
  REQUIRE(s.ok());
  return s->matches(labels);
}

}  // namespace

TEST_CASE("label selector operators", "[selector]") {
  std::map<std::string, std::string> l = {{"app", "web"}, {"tier", "front"}, {"n", "5"}};
  CHECK(selects("", l));
  CHECK(selects("app=web", l));
  CHECK(selects("app==web", l));
  CHECK_FALSE(selects("app=db", l));
  CHECK(selects("app!=db", l));
  CHECK(selects("missing!=x", l));  // a missing label satisfies !=
  CHECK_FALSE(selects("app!=web", l));
  CHECK(selects("app in (db, web)", l));
  CHECK_FALSE(selects("app in (db)", l));
  CHECK(selects("app notin (db)", l));
  CHECK(selects("missing notin (db)", l));
  CHECK_FALSE(selects("app notin (web,db)", l));
  CHECK(selects("app", l));
  CHECK_FALSE(selects("missing", l));
  CHECK(selects("!missing", l));
  CHECK_FALSE(selects("!app", l));
  CHECK(selects("n>3", l));
  CHECK_FALSE(selects("n<3", l));
  CHECK(selects("app=web,tier in (front,back),!missing", l));
  CHECK_FALSE(selects("app=web,tier=back", l));
  CHECK(selects("example.com/role", {{"example.com/role", ""}}));
  CHECK(selects("k=", {{"k", ""}}));
}

TEST_CASE("bad label selectors are BadRequest", "[selector]") {
  for (const char* bad : {"app in (a", "app=web,", "a b", "k=v v", "n>x", "=v", "k in x"}) {
    INFO(bad);
    auto s = LabelSelector::parse(bad);
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kBadRequest);
  }
}

TEST_CASE("field selectors on metadata.name and metadata.namespace", "[selector]") {
  const auto& configmaps = *tug::api::ResourceRegistry::builtin().find("", "v1", "configmaps");
  nlohmann::json obj = {{"metadata", {{"name", "a"}, {"namespace", "x"}}}};
  auto match = [&](const char* text) {
    auto s = FieldSelector::parse(text, configmaps);
    REQUIRE(s.ok());
    return s->matches(obj);
  };
  CHECK(match(""));
  CHECK(match("metadata.name=a"));
  CHECK(match("metadata.name==a,metadata.namespace=x"));
  CHECK_FALSE(match("metadata.name!=a"));
  CHECK(match("metadata.namespace!=y"));
  CHECK_FALSE(match("metadata.namespace=y"));

  auto unknown = FieldSelector::parse("spec.nodeName=n1", configmaps);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == Code::kBadRequest);
  CHECK(unknown.status().message() == "field label not supported: spec.nodeName");
  CHECK_FALSE(FieldSelector::parse("metadata.name", configmaps).ok());
}

TEST_CASE("field selectors on the fields each kind supports", "[selector]") {
  const auto& reg = tug::api::ResourceRegistry::builtin();
  const auto& pods = *reg.find("", "v1", "pods");
  nlohmann::json pod = {{"metadata", {{"name", "p"}, {"namespace", "d"}}},
                        {"spec", {{"nodeName", "n1"}}},
                        {"status", {{"phase", "Running"}}}};
  auto match = [&](const tug::api::ResourceInfo& r, const nlohmann::json& o, const char* text) {
    auto s = FieldSelector::parse(text, r);
    REQUIRE(s.ok());
    return s->matches(o);
  };
  CHECK(match(pods, pod, "spec.nodeName=n1"));
  CHECK_FALSE(match(pods, pod, "spec.nodeName=n2"));
  CHECK(match(pods, pod, "status.phase!=Pending,spec.nodeName=n1"));
  // Unscheduled pods are selected by an empty node name, as the scheduler asks.
  CHECK(match(pods, {{"metadata", {{"name", "q"}}}}, "spec.nodeName="));
  CHECK(match(pods, pod, "spec.hostNetwork=false"));

  const auto& nodes = *reg.find("", "v1", "nodes");
  CHECK(match(nodes, {{"spec", {{"unschedulable", true}}}}, "spec.unschedulable=true"));
  CHECK(match(nodes, nlohmann::json::object(), "spec.unschedulable=false"));

  const auto& events = *reg.find("", "v1", "events");
  nlohmann::json ev = {{"involvedObject", {{"kind", "Pod"}, {"name", "p"}}},
                       {"source", {{"component", "kubelet"}}},
                       {"type", "Warning"}};
  CHECK(match(events, ev, "involvedObject.kind=Pod,involvedObject.name=p,type=Warning"));
  CHECK(match(events, ev, "source=kubelet"));
  CHECK(match(*reg.find("", "v1", "secrets"), {{"type", "Opaque"}}, "type=Opaque"));
  CHECK(match(*reg.find("apps", "v1", "replicasets"), {{"status", {{"replicas", 3}}}},
              "status.replicas=3"));

  auto wrongKind = FieldSelector::parse("status.phase=Running", nodes);
  REQUIRE_FALSE(wrongKind.ok());
  CHECK(wrongKind.status().message() == "field label not supported: status.phase");
}

TEST_CASE("object labels ignore non-string values", "[selector]") {
  nlohmann::json obj = {{"metadata", {{"labels", {{"a", "1"}, {"b", 2}}}}}};
  auto l = objectLabels(obj);
  CHECK(l.size() == 1);
  CHECK(l["a"] == "1");
  CHECK(objectLabels(nlohmann::json::object()).empty());
}
