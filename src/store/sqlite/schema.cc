#include "store/sqlite/schema.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/sqlite/sql.h"

namespace tug::store::sqlite {
namespace {

Status damaged(const std::string& path, const std::string& why) {
  return internalError("datastore " + path + " is damaged or not a tug database (" + why +
                       "); it was left untouched: restore it from a backup or move it away");
}

Status createSchema(Db& db) {
  // auto_vacuum must be chosen before the first table exists.
  if (Status s = db.exec("PRAGMA auto_vacuum = INCREMENTAL"); !s.isOk()) {
    return s;
  }
  if (Status s = db.exec("PRAGMA journal_mode = WAL"); !s.isOk()) {
    return s;
  }
  std::string sql = std::string("BEGIN IMMEDIATE;") + sql::kCreateSchema +
                    "PRAGMA application_id = " + std::to_string(sql::kApplicationId) + ";" +
                    "PRAGMA user_version = " + std::to_string(sql::kSchemaVersion) + ";COMMIT;";
  return db.exec(sql);
}

Status checkExisting(Db& db, int64_t appId) {
  const std::string& path = db.path();
  if (appId != sql::kApplicationId) {
    return damaged(path, "it is not a tug database");
  }
  auto version = db.queryInt("PRAGMA user_version");
  if (!version.ok()) {
    return damaged(path, version.status().message());
  }
  if (*version > sql::kSchemaVersion) {
    return invalid("datastore " + path + " has schema version " + std::to_string(*version) +
                   ", newer than this tug understands (" + std::to_string(sql::kSchemaVersion) +
                   "); run a newer tug");
  }
  // quick_check reads every page: it finds torn or overwritten files before we serve from them.
  auto check = db.queryText("PRAGMA quick_check");
  if (!check.ok()) {
    return damaged(path, check.status().message());
  }
  if (*check != "ok") {
    return damaged(path, *check);
  }
  return db.exec("PRAGMA journal_mode = WAL");
}

Status configure(Db& db, const SqliteOptions& options) {
  std::string sync = options.durability == Durability::kFull ? "FULL" : "NORMAL";
  std::string pragmas = "PRAGMA synchronous = " + sync +
                        ";PRAGMA busy_timeout = 5000"
                        ";PRAGMA wal_autocheckpoint = 1000"
                        // Index pages of recently written keys stay cached between batches.
                        ";PRAGMA cache_size = -8192"
                        ";PRAGMA journal_size_limit = 4194304"
                        ";PRAGMA foreign_keys = OFF";
  if (options.maxDatabaseBytes > 0) {
    auto pageSize = db.queryInt("PRAGMA page_size");
    if (!pageSize.ok()) {
      return pageSize.status();
    }
    int64_t pages = std::max<int64_t>(options.maxDatabaseBytes / *pageSize, 16);
    pragmas += ";PRAGMA max_page_count = " + std::to_string(pages);
  }
  return db.exec(pragmas);
}

}  // namespace

Result<std::unique_ptr<Db>> openWriter(const SqliteOptions& options) {
  // The database will hold secrets: create it private to us (SQLite gives its WAL and shared
  // memory files the same mode).
  int fd = ::open(options.path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return internalError("cannot open datastore " + options.path + ": " + std::strerror(errno));
  }
  ::close(fd);
  auto db = Db::open(options.path, /*create=*/true);
  if (!db.ok()) {
    return db.status();
  }
  Db& d = **db;
  // The first read of the header: SQLite answers NOTADB here for a file that is not SQLite.
  auto appId = d.queryInt("PRAGMA application_id");
  if (!appId.ok()) {
    return damaged(options.path, appId.status().message());
  }
  auto tables = d.queryInt("SELECT COUNT(*) FROM sqlite_master");
  if (!tables.ok()) {
    return damaged(options.path, tables.status().message());
  }
  Status s = (*appId == 0 && *tables == 0) ? createSchema(d) : checkExisting(d, *appId);
  if (s.isOk()) {
    s = configure(d, options);
  }
  if (!s.isOk()) {
    return s;
  }
  return db;
}

Result<std::unique_ptr<Db>> openReader(const std::string& path) {
  auto db = Db::open(path, /*create=*/false);
  if (!db.ok()) {
    return db.status();
  }
  // Reads through a memory map skip a copy and a system call per page; the pages stay in the
  // shared page cache, not in this process.
  if (Status s = (*db)->exec("PRAGMA busy_timeout = 5000;PRAGMA query_only = 1;"
                             "PRAGMA mmap_size = 268435456");
      !s.isOk()) {
    return s;
  }
  return db;
}

}  // namespace tug::store::sqlite
