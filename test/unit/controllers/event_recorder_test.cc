#include "controllers/workload/event_recorder.h"

#include <thread>

#include <catch2/catch.hpp>

using namespace tug;
using namespace tug::client;
using json = nlohmann::json;

namespace {

// Records the events written; every other call fails.
class EventSink : public Client {
 public:
  std::mutex mu;
  std::vector<json> events;

  size_t count() {
    std::lock_guard<std::mutex> lock(mu);
    return events.size();
  }
  Result<json> create(const Resource& r, std::string_view, const json& obj, const WriteOptions&,
                      std::string_view, std::string_view) override {
    REQUIRE(r.resource == "events");
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(obj);
    return obj;
  }
  Result<json> get(const Resource&, std::string_view, std::string_view,
                   std::string_view) override {
    return notFound("unused");
  }
  Result<ObjectList> list(const Resource&, std::string_view, const ListOptions&) override {
    return notFound("unused");
  }
  Result<json> update(const Resource&, std::string_view, const json&, std::string_view,
                      const WriteOptions&) override {
    return notFound("unused");
  }
  Result<json> patch(const Resource&, std::string_view, std::string_view, PatchType,
                     std::string_view, std::string_view, const WriteOptions&) override {
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

bool waitFor(EventSink& sink, size_t n) {
  for (int i = 0; i < 300 && sink.count() < n; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return sink.count() >= n;
}

}  // namespace

TEST_CASE("events name their object and stop after a burst of 25 per object", "[workload]") {
  EventSink sink;
  controllers::EventRecorder recorder(sink, "replicaset-controller");
  json rs = {{"metadata",
              {{"name", "web-1"}, {"namespace", "ns"}, {"uid", "u1"}, {"resourceVersion", "7"}}}};
  for (int i = 0; i < 30; ++i) {
    recorder.record(rs, "apps/v1", "ReplicaSet", "Normal", "SuccessfulCreate",
                    "Created pod: web-1-" + std::to_string(i));
  }
  REQUIRE(waitFor(sink, 25));
  json other = {{"metadata", {{"name", "web-2"}, {"namespace", "ns"}, {"uid", "u2"}}}};
  recorder.record(other, "apps/v1", "ReplicaSet", "Warning", "FailedCreate", "Error creating: x");
  REQUIRE(waitFor(sink, 26));
  recorder.stop();
  REQUIRE(sink.count() == 26);

  const json& e = sink.events[0];
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
  CHECK(sink.events[25]["type"] == "Warning");
  CHECK(sink.events[25]["involvedObject"]["name"] == "web-2");
}
