#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "store/store.h"

namespace tug::store {

// How hard a commit waits for the disk. See docs/design/store.md.
enum class Durability {
  kFull,    // fsync on every commit: survives power loss (default; group commit pays for it)
  kNormal,  // survives a killed process; the last commits may be lost on power loss
};

struct SqliteOptions {
  std::string path;  // the database file; its directory must exist
  Durability durability = Durability::kFull;

  // Automatic compaction keeps every revision younger than `retainFor` and at least the last
  // `retainRevisions` revisions; older history is forgotten (the latest version of each live key
  // always stays). A pass runs every `compactInterval`, or sooner when the history to forget
  // grows past `retainRevisions` / 2 revisions. retainFor 0 keeps history by count alone.
  std::chrono::milliseconds retainFor{std::chrono::minutes(5)};
  int64_t retainRevisions = 1000;
  std::chrono::milliseconds compactInterval{std::chrono::seconds(30)};
  bool autoCompact = true;

  // Recent events kept in memory so that watches can start in the past without a query.
  size_t watchWindowEvents = 4096;
  size_t watchWindowBytes = 16 << 20;
  // Events queued for one watcher before it is dropped as too slow (it must restart).
  size_t watcherQueueEvents = 10000;

  // Largest database (0: no limit besides the disk). Writes beyond it fail with a clear error.
  int64_t maxDatabaseBytes = 0;
  // Most writes committed in one transaction.
  size_t maxBatch = 1024;
};

// Opens or creates the database at options.path. Refuses a database another process holds
// (a lock file beside it) and a damaged file (never replaced with an empty one).
Result<StorePtr> openSqlite(const SqliteOptions& options);

}  // namespace tug::store
