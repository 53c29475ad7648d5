#include "client/informer.h"

#include <condition_variable>
#include <deque>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using namespace tug;
using namespace tug::client;

namespace {

json object(const std::string& name, const std::string& rv, const std::string& value = "") {
  return {{"metadata", {{"name", name}, {"namespace", "default"}, {"resourceVersion", rv}}},
          {"data", {{"v", value}}}};
}

// A server of one resource: lists what `objects` holds; each watch replays what the test
// pushes, or ends with the status it is given.
class FakeClient : public Client {
 public:
  struct Feed {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<Result<std::optional<WatchEvent>>> items;
  };

  class Stream : public EventStream {
   public:
    explicit Stream(std::shared_ptr<Feed> feed) : feed_(std::move(feed)) {}
    Result<std::optional<WatchEvent>> next(std::chrono::milliseconds timeout) override {
      std::unique_lock<std::mutex> lock(feed_->mu);
      feed_->cv.wait_for(lock, timeout, [&] { return !feed_->items.empty() || closed_; });
      if (closed_) {
        return Status(Code::kUnavailable, "closed");
      }
      if (feed_->items.empty()) {
        return std::optional<WatchEvent>();
      }
      auto item = std::move(feed_->items.front());
      feed_->items.pop_front();
      return item;
    }
    void close() override {
      std::lock_guard<std::mutex> lock(feed_->mu);
      closed_ = true;
      feed_->cv.notify_all();
    }

   private:
    std::shared_ptr<Feed> feed_;
    bool closed_ = false;
  };

  std::mutex mu;
  std::vector<json> objects;
  std::string listRv = "1";
  bool failLists = false;  // as a server that is gone
  int lists = 0;
  std::vector<std::string> watchedFrom;
  std::shared_ptr<Feed> feed = std::make_shared<Feed>();

  void push(Result<std::optional<WatchEvent>> item) {
    std::lock_guard<std::mutex> lock(feed->mu);
    feed->items.push_back(std::move(item));
    feed->cv.notify_all();
  }

