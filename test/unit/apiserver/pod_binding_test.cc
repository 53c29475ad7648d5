#include "apiserver/pod_binding.h"

#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "apiserver/resources.h"
#include "verb_fixture.h"

using namespace tug;
using namespace tug::apiserver;
using nlohmann::json;

namespace {

struct Fixture : VerbFixture {
  const api::ResourceInfo* pods = registry.find("", "v1", "pods");

  json createPod(const std::string& name, json spec = json::object()) {
    spec["containers"] = {{{"name", "c"}, {"image", "nginx"}}};
    json body = {{"metadata", {{"name", name}}}, {"spec", spec}};
    Reply r = createResource(ctx, VerbRequest{ResourceTarget{pods, "default", "", ""}, {},
                                              body.dump()});
    REQUIRE(r.code == 201);
    return r.body;
  }

  Reply bind(const std::string& pod, json binding) {
    return createPodBinding(ctx, VerbRequest{ResourceTarget{pods, "default", pod, "binding"}, {},
                                             binding.dump()});
  }

  static json binding(const std::string& pod, const std::string& node) {
    return {{"apiVersion", "v1"},
            {"kind", "Binding"},
            {"metadata", {{"name", pod}}},
            {"target", {{"kind", "Node"}, {"name", node}}}};
  }

