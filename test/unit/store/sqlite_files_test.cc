// The store's life on disk: locking, damaged files, full disks, compaction and file size.
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

#include "store_fixture.h"

using tug::Code;
using tug::testing::StoreFixture;
using namespace tug::store;
namespace fs = std::filesystem;

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

int64_t dbBytes(const std::string& path) {
  int64_t n = 0;
  for (auto suffix : {"", "-wal"}) {
    std::error_code ec;
    auto size = fs::file_size(path + suffix, ec);
    n += ec ? 0 : static_cast<int64_t>(size);
  }
  return n;
}

}  // namespace

TEST_CASE("a new database is private to its owner", "[store][files]") {
  StoreFixture f;
  f.open();
  REQUIRE(f.store->create("/r/a", "x").ok());
  for (auto suffix : {"", "-wal"}) {
    auto perms = fs::status(f.options.path + suffix).permissions();
    INFO(f.options.path + suffix);
    CHECK((perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  }
}

TEST_CASE("a second process cannot open a store in use", "[store][files]") {
  StoreFixture f;
  f.open();
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto second = openSqlite(f.options);
    bool refused = !second.ok() && second.status().code() == Code::kUnavailable &&
                   second.status().message().find("another tug server") != std::string::npos;
    _exit(refused ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(f.store->create("/r/still-works", "x").ok());
}

TEST_CASE("a file that is not a tug database is refused and left untouched", "[store][files]") {
  StoreFixture f;
  SECTION("garbage") {
    std::string garbage(8192, 'g');
    writeFile(f.options.path, garbage);
    auto s = openSqlite(f.options);
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().message().find("damaged or not a tug database") != std::string::npos);
    CHECK(readFile(f.options.path) == garbage);
  }
  SECTION("another application's SQLite database") {
    {
      sqlite3* db = nullptr;
      REQUIRE(sqlite3_open(f.options.path.c_str(), &db) == SQLITE_OK);
      REQUIRE(sqlite3_exec(db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);", nullptr, nullptr,
                           nullptr) == SQLITE_OK);
      sqlite3_close(db);
    }
    std::string before = readFile(f.options.path);
    auto s = openSqlite(f.options);
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().message().find("not a tug database") != std::string::npos);
    CHECK(readFile(f.options.path) == before);
  }
}

TEST_CASE("a damaged tug database gives a clear error, never an empty store", "[store][files]") {
  StoreFixture f;
  Store& s = f.open();
  for (int i = 0; i < 300; ++i) {
    REQUIRE(s.create("/r/" + std::to_string(i), std::string(2000, 'v')).ok());
  }
  s.close();
  f.store.reset();
  std::string data = readFile(f.options.path);
  REQUIRE(data.size() > 100 * 1024);

  SECTION("overwritten pages") {
    for (size_t off = 8192; off < data.size(); off += 4096) {
      for (size_t i = 0; i < 64 && off + i < data.size(); ++i) {
        data[off + i] = static_cast<char>(0xA5);
      }
    }
  }
  SECTION("truncated") {
    data.resize(data.size() / 2);
  }
  writeFile(f.options.path, data);
  auto reopened = openSqlite(f.options);
  REQUIRE_FALSE(reopened.ok());
  CHECK(reopened.status().message().find("damaged") != std::string::npos);
  CHECK(readFile(f.options.path) == data);
}

TEST_CASE("a full datastore refuses writes clearly and stays consistent", "[store][files]") {
  StoreFixture f;
  f.options.maxDatabaseBytes = 256 * 1024;
  Store& s = f.open();
  tug::Status full;
  int written = 0;
  for (int i = 0; i < 1000 && full.isOk(); ++i) {
    auto r = s.create("/r/" + std::to_string(i), std::string(4000, 'v'));
    if (r.ok()) {
      ++written;
    } else {
      full = r.status();
    }
  }
  REQUIRE_FALSE(full.isOk());
  CHECK(full.code() == Code::kInternal);
  CHECK(full.message().find("datastore is full") != std::string::npos);
  CHECK(s.currentRevision() == written);
  CHECK(*s.count("/r/") == written);
  // Reads still work, and the revision sequence has no hole after the failure.
  CHECK(s.get("/r/0").ok());
  auto small = s.update("/r/0", "small", 0);
  if (small.ok()) {
    CHECK(small->modRevision == written + 1);
  }
  Revision before = s.currentRevision();
  f.reopen();
  CHECK(f.store->currentRevision() == before);
}

