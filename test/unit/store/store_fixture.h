#pragma once

#include <string>

#include <catch2/catch.hpp>

#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"

namespace tug::testing {

// A store in a fresh directory. Durability NORMAL by default: these tests check semantics,
// the crash test checks durability.
struct StoreFixture {
  TempDir dir;
  store::SqliteOptions options;
  store::StorePtr store;

  StoreFixture() {
    options.path = dir.file("state.db");
    options.durability = store::Durability::kNormal;
    options.autoCompact = false;
  }

  store::Store& open() {
    auto s = store::openSqlite(options);
    if (!s.ok()) {
      FAIL("openSqlite: " << s.status().toString());
    }
    store = std::move(*s);
    return *store;
  }

  void reopen() {
    store->close();
    store.reset();
    open();
  }
};

}  // namespace tug::testing
