#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_conn.h"
#include "store/sqlite/sqlite_store.h"
#include "store/watch_hub.h"

namespace tug::store::sqlite {

// The single writer: one connection, used by one thread at a time. Writes queue up; the caller at
// the head of the queue becomes the leader and commits everything queued behind it in one
// transaction (group commit), so one fsync acknowledges many writes, and a lone writer commits
// on its own thread without waiting for another to wake. A write is acknowledged only after its
// COMMIT returned, and published to watchers before it is acknowledged. A background thread
// takes the same connection between batches to compact. Thread-safe.
class Writer {
 public:
  enum class Kind { kCreate, kUpdate, kDelete };

  Writer(std::unique_ptr<Db> db, const SqliteOptions& options, Revision current,
         Revision compacted, std::shared_ptr<WatchHub> hub);
  ~Writer();

  Status start();

  // Blocks until the write is durable or has failed.
  Result<KeyValue> write(Kind kind, std::string_view key, std::string value, Revision expected);

  // Blocks until history at or before `revision` is forgotten.
  Status compact(Revision revision);

  // Finishes queued writes, then stops. Later writes fail with Unavailable.
  void close();

  Revision current() const { return current_.load(std::memory_order_acquire); }
  Revision compacted() const { return compacted_.load(std::memory_order_acquire); }

 private:
  struct Op {
    Kind kind;
    std::string key;
    std::string value;
    Revision expected;
    Result<KeyValue> result = unavailable("not written");
    bool done = false;             // guarded by mu_
    std::condition_variable wake;  // signalled when done or when this op heads the queue
  };
  struct CompactRequest {
    Revision revision;
    std::promise<Status> done;
  };
  struct Latest {  // the newest row of a key
    Revision id = 0;
    Revision createRevision = 0;
    bool deleted = true;
    std::string value;
  };

  // The compaction thread's loop.
  void run();
  // REQUIRES: mu_ held. Gives the connection up: wakes the next leader and the compactor.
  void releaseLocked();
  // REQUIRES: mu_ held. Wakes the head of the queue and everyone waiting on cv_.
  void wakeNextLocked();
  void runBatch(const std::vector<Op*>& ops);
  bool compactionWanted(std::chrono::steady_clock::time_point now) const;
  void autoCompact(std::chrono::steady_clock::time_point now);
  // Applies one op inside the open transaction. Returns false on a storage error, which fails
  // the whole batch; a rejected op (conflict, missing key) returns true with its result set.
  bool apply(Op& op, Revision& rev, std::vector<EventPtr>& events,
             std::vector<Result<KeyValue>>& results, Status& storageError);
  Result<Latest> latest(std::string_view key);

  Status compactTo(Revision target);
  Status compactChunk(Revision from, Revision to);
  void reclaimSpace();
  Revision autoCompactTarget(std::chrono::steady_clock::time_point now) const;
  void noteCommit(std::chrono::steady_clock::time_point now, Revision rev);

  std::unique_ptr<Db> db_;
  const SqliteOptions options_;
  std::shared_ptr<WatchHub> hub_;
  Stmt latest_, insert_, superseded_, tombstones_, setCompacted_;

  std::atomic<Revision> current_;
  std::atomic<Revision> compacted_;

  std::mutex mu_;
  std::condition_variable cv_;  // the compactor and close() wait here
  std::deque<Op*> queue_;                                    // guarded by mu_
  std::deque<std::unique_ptr<CompactRequest>> compactions_;  // guarded by mu_
  bool busy_ = false;     // guarded by mu_; a leader or the compactor holds the connection
  bool compactorWaiting_ = false;     // guarded by mu_; new leaders wait while it is set
  bool compactionRequested_ = false;  // guarded by mu_; a leader saw history to forget
  bool closing_ = false;  // guarded by mu_
  bool stopped_ = false;  // guarded by mu_
  std::thread thread_;

  // Whoever holds the connection (busy_) owns the rest; mu_ orders the hand-overs.
  // When revisions were committed, to keep history by age.
  std::deque<std::pair<std::chrono::steady_clock::time_point, Revision>> commitTimes_;
  std::chrono::steady_clock::time_point lastCompaction_;
  bool writtenSinceReclaim_ = false;
  int64_t transactions_ = 0;  // write batches committed or failed
  int64_t writes_ = 0;
};

}  // namespace tug::store::sqlite
