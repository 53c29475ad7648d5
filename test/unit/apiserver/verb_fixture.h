#pragma once

#include <catch2/catch.hpp>

#include "apiserver/resource_verbs.h"
#include "apiserver/resources.h"
#include "unit/store/store_fixture.h"

namespace tug::apiserver {

// A store holding the bootstrap namespaces, and a VerbContext over it with the built-in
// resources, as the router builds one: what tests of the verbs and subresources start from.
struct VerbFixture {
  testing::StoreFixture storeFixture;
  store::Store& store = storeFixture.open();
  const api::ResourceRegistry& registry = api::ResourceRegistry::builtin();
  VerbContext ctx{store, registry};

  VerbFixture() { REQUIRE(bootstrapNamespaces(store, registry).isOk()); }
};

}  // namespace tug::apiserver
