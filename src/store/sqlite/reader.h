#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite_conn.h"
#include "store/store.h"

namespace tug::store::sqlite {

// One read connection with its prepared statements. Used by one thread at a time.
class Reader {
 public:
  static Result<std::unique_ptr<Reader>> open(const std::string& path);

  // Queries run inside one read transaction, so that a page and its count share a snapshot.
  Status begin();
  void end();

  // The version of `key` at `revision`; nullopt when it does not exist then.
  Result<std::optional<KeyValue>> get(std::string_view key, Revision revision);
  // Up to `limit` (0: all) live keys in [from, to) at `revision`.
  Result<std::vector<KeyValue>> list(std::string_view from, std::string_view to, Revision revision,
                                     int64_t limit);
  Result<int64_t> count(std::string_view from, std::string_view to, Revision revision);
  // Writes in (after, upTo] under [from, to), in revision order.
  Result<std::vector<EventPtr>> history(std::string_view from, std::string_view to, Revision after,
                                        Revision upTo);

 private:
  explicit Reader(std::unique_ptr<Db> db) : db_(std::move(db)) {}
  std::unique_ptr<Db> db_;
  Stmt get_, list_, count_, history_;
};

// Read connections, opened on demand and kept for reuse; SQLite's WAL lets them read while the
// writer writes. Thread-safe.
class ReaderPool {
 public:
  explicit ReaderPool(std::string path) : path_(std::move(path)) {}

  class Lease {
   public:
    Lease(ReaderPool* pool, std::unique_ptr<Reader> r) : pool_(pool), r_(std::move(r)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (r_) {
        pool_->release(std::move(r_));
      }
    }
    Reader* operator->() { return r_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Reader> r_;
  };

  Result<Lease> acquire();
  void clear();

 private:
  void release(std::unique_ptr<Reader> r);

  const std::string path_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Reader>> idle_;  // guarded by mu_
};

}  // namespace tug::store::sqlite