  Result<json> get(const Resource&, std::string_view, std::string_view,
                   std::string_view) override {
    return notFound("unused");
  }
  Result<ObjectList> list(const Resource&, std::string_view, const ListOptions&) override {
    std::lock_guard<std::mutex> lock(mu);
    ++lists;
    if (failLists) {
      return Status(Code::kUnavailable, "connection refused");
    }
    ObjectList out;
    for (const json& o : objects) {
      out.items.push_back(o);
    }
    out.resourceVersion = listRv;
    return out;
  }
  Result<json> create(const Resource&, std::string_view, const json&, const WriteOptions&,
                      std::string_view, std::string_view) override {
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
  Result<std::vector<ServedResource>> serverResources() override {
    return std::vector<ServedResource>{};
  }
  Result<std::unique_ptr<EventStream>> watch(const Resource&, std::string_view,
                                             const ListOptions& options) override {
    std::lock_guard<std::mutex> lock(mu);
    watchedFrom.push_back(options.resourceVersion);
    return std::unique_ptr<EventStream>(std::make_unique<Stream>(feed));
  }
};

struct Recorder {
  std::mutex mu;
  std::vector<std::string> seen;
  void record(std::string s) {
    std::lock_guard<std::mutex> lock(mu);
    seen.push_back(std::move(s));
  }
  std::vector<std::string> snapshot() {
    std::lock_guard<std::mutex> lock(mu);
    return seen;
  }
  bool waitFor(size_t n) {
    for (int i = 0; i < 200; ++i) {
      if (snapshot().size() >= n) {
        return true;
      }
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
};

std::string nameOf(const json& o) { return o["metadata"]["name"]; }

}  // namespace

TEST_CASE("an informer lists, then follows the watch from the list's version", "[client]") {
  FakeClient fake;
  fake.objects = {object("a", "1")};
  Informer informer(fake, Resource{"", "v1", "configmaps", true});
  Recorder rec;
  auto registration = informer.addHandlers(
      EventHandlers{[&](const json& o) { rec.record("add " + nameOf(o)); },
                    [&](const json& old, const json& now) {
                      rec.record("update " + nameOf(now) + " " + std::string(old["data"]["v"]) +
                                 "->" + std::string(now["data"]["v"]));
                    },
                    [&](const json& o) { rec.record("delete " + nameOf(o)); }});
  informer.start();
  REQUIRE(informer.waitForSync(2s));
  CHECK(informer.get("default", "a").has_value());

  fake.push(std::optional<WatchEvent>(WatchEvent{"ADDED", object("b", "2")}));
  fake.push(std::optional<WatchEvent>(WatchEvent{"MODIFIED", object("a", "3", "x")}));
  fake.push(std::optional<WatchEvent>(
      WatchEvent{"BOOKMARK", {{"metadata", {{"resourceVersion", "5"}}}}}));
  fake.push(std::optional<WatchEvent>(WatchEvent{"DELETED", object("b", "6")}));
  REQUIRE(rec.waitFor(4));
  CHECK(rec.snapshot() ==
        std::vector<std::string>{"add a", "add b", "update a ->x", "delete b"});
  CHECK(informer.list().size() == 1);
  CHECK(informer.resourceVersion() == "6");
  CHECK(fake.watchedFrom.front() == "1");

  // A watch that ends resumes from the last version; a 410 lists again and reports the
  // differences.
  fake.push(Status(Code::kUnavailable, "connection closed"));
  for (int i = 0; i < 200 && fake.watchedFrom.size() < 2; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  REQUIRE(fake.watchedFrom.size() >= 2);
  CHECK(fake.watchedFrom[1] == "6");
  {
    std::lock_guard<std::mutex> lock(fake.mu);
    fake.objects = {object("c", "9")};
    fake.listRv = "9";
  }
  fake.push(Status(Code::kGone, "too old resource version"));
  REQUIRE(rec.waitFor(6));
  auto seen = rec.snapshot();
  CHECK(std::find(seen.begin() + 4, seen.end(), "add c") != seen.end());
  CHECK(std::find(seen.begin() + 4, seen.end(), "delete a") != seen.end());
  CHECK(fake.lists == 2);
  informer.stop();
}

TEST_CASE("an informer's transform decides what is cached and what counts as a change",
          "[client]") {
  FakeClient fake;
  fake.objects = {object("a", "1", "x")};
  Informer informer(fake, Resource{"", "v1", "configmaps", true});
  informer.setTransform([](json&& o) {
    return json{
        {"metadata", {{"name", o["metadata"]["name"]}, {"namespace", o["metadata"]["namespace"]}}}};
  });
  Recorder rec;
  auto registration = informer.addHandlers(
      EventHandlers{[&](const json& o) { rec.record("add " + nameOf(o) + " " + o.dump()); },
                    [&](const json&, const json& now) { rec.record("update " + nameOf(now)); },
                    [&](const json& o) { rec.record("delete " + nameOf(o)); }});
  informer.start();
  REQUIRE(informer.waitForSync(2s));
  auto cached = informer.get("default", "a");
  REQUIRE(cached.has_value());
  CHECK_FALSE(cached->contains("data"));

  fake.push(std::optional<WatchEvent>(WatchEvent{"ADDED", object("b", "2", "y")}));
  REQUIRE(rec.waitFor(2));
  CHECK(rec.snapshot()[1] == R"(add b {"metadata":{"name":"b","namespace":"default"}})");
  // The watch's resourceVersion is still followed although the transform drops it.
  for (int i = 0; i < 200 && informer.resourceVersion() != "2"; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  CHECK(informer.resourceVersion() == "2");

  // A list again: "a" changed only in fields the transform drops, so no update is reported.
  {
    std::lock_guard<std::mutex> lock(fake.mu);
    fake.objects = {object("a", "7", "changed"), object("b", "2", "y")};
    fake.listRv = "7";
  }
  fake.push(Status(Code::kGone, "too old resource version"));
  for (int i = 0; i < 200 && fake.lists < 2; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  REQUIRE(informer.waitForSync(2s));
  for (int i = 0; i < 200 && informer.resourceVersion() != "7"; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  CHECK(informer.resourceVersion() == "7");
  CHECK(rec.snapshot().size() == 2);
  informer.stop();
}

TEST_CASE("forEach visits one namespace's cached objects in place", "[client]") {
  FakeClient fake;
  json other = object("x", "1");
  other["metadata"]["namespace"] = "default-2";  // shares a prefix with "default"
  fake.objects = {object("a", "1"), object("b", "1"), other};
  Informer informer(fake, Resource{"", "v1", "configmaps", true});
  informer.start();
  REQUIRE(informer.waitForSync(2s));
  std::vector<std::string> seen;
  informer.forEach("default", [&](const json& o) { seen.push_back(nameOf(o)); });
  CHECK(seen == std::vector<std::string>{"a", "b"});
  seen.clear();
  informer.forEach("", [&](const json& o) { seen.push_back(nameOf(o)); });
  CHECK(seen.size() == 3);
  informer.stop();
}

TEST_CASE("handlers added to a running informer hear of the cache first, then every change",
          "[client]") {
  FakeClient fake;
  fake.objects = {object("a", "1"), object("b", "1")};
  Informer informer(fake, Resource{"", "v1", "configmaps", true});
  informer.start();
  REQUIRE(informer.waitForSync(2s));
  fake.push(std::optional<WatchEvent>(WatchEvent{"ADDED", object("c", "2")}));
  for (int i = 0; i < 200 && !informer.get("default", "c"); ++i) {
    std::this_thread::sleep_for(10ms);
  }
  REQUIRE(informer.get("default", "c").has_value());

  Recorder late;
  auto registration = informer.addHandlers(
      EventHandlers{[&](const json& o) { late.record("add " + nameOf(o)); },
                    [&](const json&, const json& now) { late.record("update " + nameOf(now)); },
                    [&](const json& o) { late.record("delete " + nameOf(o)); }});
  // The replay runs before addHandlers returns, on the caller's thread.
  CHECK(late.snapshot() == std::vector<std::string>{"add a", "add b", "add c"});

  fake.push(std::optional<WatchEvent>(WatchEvent{"MODIFIED", object("a", "3", "x")}));
  REQUIRE(late.waitFor(4));
  CHECK(late.snapshot().back() == "update a");

  // Once its registration goes, a handler hears nothing more; others still do.
  Recorder other;
  auto second = informer.addHandlers(
      EventHandlers{nullptr, nullptr, [&](const json& o) { other.record("delete " + nameOf(o)); }});
  registration.reset();
  fake.push(std::optional<WatchEvent>(WatchEvent{"DELETED", object("b", "4")}));
  REQUIRE(other.waitFor(1));
  CHECK(other.snapshot() == std::vector<std::string>{"delete b"});
  CHECK(late.snapshot().size() == 4);
  informer.stop();
}

TEST_CASE("a registration moved or destroyed removes its handlers once", "[client]") {
  FakeClient fake;
  Informer informer(fake, Resource{"", "v1", "configmaps", true});
  informer.start();
  REQUIRE(informer.waitForSync(2s));
  Recorder rec;
  HandlerRegistrations all;
  {
    HandlerRegistration r = informer.addHandlers(
        EventHandlers{[&](const json& o) { rec.record("add " + nameOf(o)); }, nullptr, nullptr});
    all += std::move(r);
  }  // the moved-from registration removes nothing
  fake.push(std::optional<WatchEvent>(WatchEvent{"ADDED", object("a", "2")}));
  REQUIRE(rec.waitFor(1));
  all.reset();
  fake.push(std::optional<WatchEvent>(WatchEvent{"ADDED", object("b", "3")}));
  for (int i = 0; i < 200 && !informer.get("default", "b"); ++i) {
    std::this_thread::sleep_for(10ms);
  }
  REQUIRE(informer.get("default", "b").has_value());
  CHECK(rec.snapshot() == std::vector<std::string>{"add a"});
  informer.stop();
}

TEST_CASE("an informer retrying a server that is gone stops at once", "[client]") {
  FakeClient fake;
  fake.failLists = true;
  Informer informer(fake, Resource{"", "v1", "configmaps", true});
  informer.start();
  // Long enough for the retries to back off past a second.
  for (int i = 0; i < 300; ++i) {
    std::this_thread::sleep_for(10ms);
    std::lock_guard<std::mutex> lock(fake.mu);
    if (fake.lists >= 5) {
      break;
    }
  }
  {
    std::lock_guard<std::mutex> lock(fake.mu);
    REQUIRE(fake.lists >= 5);
  }
  const auto asked = std::chrono::steady_clock::now();
  informer.stop();
  CHECK(std::chrono::steady_clock::now() - asked < 300ms);
  CHECK_FALSE(informer.waitForSync(0ms));
}
