#include "store/sqlite/writer.h"

#include <pthread.h>

#include <algorithm>

#include "common/log.h"
#include "store/sqlite/sql.h"

namespace tug::store::sqlite {
namespace {

using Clock = std::chrono::steady_clock;

// Compaction deletes at most this many revisions per transaction, so writes queued behind it
// wait for one short transaction, not for the whole backlog.
constexpr Revision kCompactChunk = 10000;

}  // namespace

Writer::Writer(std::unique_ptr<Db> db, const SqliteOptions& options, Revision current,
               Revision compacted, std::shared_ptr<WatchHub> hub)
    : db_(std::move(db)),
      options_(options),
      hub_(std::move(hub)),
      current_(current),
      compacted_(compacted) {}

Writer::~Writer() { close(); }

Status Writer::start() {
  auto latest = db_->prepare(sql::kGetAt);
  auto insert = db_->prepare(sql::kInsert);
  auto superseded = db_->prepare(sql::kCompactSuperseded);
  auto tombstones = db_->prepare(sql::kCompactTombstones);
  auto setCompacted = db_->prepare(sql::kSetCompactedRevision);
  for (auto* s : {&latest, &insert, &superseded, &tombstones, &setCompacted}) {
    if (!s->ok()) {
      return s->status();
    }
  }
  latest_ = std::move(*latest);
  insert_ = std::move(*insert);
  superseded_ = std::move(*superseded);
  tombstones_ = std::move(*tombstones);
  setCompacted_ = std::move(*setCompacted);
  lastCompaction_ = Clock::now();
  // Revisions already on disk count as committed now: after a restart they are kept for
  // retainFor again rather than dropped at once.
  commitTimes_.emplace_back(lastCompaction_, current());
  thread_ = std::thread([this] { run(); });
  pthread_setname_np(thread_.native_handle(), "store-writer");
  return Status::ok();
}

Result<KeyValue> Writer::write(Kind kind, std::string_view key, std::string value,
                               Revision expected) {
  Op op{kind, std::string(key), std::move(value), expected};
  std::unique_lock lock(mu_);
  if (closing_) {
    return unavailable("datastore is closed");
  }
  queue_.push_back(&op);
  op.wake.wait(lock, [&] {
    return op.done || (!busy_ && !compactorWaiting_ && queue_.front() == &op);
  });
  if (op.done) {
    return std::move(op.result);  // a leader committed it
  }
  // This write leads: it commits itself and everything queued behind it.
  busy_ = true;
  std::vector<Op*> batch;
  while (!queue_.empty() && batch.size() < options_.maxBatch) {
    batch.push_back(queue_.front());
    queue_.pop_front();
  }
  lock.unlock();
  runBatch(batch);
  bool compact = options_.autoCompact && compactionWanted(Clock::now());
  lock.lock();
  for (Op* o : batch) {
    o->done = true;
    if (o != &op) {
      o->wake.notify_one();
    }
  }
  compactionRequested_ = compactionRequested_ || compact;
  releaseLocked();
  return std::move(op.result);
}

void Writer::releaseLocked() {
  busy_ = false;
  wakeNextLocked();
}

void Writer::wakeNextLocked() {
  if (!queue_.empty()) {
    queue_.front()->wake.notify_one();
  }
  cv_.notify_all();
}

Status Writer::compact(Revision revision) {
  auto request = std::make_unique<CompactRequest>(CompactRequest{revision, {}});
  auto done = request->done.get_future();
  {
    std::lock_guard lock(mu_);
    if (closing_) {
      return unavailable("datastore is closed");
    }
    compactions_.push_back(std::move(request));
  }
  cv_.notify_all();
  return done.get();
}

void Writer::close() {
  std::unique_lock lock(mu_);
  if (closing_) {
    return;
  }
  closing_ = true;
  stopped_ = stopped_ || !thread_.joinable();
  cv_.notify_all();
  // Writes already queued are still committed by their leaders.
  cv_.wait(lock, [&] { return queue_.empty() && !busy_ && stopped_; });
  lock.unlock();
  if (thread_.joinable()) {
    thread_.join();
  }
  TUG_LOG(kDebug, "store") << "writer closed after " << writes_ << " write(s) in " << transactions_
                           << " transaction(s)";
  // Leave a small file behind: fold the WAL into the database.
  sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

void Writer::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    auto wakeAt = options_.autoCompact ? lastCompaction_ + options_.compactInterval
                                       : Clock::time_point::max();
    cv_.wait_until(lock, wakeAt,
                   [&] { return closing_ || !compactions_.empty() || compactionRequested_; });
    if (closing_) {
      break;
    }
    if (compactions_.empty() && !compactionRequested_ && Clock::now() < wakeAt) {
      continue;  // woken early by another hand-over: nothing for us yet
    }
    // Writers keep taking the connection while we wait for it unless told to stand back.
    compactorWaiting_ = true;
    cv_.wait(lock, [&] { return !busy_ || closing_; });
    compactorWaiting_ = false;
    if (closing_) {
      break;
    }
    busy_ = true;
    compactionRequested_ = false;
    std::unique_ptr<CompactRequest> request;
    if (!compactions_.empty()) {
      request = std::move(compactions_.front());
      compactions_.pop_front();
    }
    lock.unlock();
    if (request) {
      request->done.set_value(compactTo(request->revision));
    } else if (options_.autoCompact) {
      autoCompact(Clock::now());
    }
    lock.lock();
    releaseLocked();
  }
  for (auto& request : compactions_) {
    request->done.set_value(unavailable("datastore is closed"));
  }
  compactions_.clear();
  stopped_ = true;
  wakeNextLocked();  // writes held back for us may go on
}

