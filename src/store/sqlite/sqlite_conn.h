#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

// Thin RAII over the SQLite C API, turning its result codes into Status.
namespace tug::store::sqlite {

// Maps a SQLite result code to a Status whose message says what failed and why, in words a
// user can act on (disk full, damaged file, ...).
Status sqliteError(int rc, sqlite3* db, std::string_view what);

class Stmt {
 public:
  Stmt() = default;
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  Stmt(Stmt&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  ~Stmt();

  // Resets the statement and clears its bindings, ready for the next use.
  void reset();
  void bind(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
  // The text must outlive the step (SQLITE_STATIC): callers bind their own strings.
  void bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void bindBlob(int i, std::string_view v) {
    sqlite3_bind_blob(s_, i, v.empty() ? "" : v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(s_); }

  int64_t int64(int col) const { return sqlite3_column_int64(s_, col); }
  bool isNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::string text(int col) const;

  sqlite3_stmt* get() const { return s_; }

 private:
  sqlite3_stmt* s_ = nullptr;
};

// Resets a statement however the scope that used it is left.
struct StmtReset {
  Stmt& stmt;
  ~StmtReset() { stmt.reset(); }
};

class Db {
 public:
  // Opens `path` read-write (creating it when `create`) in the mode SQLite calls multi-thread:
  // one connection must be used by one thread at a time.
  static Result<std::unique_ptr<Db>> open(const std::string& path, bool create);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Status exec(std::string_view sql);
  Result<Stmt> prepare(std::string_view sql);
  // Runs a query that returns one integer (pragmas, counts).
  Result<int64_t> queryInt(std::string_view sql);
  Result<std::string> queryText(std::string_view sql);

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

}  // namespace tug::store::sqlite
