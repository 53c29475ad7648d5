#include "store/sqlite/reader.h"

#include <limits>

#include "store/sqlite/schema.h"
#include "store/sqlite/sql.h"

namespace tug::store::sqlite {

Result<std::unique_ptr<Reader>> Reader::open(const std::string& path) {
  auto db = openReader(path);
  if (!db.ok()) {
    return db.status();
  }
  std::unique_ptr<Reader> r(new Reader(std::move(*db)));
  auto get = r->db_->prepare(sql::kGetAt);
  auto list = r->db_->prepare(sql::kListAt);
  auto count = r->db_->prepare(sql::kCountAt);
  auto history = r->db_->prepare(sql::kHistory);
  for (auto* s : {&get, &list, &count, &history}) {
    if (!s->ok()) {
      return s->status();
    }
  }
  r->get_ = std::move(*get);
  r->list_ = std::move(*list);
  r->count_ = std::move(*count);
  r->history_ = std::move(*history);
  return r;
}

Status Reader::begin() { return db_->exec("BEGIN"); }

void Reader::end() {
  // A read transaction has nothing to keep; COMMIT only ends the snapshot.
  (void)db_->exec("COMMIT");
}

Result<std::optional<KeyValue>> Reader::get(std::string_view key, Revision revision) {
  StmtReset reset{get_};
  get_.bind(1, key);
  get_.bind(2, revision);
  int rc = get_.step();
  if (rc == SQLITE_DONE) {
    return std::optional<KeyValue>();
  }
  if (rc != SQLITE_ROW) {
    return sqliteError(rc, db_->handle(), "reading " + std::string(key));
  }
  if (get_.int64(2) != 0) {  // deleted
    return std::optional<KeyValue>();
  }
  return std::optional<KeyValue>(
      KeyValue{std::string(key), get_.text(3), get_.int64(1), get_.int64(0)});
}

Result<std::vector<KeyValue>> Reader::list(std::string_view from, std::string_view to,
                                           Revision revision, int64_t limit) {
  StmtReset reset{list_};
  list_.bind(1, from);
  list_.bind(2, to);
  list_.bind(3, revision);
  list_.bind(4, limit > 0 ? limit : std::numeric_limits<int64_t>::max());
  std::vector<KeyValue> out;
  int rc;
  while ((rc = list_.step()) == SQLITE_ROW) {
    out.push_back(KeyValue{list_.text(1), list_.text(3), list_.int64(2), list_.int64(0)});
  }
  if (rc != SQLITE_DONE) {
    return sqliteError(rc, db_->handle(), "listing " + std::string(from));
  }
  return out;
}

Result<int64_t> Reader::count(std::string_view from, std::string_view to, Revision revision) {
  StmtReset reset{count_};
  count_.bind(1, from);
  count_.bind(2, to);
  count_.bind(3, revision);
  int rc = count_.step();
  if (rc != SQLITE_ROW) {
    return sqliteError(rc, db_->handle(), "counting " + std::string(from));
  }
  return count_.int64(0);
}

Result<std::vector<EventPtr>> Reader::history(std::string_view from, std::string_view to,
                                              Revision after, Revision upTo) {
  StmtReset reset{history_};
  history_.bind(1, after);
  history_.bind(2, upTo);
  history_.bind(3, from);
  history_.bind(4, to);
  std::vector<EventPtr> out;
  int rc;
  while ((rc = history_.step()) == SQLITE_ROW) {
    auto e = std::make_shared<Event>();
    Revision id = history_.int64(0);
    e->kv = KeyValue{history_.text(1), std::string(), history_.int64(2), id};
    bool deleted = history_.int64(3) != 0;
    if (history_.int64(5) > 0 && !history_.isNull(6)) {
      e->prev = KeyValue{e->kv.key, history_.text(7), history_.int64(6), history_.int64(5)};
    }
    if (deleted) {
      e->type = EventType::kDeleted;
    } else {
      e->kv.value = history_.text(4);
      e->type = e->kv.createRevision == id ? EventType::kAdded : EventType::kModified;
    }
    out.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) {
    return sqliteError(rc, db_->handle(), "reading history of " + std::string(from));
  }
  return out;
}

Result<ReaderPool::Lease> ReaderPool::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto r = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(r));
    }
  }
  auto r = Reader::open(path_);
  if (!r.ok()) {
    return r.status();
  }
  return Lease(this, std::move(*r));
}

void ReaderPool::release(std::unique_ptr<Reader> r) {
  std::lock_guard lock(mu_);
  // Idle connections beyond a few only hold memory (page cache) that small devices lack.
  if (idle_.size() < 8) {
    idle_.push_back(std::move(r));
  }
}

void ReaderPool::clear() {
  std::lock_guard lock(mu_);
  idle_.clear();
}

}  // namespace tug::store::sqlite
