#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

// The datastore every other part stands on: a kine-like MVCC key-value store. Each write
// takes the next value of one global int64 revision, which becomes the Kubernetes
// resourceVersion. Keys follow Kubernetes: /registry/<resource>/<namespace>/<name>.
namespace tug::store {

using Revision = int64_t;

// One version of one key.
struct KeyValue {
  std::string key;
  std::string value;
  Revision createRevision = 0;  // revision that created this incarnation of the key
  Revision modRevision = 0;     // revision of the write that produced this version
};

struct ListOptions {
  Revision revision = 0;      // 0 means the current revision
  int64_t limit = 0;          // 0 means no limit
  std::string continueToken;  // from a previous ListResult; overrides `revision`
};

struct ListResult {
  std::vector<KeyValue> items;  // sorted by key
  Revision revision = 0;        // the revision the list was read at
  std::string continueToken;    // empty when nothing is left
  int64_t remaining = 0;        // keys left after this page (0 when the list is complete)
};

enum class EventType { kAdded, kModified, kDeleted };
std::string_view eventTypeName(EventType t);

// One write as seen by a watcher. For kDeleted, `kv.value` is empty and `kv.modRevision` is the
// revision of the delete; the deleted value is in `prev`.
struct Event {
  EventType type = EventType::kAdded;
  KeyValue kv;
  std::optional<KeyValue> prev;  // the version this write replaced; empty for kAdded
};
// Events are shared, never copied, between the watchers that see them.
using EventPtr = std::shared_ptr<const Event>;

// A stream of events for one key prefix, in revision order, with no gaps.
// Thread-safe: next() from one consumer thread, close() from any thread.
class Watch {
 public:
  virtual ~Watch() = default;

  // Blocks until events are available, `timeout` passes (returns an empty vector) or the watch
  // ends. A watch ends with an error when the consumer falls too far behind (Gone: restart from
  // the last revision seen) or when the store closes (Unavailable). After close(), returns
  // Unavailable.
  virtual Result<std::vector<EventPtr>> next(std::chrono::milliseconds timeout) = 0;

  // Calls `wake` (from the writer's thread; keep it short, never call into the store) whenever
  // events become available or the watch ends. Lets event loops avoid a blocking thread.
  virtual void setWakeup(std::function<void()> wake) = 0;

  virtual void close() = 0;
};
using WatchPtr = std::unique_ptr<Watch>;

// What a store reports about itself for monitoring.
struct StoreFigures {
  Revision current = 0, compacted = 0;
  int64_t databaseBytes = -1;  // on disk, write-ahead log included; -1 when unknown
  size_t watchers = 0;         // open watches
  size_t windowEvents = 0;     // recent events kept in memory for watches
};

// Thread-safe. Errors: NotFound, AlreadyExists, Conflict, Gone (revision compacted), Invalid
// (bad key), TooLarge (value over the limit), Unavailable (store closed), Internal (I/O, disk
// full, damaged file).
class Store {
 public:
  virtual ~Store() = default;

  // The latest version of `key` at `revision` (0: current). NotFound if it does not exist then.
  virtual Result<KeyValue> get(std::string_view key, Revision revision = 0) = 0;

  // Live keys under `prefix` (a plain byte prefix) at one revision, sorted by key.
  virtual Result<ListResult> list(std::string_view prefix, const ListOptions& options) = 0;

  // Number of live keys under `prefix` at the current revision.
  virtual Result<int64_t> count(std::string_view prefix) = 0;

  // Creates `key`; AlreadyExists if it is live. Returns the new version once durable.
  virtual Result<KeyValue> create(std::string_view key, std::string value) = 0;

  // Replaces `key` if its modRevision equals `expected` (Conflict otherwise, NotFound if the key
  // does not exist). `expected` 0 updates unconditionally. Returns the new version once durable.
  virtual Result<KeyValue> update(std::string_view key, std::string value, Revision expected) = 0;

  // Deletes `key` if its modRevision equals `expected` (0: unconditionally). Returns the deleted
  // version, whose modRevision is the revision of the delete.
  virtual Result<KeyValue> remove(std::string_view key, Revision expected) = 0;

  // Every event under `prefix` with revision > `from`. `from` 0 means "from now". Gone if `from`
  // is older than the compacted revision.
  virtual Result<WatchPtr> watch(std::string_view prefix, Revision from) = 0;

  // Forgets history at or before `revision` (the latest version of each live key is kept).
  virtual Status compact(Revision revision) = 0;

  virtual Revision currentRevision() const = 0;
  virtual Revision compactedRevision() const = 0;
  virtual StoreFigures figures() const = 0;

  // Stops accepting writes, ends watches and releases the database. Idempotent.
  virtual void close() = 0;
};
using StorePtr = std::unique_ptr<Store>;

}  // namespace tug::store
