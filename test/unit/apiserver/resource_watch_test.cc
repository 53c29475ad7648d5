#include "apiserver/resource_watch.h"

#include <catch2/catch.hpp>

#include "unit/apiserver/builtin_resource.h"

using namespace tug;
using namespace tug::apiserver;

namespace {

std::optional<WatchEventType> seen(store::EventType type, bool before, bool after) {
  return visibleEventType(type, before, after);
}

}  // namespace

TEST_CASE("watch events follow the selector across writes", "[watch]") {
  using store::EventType;
  CHECK(seen(EventType::kAdded, false, true) == WatchEventType::kAdded);
  CHECK_FALSE(seen(EventType::kAdded, false, false));
  CHECK(seen(EventType::kModified, true, true) == WatchEventType::kModified);
  // Starting to match is news of an object; stopping is its disappearance from view.
  CHECK(seen(EventType::kModified, false, true) == WatchEventType::kAdded);
  CHECK(seen(EventType::kModified, true, false) == WatchEventType::kDeleted);
  CHECK_FALSE(seen(EventType::kModified, false, false));
  CHECK(seen(EventType::kDeleted, true, false) == WatchEventType::kDeleted);
  CHECK_FALSE(seen(EventType::kDeleted, false, false));
}

TEST_CASE("watch event lines are one JSON object and a newline", "[watch]") {
  std::string line = watchEventLine(WatchEventType::kModified, {{"kind", "ConfigMap"}});
  REQUIRE(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);
  auto parsed = nlohmann::json::parse(line);
  CHECK(parsed == nlohmann::json{{"type", "MODIFIED"}, {"object", {{"kind", "ConfigMap"}}}});
  CHECK(watchEventTypeName(WatchEventType::kBookmark) == "BOOKMARK");
  CHECK(watchEventTypeName(WatchEventType::kError) == "ERROR");
}

TEST_CASE("bookmarks carry only kind, apiVersion and resourceVersion", "[watch]") {
  const api::ResourceInfo* info = &builtinResource("apps", "v1", "deployments");
  CHECK(bookmarkObject(*info, 42, false) ==
        nlohmann::json{{"kind", "Deployment"},
                       {"apiVersion", "apps/v1"},
                       {"metadata", {{"resourceVersion", "42"}}}});
  CHECK(bookmarkObject(*info, 7, true)["metadata"] ==
        nlohmann::json{{"resourceVersion", "7"},
                       {"annotations", {{"k8s.io/initial-events-end", "true"}}}});
}
