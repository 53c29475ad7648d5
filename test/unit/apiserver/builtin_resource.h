#pragma once

#include <catch2/catch.hpp>

#include "api/resource_registry.h"

namespace tug::apiserver {

// A built-in resource the test needs; the test stops here when the registry lacks it.
inline const api::ResourceInfo& builtinResource(const char* group, const char* version,
                                                const char* name) {
  const api::ResourceInfo* info = api::ResourceRegistry::builtin().find(group, version, name);
  REQUIRE(info != nullptr);
  return *info;
}

}  // namespace tug::apiserver
