#include "apiserver/selected_members.h"

#include <catch2/catch.hpp>

#include "unit/apiserver/builtin_resource.h"

using namespace tug;
using namespace tug::apiserver;
using nlohmann::json;

namespace {

struct Selectors {
  LabelSelector labels;
  FieldSelector fields;

  bool matches(const json& obj) const {
    return labels.matches(objectLabels(obj)) && fields.matches(obj);
  }
};

Selectors parse(const char* labels, const char* fields, const api::ResourceInfo& info) {
  auto l = LabelSelector::parse(labels);
  auto f = FieldSelector::parse(fields, info);
  REQUIRE(l.ok());
  REQUIRE(f.ok());
  return Selectors{std::move(*l), std::move(*f)};
}

// The selectors decide the same on the selected members as on the whole object.
void decidesAlike(const json& obj, const char* labels, const char* fields,
                  const api::ResourceInfo& info) {
  Selectors s = parse(labels, fields, info);
  auto view = selectedMembers(obj.dump(), selectorPaths(s.labels, s.fields));
  REQUIRE(view.has_value());
  INFO(obj.dump() << " / " << labels << " / " << fields);
  CHECK(s.matches(*view) == s.matches(obj));
}

const json kPod = json::parse(R"({
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "web-1", "namespace": "shop", "labels": {"app": "web", "tier": "front"},
               "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {}}}]},
  "spec": {"nodeName": "n1", "containers": [{"name": "c", "image": "nginx"}],
           "hostNetwork": true, "restartPolicy": "Always"},
  "status": {"phase": "Running", "podIP": "10.42.0.5"}})");

}  // namespace

TEST_CASE("selected members hold only what the selectors read", "[selector]") {
  Selectors s =
      parse("app=web", "spec.nodeName=n1,status.phase!=Failed", builtinResource("", "v1", "pods"));
  auto view = selectedMembers(kPod.dump(), selectorPaths(s.labels, s.fields));
  REQUIRE(view.has_value());
  CHECK(*view == json::parse(R"({"metadata": {"labels": {"app": "web", "tier": "front"}},
                                 "spec": {"nodeName": "n1"}, "status": {"phase": "Running"}})"));
}

TEST_CASE("selectors decide alike on selected members and on the whole object", "[selector]") {
  const auto& pods = builtinResource("", "v1", "pods");
  json unscheduled = kPod;
  unscheduled["spec"].erase("nodeName");
  unscheduled["status"] = json::object();
  json oddSpec = kPod;
  oddSpec["spec"] = nullptr;  // a member on the path that is no object reads as absent
  json noLabels = kPod;
  noLabels["metadata"].erase("labels");
  for (const json* pod : std::vector<const json*>{&kPod, &unscheduled, &oddSpec, &noLabels}) {
    for (const char* fields :
         {"", "spec.nodeName=n1", "spec.nodeName!=n1",
          "spec.nodeName=", "status.phase!=Succeeded,status.phase!=Failed", "status.phase=Running",
          "spec.hostNetwork=false", "spec.restartPolicy=Always", "metadata.name=web-1",
          "metadata.namespace!=shop", "status.podIP=10.42.0.5"}) {
      for (const char* labels : {"", "app=web", "app!=web", "tier", "!tier", "app in (db)"}) {
        decidesAlike(*pod, labels, fields, pods);
      }
    }
  }
  const auto& events = builtinResource("", "v1", "events");
  json event = json::parse(R"({"metadata": {"name": "e1", "namespace": "default"},
    "involvedObject": {"kind": "Pod", "name": "web-1"}, "reason": "Scheduled",
    "source": {"component": "default-scheduler"}, "type": "Normal"})");
  json bare = event;
  bare.erase("involvedObject");
  for (const json* e : std::vector<const json*>{&event, &bare}) {
    for (const char* fields : {"source=default-scheduler", "involvedObject.kind=Pod",
                               "involvedObject.name=web-2", "reason=Scheduled,type!=Warning"}) {
      decidesAlike(*e, "", fields, events);
    }
  }
}

TEST_CASE("selected members are not taken from text in another form", "[selector]") {
  const std::vector<std::string> paths = {"spec.nodeName"};
  CHECK_FALSE(selectedMembers(kPod.dump(2), paths).has_value());                   // not compact
  CHECK_FALSE(selectedMembers(R"({"spec":{"nodeName":"n1")", paths).has_value());  // cut short
  CHECK_FALSE(selectedMembers(R"({"sp\u0065c":{"nodeName":"n1"}})", paths).has_value());
  CHECK_FALSE(selectedMembers("[1,2]", paths).has_value());
  // The whole object decoded instead, and damaged text refused.
  auto view = selectorView(store::KeyValue{"/registry/pods/a/b", kPod.dump(2), 1, 2}, paths);
  REQUIRE(view.ok());
  CHECK(*view == kPod);
  auto damaged = selectorView(store::KeyValue{"/registry/pods/a/b", "{\"spec\":", 1, 2}, paths);
  CHECK(damaged.status().code() == Code::kInternal);
}
