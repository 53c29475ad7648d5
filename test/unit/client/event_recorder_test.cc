#include "client/event_recorder.h"

#include <mutex>
#include <set>

#include <catch2/catch.hpp>

using namespace tug;
using namespace tug::client;

namespace {

// Records the writes of events; patches fail for names in `gone`.
class EventSink : public Client {
 public:
  std::mutex mu;
  std::vector<json> created;
  std::vector<std::pair<std::string, json>> patched;  // name, patch
  std::set<std::string> gone;

  Result<json> create(const Resource& r, std::string_view ns, const json& obj,
                      const WriteOptions&, std::string_view, std::string_view) override {
    std::lock_guard lock(mu);
    REQUIRE(r.resource == "events");
    REQUIRE(ns == obj["metadata"]["namespace"].get<std::string>());
    created.push_back(obj);
    return obj;
  }
  Result<json> patch(const Resource&, std::string_view, std::string_view name, PatchType type,
                     std::string_view body, std::string_view, const WriteOptions&) override {
    std::lock_guard lock(mu);
    REQUIRE(type == PatchType::kStrategicMerge);
    if (gone.count(std::string(name))) {
      return notFound("events \"" + std::string(name) + "\" not found");
    }
    patched.emplace_back(std::string(name), json::parse(body));
    return json::object();
  }
  Result<json> get(const Resource&, std::string_view, std::string_view, std::string_view) override {
    return notFound("unused");
  }
  Result<ObjectList> list(const Resource&, std::string_view, const ListOptions&) override {
    return notFound("unused");
  }
  Result<json> update(const Resource&, std::string_view, const json&, std::string_view,
                      const WriteOptions&) override {
    return notFound("unused");
  }
  Result<json> remove(const Resource&, std::string_view, std::string_view, const json&) override {
    return notFound("unused");
  }
  Status removeCollection(const Resource&, std::string_view, const ListOptions&,
                          const json&) override {
    return notFound("unused");
  }
  Result<std::unique_ptr<EventStream>> watch(const Resource&, std::string_view,
                                             const ListOptions&) override {
    return notFound("unused");
  }
  Result<std::vector<ServedResource>> serverResources() override {
    return std::vector<ServedResource>{};
  }
};

json podObject() {
  return {{"metadata",
           {{"name", "web"}, {"namespace", "shop"}, {"uid", "u-1"}, {"resourceVersion", "7"}}}};
}

}  // namespace

TEST_CASE("an object reference carries kind, version and identity", "[events]") {
  json ref = objectReference(podObject(), "Pod", "v1");
  CHECK(ref == json{{"kind", "Pod"},
                    {"apiVersion", "v1"},
                    {"name", "web"},
                    {"namespace", "shop"},
                    {"uid", "u-1"},
                    {"resourceVersion", "7"}});
}

TEST_CASE("an event is written as a core/v1 Event about the object", "[events]") {
  EventSink sink;
  EventRecorder recorder(sink, EventSource{"default-scheduler", ""});
  recorder.record(objectReference(podObject(), "Pod", "v1"), "Normal", "Scheduled",
                  "Successfully assigned shop/web to n1", "Binding");
  recorder.flush();
  REQUIRE(sink.created.size() == 1);
  const json& e = sink.created[0];
  CHECK(e["kind"] == "Event");
  CHECK(e["metadata"]["namespace"] == "shop");
  CHECK(e["metadata"]["name"].get<std::string>().rfind("web.", 0) == 0);
  CHECK(e["involvedObject"]["uid"] == "u-1");
  CHECK(e["type"] == "Normal");
  CHECK(e["reason"] == "Scheduled");
  CHECK(e["action"] == "Binding");
  CHECK(e["message"] == "Successfully assigned shop/web to n1");
  CHECK(e["source"]["component"] == "default-scheduler");
  CHECK(e["reportingComponent"] == "default-scheduler");
  CHECK(e["count"] == 1);
  CHECK(e["firstTimestamp"] == e["lastTimestamp"]);
}

