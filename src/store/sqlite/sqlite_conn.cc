#include "store/sqlite/sqlite_conn.h"

namespace tug::store::sqlite {

Status sqliteError(int rc, sqlite3* db, std::string_view what) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string m(what);
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return internalError(m + ": datastore is full (" + detail +
                           "): free disk space or raise the datastore size limit");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return internalError(m + ": the database file is damaged (" + detail +
                           "); restore it from a backup");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return unavailable(m + ": database is busy (" + detail + ")");
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return internalError(m + ": I/O error (" + detail + ")");
    default:
      return internalError(m + ": " + detail);
  }
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(s_);
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() { sqlite3_finalize(s_); }

void Stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

std::string Stmt::text(int col) const {
  const void* p = sqlite3_column_blob(s_, col);
  int n = sqlite3_column_bytes(s_, col);
  return p != nullptr ? std::string(static_cast<const char*>(p), static_cast<size_t>(n))
                      : std::string();
}

Result<std::unique_ptr<Db>> Db::open(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = sqliteError(rc, db, "opening " + path);
    sqlite3_close_v2(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<Db>(new Db(db, path));
}

Db::~Db() { sqlite3_close_v2(db_); }

Status Db::exec(std::string_view sql) {
  std::string s(sql);
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    return sqliteError(rc, db_, s.substr(0, s.find_first_of(" (")));
  }
  return Status::ok();
}

Result<Stmt> Db::prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) {
    return sqliteError(rc, db_, "preparing statement");
  }
  return Stmt(s);
}

namespace {

// Runs `sql` and reads the first column of its first row with `read` (`empty` if no row).
template <typename T, typename Read>
Result<T> queryOne(Db& db, std::string_view sql, Read read, T empty) {
  auto st = db.prepare(sql);
  if (!st.ok()) {
    return st.status();
  }
  int rc = st->step();
  if (rc == SQLITE_ROW) {
    return read(*st);
  }
  if (rc == SQLITE_DONE) {
    return empty;
  }
  return sqliteError(rc, db.handle(), std::string(sql));
}

}  // namespace

Result<int64_t> Db::queryInt(std::string_view sql) {
  return queryOne<int64_t>(*this, sql, [](Stmt& s) { return s.int64(0); }, 0);
}

Result<std::string> Db::queryText(std::string_view sql) {
  return queryOne<std::string>(*this, sql, [](Stmt& s) { return s.text(0); }, std::string());
}

}  // namespace tug::store::sqlite
