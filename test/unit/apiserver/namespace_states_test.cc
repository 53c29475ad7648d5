#include "apiserver/namespace_states.h"

#include <chrono>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "unit/store/store_fixture.h"

using namespace tug;
using namespace tug::apiserver;
using State = NamespaceStates::State;

namespace {

const std::string kPrefix = "/registry/namespaces/";

std::string namespaceJson(const std::string& name, bool deleting) {
  nlohmann::json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
  if (deleting) {
    ns["metadata"]["deletionTimestamp"] = "2026-11-27T00:00:00Z";
  }
  return ns.dump();
}

bool becomes(const NamespaceStates& states, const std::string& name, State want) {
  for (int i = 0; i < 300 && states.state(name) != want; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return states.state(name) == want;
}

}  // namespace

TEST_CASE("namespace states follow the store", "[namespaces]") {
  testing::StoreFixture fixture;
  store::Store& store = fixture.open();
  REQUIRE(store.create(kPrefix + "before", namespaceJson("before", false)).ok());
  // Other keys that share the first letters are not namespaces.
  REQUIRE(store.create("/registry/namespacesx/y", namespaceJson("y", false)).ok());

  NamespaceStates states(store, kPrefix);
  CHECK(becomes(states, "before", State::kActive));  // from the first list
  CHECK(states.state("nosuch") == State::kUnknown);

  auto created = store.create(kPrefix + "later", namespaceJson("later", false));
  REQUIRE(created.ok());
  CHECK(becomes(states, "later", State::kActive));  // from the watch
  auto marked = store.update(kPrefix + "later", namespaceJson("later", true), created->modRevision);
  REQUIRE(marked.ok());
  CHECK(becomes(states, "later", State::kTerminating));
  REQUIRE(store.remove(kPrefix + "later", marked->modRevision).ok());
  CHECK(becomes(states, "later", State::kUnknown));
  CHECK(states.state("before") == State::kActive);
  CHECK(states.state("y") == State::kUnknown);
}