  json readPod(const std::string& name) {
    Reply r = getResource(ctx, VerbRequest{ResourceTarget{pods, "default", name, ""}});
    REQUIRE(r.code == 200);
    return r.body;
  }
};

json condition(const json& pod, const std::string& type) {
  for (const json& c : pod["status"].value("conditions", json::array())) {
    if (c["type"] == type) {
      return c;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a binding assigns the pod to the node and marks it scheduled", "[binding]") {
  Fixture f;
  f.createPod("web");
  json b = Fixture::binding("web", "n1");
  b["metadata"]["annotations"] = {{"example.com/placed-by", "test"}};
  Reply r = f.bind("web", b);
  REQUIRE(r.code == 201);
  CHECK(r.body == json{{"kind", "Status"},
                       {"apiVersion", "v1"},
                       {"metadata", json::object()},
                       {"status", "Success"}});
  json pod = f.readPod("web");
  CHECK(pod["spec"]["nodeName"] == "n1");
  CHECK(pod["metadata"]["annotations"]["example.com/placed-by"] == "test");
  json scheduled = condition(pod, "PodScheduled");
  REQUIRE(scheduled.is_object());
  CHECK(scheduled["status"] == "True");
  CHECK(scheduled["lastTransitionTime"].is_string());
  // The binding's write is not recorded as a field manager of the pod.
  for (const json& m : pod["metadata"].value("managedFields", json::array())) {
    CHECK(m.value("subresource", "") != "binding");
  }
}

TEST_CASE("binding replaces an earlier PodScheduled=False condition", "[binding]") {
  Fixture f;
  f.createPod("web");
  json status = {{"metadata", {{"name", "web"}, {"namespace", "default"}}},
                 {"status",
                  {{"conditions",
                    {{{"type", "PodScheduled"},
                      {"status", "False"},
                      {"reason", "Unschedulable"},
                      {"message", "0/1 nodes are available"}}}}}}};
  Reply st = updateStatus(
      f.ctx, VerbRequest{ResourceTarget{f.pods, "default", "web", "status"}, {}, status.dump()});
  REQUIRE(st.code == 200);
  REQUIRE(f.bind("web", Fixture::binding("web", "n1")).code == 201);
  json scheduled = condition(f.readPod("web"), "PodScheduled");
  CHECK(scheduled["status"] == "True");
  CHECK_FALSE(scheduled.contains("reason"));
  CHECK_FALSE(scheduled.contains("message"));
}

TEST_CASE("binding a pod that is already assigned is a conflict", "[binding]") {
  Fixture f;
  f.createPod("web");
  REQUIRE(f.bind("web", Fixture::binding("web", "n1")).code == 201);
  Reply again = f.bind("web", Fixture::binding("web", "n2"));
  REQUIRE(again.code == 409);
  CHECK(again.body["reason"] == "Conflict");
  CHECK(again.body["message"] ==
        "Operation cannot be fulfilled on pods/binding \"web\": pod web is already assigned "
        "to node \"n1\"");
  CHECK(again.body["details"]["kind"] == "pods/binding");
  CHECK(f.readPod("web")["spec"]["nodeName"] == "n1");
}

TEST_CASE("a pod created with a node name cannot be bound", "[binding]") {
  Fixture f;
  f.createPod("fixed", {{"nodeName", "n3"}});
  Reply r = f.bind("fixed", Fixture::binding("fixed", "n1"));
  CHECK(r.code == 409);
  CHECK(r.body["message"] ==
        "Operation cannot be fulfilled on pods/binding \"fixed\": pod fixed is already "
        "assigned to node \"n3\"");
}

TEST_CASE("binding a missing pod is 404 about the pod", "[binding]") {
  Fixture f;
  Reply r = f.bind("ghost", Fixture::binding("ghost", "n1"));
  CHECK(r.code == 404);
  CHECK(r.body["message"] == "pods \"ghost\" not found");
}

TEST_CASE("a pod being deleted is not bound", "[binding]") {
  Fixture f;
  f.createPod("web", json::object());
  // A finalizer keeps the deleted pod around, marked.
  Reply upd = patchResource(
      f.ctx, VerbRequest{ResourceTarget{f.pods, "default", "web", ""}, {},
                         R"({"metadata":{"finalizers":["example.com/hold"]}})",
                         "application/merge-patch+json"});
  REQUIRE(upd.code == 200);
  REQUIRE(deleteResource(f.ctx, VerbRequest{ResourceTarget{f.pods, "default", "web", ""}})
              .code == 200);
  Reply r = f.bind("web", Fixture::binding("web", "n1"));
  CHECK(r.code == 409);
  CHECK(r.body["message"] ==
        "Operation cannot be fulfilled on pods/binding \"web\": pod web is being deleted, "
        "cannot be assigned to a host");
}

TEST_CASE("a binding with a stale uid or a gated pod is refused", "[binding]") {
  Fixture f;
  f.createPod("web");
  json b = Fixture::binding("web", "n1");
  b["metadata"]["uid"] = "not-the-uid";
  Reply stale = f.bind("web", b);
  CHECK(stale.code == 409);
  f.createPod("gated", {{"schedulingGates", {{{"name", "example.com/wait"}}}}});
  Reply gated = f.bind("gated", Fixture::binding("gated", "n1"));
  CHECK(gated.code == 409);
  CHECK(gated.body["message"] ==
        "Operation cannot be fulfilled on pods/binding \"gated\": pod gated has non-empty "
        ".spec.schedulingGates");
}

TEST_CASE("bad bindings are refused as upstream refuses them", "[binding]") {
  Fixture f;
  f.createPod("web");
  CHECK(f.bind("web", Fixture::binding("other", "n1")).code == 400);
  json noNode = Fixture::binding("web", "");
  Reply r = f.bind("web", noNode);
  CHECK(r.code == 500);
  CHECK(r.body["message"] == "target.name: Required value");
  json pvc = Fixture::binding("web", "n1");
  pvc["target"]["kind"] = "PersistentVolume";
  CHECK(f.bind("web", pvc).code == 500);
  CHECK(f.readPod("web")["spec"].value("nodeName", "").empty());
}

TEST_CASE("of concurrent binds of one pod exactly one wins", "[binding]") {
  Fixture f;
  f.createPod("web");
  std::vector<int> codes(6);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < codes.size(); ++i) {
    threads.emplace_back([&, i] {
      codes[i] = f.bind("web", Fixture::binding("web", "n" + std::to_string(i))).code;
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CHECK(std::count(codes.begin(), codes.end(), 201) == 1);
  CHECK(std::count(codes.begin(), codes.end(), 409) == 5);
}