TEST_CASE("repeats of an event raise its count instead of adding events", "[events]") {
  EventSink sink;
  EventRecorder recorder(sink, EventSource{"default-scheduler", ""});
  json ref = objectReference(podObject(), "Pod", "v1");
  for (int i = 0; i < 3; ++i) {
    recorder.record(ref, "Warning", "FailedScheduling", "0/1 nodes are available", "Scheduling");
  }
  recorder.record(ref, "Warning", "FailedScheduling", "0/2 nodes are available", "Scheduling");
  recorder.flush();
  REQUIRE(sink.created.size() == 2);
  REQUIRE(sink.patched.size() == 2);
  CHECK(sink.patched[0].first == sink.created[0]["metadata"]["name"]);
  CHECK(sink.patched[0].second["count"] == 2);
  CHECK(sink.patched[1].second["count"] == 3);
  CHECK(sink.patched[1].second.contains("lastTimestamp"));

  // An event deleted meanwhile is written anew.
  sink.gone.insert(sink.created[0]["metadata"]["name"].get<std::string>());
  recorder.record(ref, "Warning", "FailedScheduling", "0/1 nodes are available", "Scheduling");
  recorder.flush();
  CHECK(sink.created.size() == 3);
  CHECK(sink.created[2]["count"] == 1);
}

TEST_CASE("events about cluster-scoped objects go to the default namespace", "[events]") {
  EventSink sink;
  EventRecorder recorder(sink, EventSource{"node-controller", "host-1"});
  recorder.record(objectReference({{"metadata", {{"name", "n1"}}}}, "Node", "v1"), "Normal",
                  "RegisteredNode", "Node n1 event: Registered Node n1 in Controller");
  recorder.flush();
  REQUIRE(sink.created.size() == 1);
  CHECK(sink.created[0]["metadata"]["namespace"] == "default");
  CHECK(sink.created[0]["source"]["host"] == "host-1");
  CHECK(sink.created[0]["reportingInstance"] == "host-1");
  CHECK_FALSE(sink.created[0].contains("action"));
}

TEST_CASE("events name their object and stop after a burst of 25 per object", "[events]") {
  EventSink sink;
  EventRecorder recorder(sink, EventSource{"replicaset-controller", ""});
  json rs = {{"metadata",
              {{"name", "web-1"}, {"namespace", "ns"}, {"uid", "u1"}, {"resourceVersion", "7"}}}};
  json ref = objectReference(rs, "ReplicaSet", "apps/v1");
  for (int i = 0; i < 30; ++i) {
    recorder.record(ref, "Normal", "SuccessfulCreate", "Created pod: web-1-" + std::to_string(i));
  }
  json other = {{"metadata", {{"name", "web-2"}, {"namespace", "ns"}, {"uid", "u2"}}}};
  recorder.record(objectReference(other, "ReplicaSet", "apps/v1"), "Warning", "FailedCreate",
                  "Error creating: x");
  recorder.flush();
  REQUIRE(sink.created.size() == 26);
  CHECK(sink.patched.empty());

  const json& e = sink.created[0];
  CHECK(e["metadata"]["namespace"] == "ns");
  CHECK(e["metadata"]["name"].get<std::string>().rfind("web-1.", 0) == 0);
  CHECK(e["involvedObject"] == json({{"apiVersion", "apps/v1"},
                                     {"kind", "ReplicaSet"},
                                     {"name", "web-1"},
                                     {"namespace", "ns"},
                                     {"uid", "u1"},
                                     {"resourceVersion", "7"}}));
  CHECK(e["reason"] == "SuccessfulCreate");
  CHECK(e["message"] == "Created pod: web-1-0");
  CHECK(e["type"] == "Normal");
  CHECK(e["source"] == json({{"component", "replicaset-controller"}}));
  CHECK(e["count"] == 1);
  CHECK(sink.created[24]["message"] == "Created pod: web-1-24");
  CHECK(sink.created[25]["type"] == "Warning");
  CHECK(sink.created[25]["involvedObject"]["name"] == "web-2");
}