bool Writer::compactionWanted(Clock::time_point now) const {
  Revision backlog = autoCompactTarget(now) - compacted();
  bool due = now - lastCompaction_ >= options_.compactInterval;
  return (backlog > 0 && (due || backlog >= std::max<Revision>(options_.retainRevisions / 2, 1))) ||
         (due && writtenSinceReclaim_);
}

void Writer::autoCompact(Clock::time_point now) {
  Revision target = autoCompactTarget(now);
  if (target > compacted()) {
    // One chunk per turn keeps writes flowing while a large backlog is worked off.
    Revision step = std::min(target, compacted() + kCompactChunk);
    Status s = compactChunk(compacted(), step);
    if (!s.isOk()) {
      TUG_LOG(kWarn, "store") << "automatic compaction to revision " << step
                              << " failed: " << s.message();
    } else if (step == target) {
      reclaimSpace();
    }
  } else if (writtenSinceReclaim_) {
    // A quiet store still shrinks its WAL back to nothing.
    reclaimSpace();
  }
  lastCompaction_ = now;
}

void Writer::runBatch(const std::vector<Op*>& ops) {
  ++transactions_;
  writes_ += static_cast<int64_t>(ops.size());
  std::vector<Result<KeyValue>> results;
  results.reserve(ops.size());
  std::vector<EventPtr> events;
  Revision rev = current();
  Status storageError = db_->exec("BEGIN IMMEDIATE");
  if (storageError.isOk()) {
    for (Op* op : ops) {
      if (!apply(*op, rev, events, results, storageError)) {
        break;
      }
    }
  }
  if (storageError.isOk()) {
    storageError = db_->exec("COMMIT");
  }
  if (!storageError.isOk()) {
    if (sqlite3_get_autocommit(db_->handle()) == 0) {
      (void)db_->exec("ROLLBACK");
    }
    TUG_LOG(kError, "store") << "write of " << ops.size()
                             << " change(s) failed: " << storageError.message();
    for (Op* op : ops) {
      op->result = storageError;
    }
    return;
  }
  if (!events.empty()) {
    writtenSinceReclaim_ = true;
    current_.store(rev, std::memory_order_release);
    noteCommit(Clock::now(), rev);
    hub_->publish(std::move(events), rev);
  }
  for (size_t i = 0; i < ops.size(); ++i) {
    ops[i]->result = std::move(results[i]);
  }
}

Result<Writer::Latest> Writer::latest(std::string_view key) {
  StmtReset reset{latest_};
  latest_.bind(1, key);
  latest_.bind(2, std::numeric_limits<int64_t>::max());
  int rc = latest_.step();
  Latest l;
  if (rc == SQLITE_ROW) {
    l.id = latest_.int64(0);
    l.createRevision = latest_.int64(1);
    l.deleted = latest_.int64(2) != 0;
    if (!l.deleted) {
      l.value = latest_.text(3);
    }
  } else if (rc != SQLITE_DONE) {
    return sqliteError(rc, db_->handle(), "reading " + std::string(key));
  }
  return l;
}

bool Writer::apply(Op& op, Revision& rev, std::vector<EventPtr>& events,
                   std::vector<Result<KeyValue>>& results, Status& storageError) {
  auto l = latest(op.key);
  if (!l.ok()) {
    storageError = l.status();
    return false;
  }
  if (op.kind == Kind::kCreate && !l->deleted) {
    results.emplace_back(alreadyExists("key " + op.key + " already exists"));
    return true;
  }
  if (op.kind != Kind::kCreate) {
    if (l->deleted) {
      results.emplace_back(notFound("key " + op.key + " not found"));
      return true;
    }
    if (op.expected != 0 && op.expected != l->id) {
      results.emplace_back(conflict("key " + op.key + " is at revision " + std::to_string(l->id) +
                                    ", not " + std::to_string(op.expected)));
      return true;
    }
  }
  Revision next = rev + 1;
  bool isDelete = op.kind == Kind::kDelete;
  Revision createRevision = op.kind == Kind::kCreate ? next : l->createRevision;
  {
    StmtReset reset{insert_};
    insert_.bind(1, next);
    insert_.bind(2, op.key);
    insert_.bind(3, createRevision);
    insert_.bind(4, op.kind == Kind::kCreate ? 0 : l->id);
    insert_.bind(5, isDelete ? 1 : 0);
    insert_.bindBlob(6, isDelete ? std::string_view() : std::string_view(op.value));
    int rc = insert_.step();
    if (rc != SQLITE_DONE) {
      storageError = sqliteError(rc, db_->handle(), "writing " + op.key);
      return false;
    }
  }
  rev = next;
  auto e = std::make_shared<Event>();
  e->kv = KeyValue{op.key, std::string(), createRevision, next};
  if (op.kind != Kind::kCreate) {
    e->prev = KeyValue{op.key, std::move(l->value), createRevision, l->id};
  }
  if (isDelete) {
    e->type = EventType::kDeleted;
    results.emplace_back(KeyValue{op.key, e->prev->value, createRevision, next});
  } else {
    e->type = op.kind == Kind::kCreate ? EventType::kAdded : EventType::kModified;
    e->kv.value = std::move(op.value);
    results.emplace_back(e->kv);
  }
  events.push_back(std::move(e));
  return true;
}