TEST_CASE("compaction forgets old versions and keeps the latest", "[store][files]") {
  StoreFixture f;
  Store& s = f.open();
  REQUIRE(s.create("/r/a", "a1").ok());    // 1
  REQUIRE(s.update("/r/a", "a2", 1).ok()); // 2
  REQUIRE(s.create("/r/b", "b1").ok());    // 3
  REQUIRE(s.remove("/r/b", 3).ok());       // 4
  REQUIRE(s.update("/r/a", "a3", 2).ok()); // 5

  CHECK(s.compact(99).code() == Code::kInvalid);
  REQUIRE(s.compact(4).isOk());
  CHECK(s.compactedRevision() == 4);
  CHECK(s.get("/r/a", 1).status().code() == Code::kGone);
  CHECK(s.get("/r/a", 4)->value == "a2");
  CHECK(s.get("/r/a")->value == "a3");
  CHECK(s.get("/r/b", 4).status().code() == Code::kNotFound);
  CHECK(s.list("/r/", {.revision = 3}).status().code() == Code::kGone);
  CHECK(s.list("/r/", {.revision = 4})->items.size() == 1);
  CHECK(s.compact(2).isOk());  // already done: nothing to do
  CHECK(s.compactedRevision() == 4);
}

TEST_CASE("a continue token expires when its revision is compacted", "[store][files]") {
  StoreFixture f;
  Store& s = f.open();
  for (int i = 0; i < 5; ++i) {
    REQUIRE(s.create("/r/" + std::to_string(i), "x").ok());
  }
  auto p = s.list("/r/", {.limit = 2});
  REQUIRE(s.update("/r/0", "y", 0).ok());
  REQUIRE(s.compact(6).isOk());
  auto next = s.list("/r/", {.limit = 2, .continueToken = p->continueToken});
  CHECK(next.status().code() == Code::kGone);
  CHECK(next.status().message().find("continue token expired") != std::string::npos);
}

TEST_CASE("automatic compaction keeps the file bounded under churn", "[store][files]") {
  StoreFixture f;
  f.options.autoCompact = true;
  f.options.retainFor = std::chrono::milliseconds(0);
  f.options.retainRevisions = 200;
  f.options.compactInterval = std::chrono::milliseconds(200);
  Store& s = f.open();
  const std::string value(1000, 'x');
  constexpr int kKeys = 100;
  for (int i = 0; i < kKeys; ++i) {
    REQUIRE(s.create("/r/" + std::to_string(i), value).ok());
  }
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < kKeys; ++i) {
      REQUIRE(s.update("/r/" + std::to_string(i), value, 0).ok());
    }
  }
  Revision current = s.currentRevision();
  CHECK(current == kKeys * 51);
  // Compaction runs beside the writes on its own thread: once it has had its turn it trails
  // them by at most retainRevisions plus half of it, and never by less than retainRevisions.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (s.compactedRevision() < current - 300 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(s.compactedRevision() >= current - 300);
  CHECK(s.compactedRevision() <= current - 200);
  CHECK(s.get("/r/0", current - 150).ok());
  int64_t live = kKeys * (1000 + 5);
  // While writes go on, the WAL holds up to its checkpoint size (1,000 pages) on top.
  CHECK(dbBytes(f.options.path) < 12 * live + 4200 * 1024);  // 5,100 writes of 1 KB: 50x
  // Once quiet, the next pass folds the WAL away and only history within the bound is left.
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  INFO("database " << fs::file_size(f.options.path) << " bytes, WAL "
                   << fs::file_size(f.options.path + "-wal") << " bytes");
  CHECK(fs::file_size(f.options.path + "-wal") == 0);
  CHECK(dbBytes(f.options.path) < 8 * live);
  f.reopen();
  CHECK(f.store->compactedRevision() >= current - 300);
  CHECK(*f.store->count("/r/") == kKeys);
}

TEST_CASE("history is kept by age when retainFor is set", "[store][files]") {
  StoreFixture f;
  f.options.autoCompact = true;
  f.options.retainFor = std::chrono::hours(1);
  f.options.retainRevisions = 10;
  Store& s = f.open();
  for (int i = 0; i < 200; ++i) {
    bool written = s.update("/r/a", "x", 0).ok() || s.create("/r/a", "x").ok();
    REQUIRE(written);
  }
  CHECK(s.compactedRevision() == 0);
  CHECK(s.get("/r/a", 1).ok());
}