Status Writer::compactTo(Revision target) {
  if (target > current()) {
    return invalid("cannot compact to revision " + std::to_string(target) +
                   ": the current revision is " + std::to_string(current()));
  }
  while (compacted() < target) {
    Revision step = std::min(target, compacted() + kCompactChunk);
    if (Status s = compactChunk(compacted(), step); !s.isOk()) {
      return s;
    }
  }
  reclaimSpace();
  return Status::ok();
}

Status Writer::compactChunk(Revision from, Revision to) {
  if (Status s = db_->exec("BEGIN IMMEDIATE"); !s.isOk()) {
    return s;
  }
  int rc = SQLITE_DONE;
  for (Stmt* st : {&superseded_, &tombstones_}) {
    StmtReset reset{*st};
    st->bind(1, from);
    st->bind(2, to);
    if ((rc = st->step()) != SQLITE_DONE) {
      break;
    }
  }
  if (rc == SQLITE_DONE) {
    StmtReset reset{setCompacted_};
    setCompacted_.bind(1, to);
    rc = setCompacted_.step();
  }
  Status s = rc == SQLITE_DONE ? Status::ok() : sqliteError(rc, db_->handle(), "compacting");
  if (s.isOk()) {
    // Published before COMMIT: a reader whose snapshot lacks the deleted rows then always sees
    // the new compacted revision when it checks after reading, and answers Gone.
    compacted_.store(to, std::memory_order_release);
    s = db_->exec("COMMIT");
  }
  if (!s.isOk()) {
    if (sqlite3_get_autocommit(db_->handle()) == 0) {
      (void)db_->exec("ROLLBACK");
    }
    compacted_.store(from, std::memory_order_release);
    return s;
  }
  TUG_LOG(kDebug, "store") << "compacted history up to revision " << to;
  return Status::ok();
}

void Writer::reclaimSpace() {
  // Return freed pages to the file system, then fold the WAL back into the database and cut it
  // to zero bytes. Neither may stall writes behind a long reader: give up at once when busy and
  // try again after the next compaction.
  if (Status s = db_->exec("PRAGMA incremental_vacuum"); !s.isOk()) {
    TUG_LOG(kWarn, "store") << "reclaiming free pages: " << s.message();
  }
  sqlite3_busy_timeout(db_->handle(), 0);
  int rc = sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr,
                                     nullptr);
  sqlite3_busy_timeout(db_->handle(), 5000);
  if (rc == SQLITE_OK) {
    writtenSinceReclaim_ = false;
  } else if (rc != SQLITE_BUSY) {
    TUG_LOG(kWarn, "store") << "checkpoint: " << sqlite3_errstr(rc);
  }
}

void Writer::noteCommit(Clock::time_point now, Revision rev) {
  // One sample per 100 ms bounds this to retainFor / 100 ms entries.
  if (!commitTimes_.empty() && now - commitTimes_.back().first < std::chrono::milliseconds(100)) {
    commitTimes_.back().second = rev;
  } else {
    commitTimes_.emplace_back(now, rev);
  }
  auto horizon = now - options_.retainFor - std::chrono::milliseconds(100);
  while (commitTimes_.size() > 1 && commitTimes_[1].first <= horizon) {
    commitTimes_.pop_front();
  }
}

Revision Writer::autoCompactTarget(Clock::time_point now) const {
  Revision byCount = current() - options_.retainRevisions;
  Revision byAge = current();
  if (options_.retainFor.count() > 0) {
    // A sample (t, r) means revisions up to r were committed by t + 100 ms.
    byAge = 0;
    auto horizon = now - options_.retainFor - std::chrono::milliseconds(100);
    for (const auto& [t, r] : commitTimes_) {
      if (t > horizon) {
        break;
      }
      byAge = r;
    }
  }
  return std::max<Revision>(0, std::min(byCount, byAge));
}

}  // namespace tug::store::sqlite
