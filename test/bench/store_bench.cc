// The store's figures (issue: datastore benchmark), each measured several times in one run on
// one disk; each printed figure is the median. Prints "BENCH <name> <value> <unit>".
#include <sqlite3.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "common/log.h"
#include "store/sqlite/sql.h"
#include "store/sqlite/sqlite_store.h"

using namespace tug::bench;
using namespace tug::store;

namespace {

constexpr int kRepeats = 3;
const std::string kValue(1024, 'v');  // a small Kubernetes object is about 1 KiB
std::chrono::milliseconds measureFor{2000};

void check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "store_bench: %s\n", what.c_str());
    std::exit(1);
  }
}

StorePtr openStore(const std::string& path, SqliteOptions o = {}) {
  o.path = path;
  auto s = openSqlite(o);
  check(s.ok(), "open: " + s.status().toString());
  return std::move(*s);
}

// Raw SQLite with the store's schema and pragmas, one thread, `batch` rows per transaction:
// 1 is the baseline; 64 shows what the disk allows a perfect group commit of 64 writers.
double rawSqliteRowsPerSecond(const std::string& path, int batch) {
  sqlite3* db = nullptr;
  check(sqlite3_open(path.c_str(), &db) == SQLITE_OK, "sqlite3_open");
  auto exec = [&](const std::string& sql) {
    check(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK,
          sql + ": " + sqlite3_errmsg(db));
  };
  exec("PRAGMA auto_vacuum = INCREMENTAL");
  exec("PRAGMA journal_mode = WAL");
  exec("PRAGMA synchronous = FULL");
  exec(tug::store::sqlite::sql::kCreateSchema);
  sqlite3_stmt* ins = nullptr;
  check(sqlite3_prepare_v2(db, tug::store::sqlite::sql::kInsert, -1, &ins, nullptr) == SQLITE_OK,
        "prepare");
  auto start = Clock::now();
  long n = 0;
  while (Clock::now() - start < measureFor) {
    exec("BEGIN IMMEDIATE");
    for (int i = 0; i < batch; ++i) {
      ++n;
      std::string key = "/bench/raw/" + std::to_string(n);
      sqlite3_bind_int64(ins, 1, n);
      sqlite3_bind_text(ins, 2, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
      sqlite3_bind_int64(ins, 3, n);
      sqlite3_bind_int64(ins, 4, 0);
      sqlite3_bind_int64(ins, 5, 0);
      sqlite3_bind_blob(ins, 6, kValue.data(), static_cast<int>(kValue.size()), SQLITE_STATIC);
      check(sqlite3_step(ins) == SQLITE_DONE, "insert");
      sqlite3_reset(ins);
    }
    exec("COMMIT");
  }
  double rate = static_cast<double>(n) / secondsSince(start);
  sqlite3_finalize(ins);
  sqlite3_close(db);
  return rate;
}

// Creates per second from `writers` threads. Keys are numbered in creation order, like the
// baseline's; `scattered` gives each writer its own namespace instead, so a transaction touches
// as many index pages as it has writers (the shape of creates spread over many namespaces).
double storeCreatesPerSecond(const std::string& path, int writers, bool scattered = false) {
  auto store = openStore(path);
  std::atomic<long> done{0}, next{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> ts;
  auto start = Clock::now();
  for (int t = 0; t < writers; ++t) {
    ts.emplace_back([&, t] {
      char key[96];
      for (long i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        if (scattered) {
          std::snprintf(key, sizeof key, "/registry/configmaps/ns-%02d/cm-%08ld", t, i);
        } else {
          std::snprintf(key, sizeof key, "/registry/configmaps/bench/cm-%08ld", next.fetch_add(1));
        }
        auto r = store->create(key, kValue);
        check(r.ok(), "create: " + r.status().toString());
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(measureFor);
  stop = true;
  for (auto& t : ts) {
    t.join();
  }
  double rate = static_cast<double>(done.load()) / secondsSince(start);
  store->close();
  return rate;
}

// Microseconds from a write's acknowledgement to its event at a watcher, for sequential writes.
std::vector<double> watchLatenciesUs(const std::string& path, int writes) {
  auto store = openStore(path);
  auto watch = store->watch("/bench/w/", 0);
  check(watch.ok(), "watch");
  std::vector<Clock::time_point> acked(static_cast<size_t>(writes) + 1);
  std::vector<Clock::time_point> seen(static_cast<size_t>(writes) + 1);
  std::thread watcher([&] {
    int got = 0;
    while (got < writes) {
      auto events = (*watch)->next(std::chrono::seconds(5));
      check(events.ok() && !events->empty(), "watch stalled");
      auto now = Clock::now();
      for (auto& e : *events) {
        seen[static_cast<size_t>(e->kv.modRevision)] = now;
        ++got;
      }
    }
  });
  for (int i = 1; i <= writes; ++i) {
    auto r = store->create("/bench/w/" + std::to_string(i), kValue);
    check(r.ok() && r->modRevision == i, "create");
    acked[static_cast<size_t>(i)] = Clock::now();
  }
  watcher.join();
  std::vector<double> us;
  for (int i = 1; i <= writes; ++i) {
    // An event may arrive before the writer thread sees its acknowledgement: that is 0 µs.
    double d = std::chrono::duration<double, std::micro>(seen[i] - acked[i]).count();
    us.push_back(std::max(0.0, d));
  }
  store->close();
  return us;
}

void fill(Store& store, const std::string& prefix, int keys) {
  std::vector<std::thread> ts;
  constexpr int kThreads = 32;
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = t; i < keys; i += kThreads) {
        char k[64];
        std::snprintf(k, sizeof k, "%s%06d", prefix.c_str(), i);
        check(store.create(k, kValue).ok(), "fill");
      }
    });
  }
  for (auto& t : ts) {
    t.join();
  }
}

double list10kMs(const std::string& path) {
  auto store = openStore(path);
  fill(*store, "/registry/configmaps/bench/", 10000);
  std::vector<double> ms;
  for (int i = 0; i < 5; ++i) {
    auto start = Clock::now();
    auto l = store->list("/registry/configmaps/bench/", {});
    ms.push_back(secondsSince(start) * 1000);
    check(l.ok() && l->items.size() == 10000, "list");
  }
  store->close();
  return median(ms);
}

struct ChurnResult {
  double ratioAfter;  // once the store has been idle for one compaction interval
  double ratioPeak;   // the largest seen while the updates ran
};

// 100,000 updates over 1,000 keys from 64 writers, with history kept by count (1,000 revisions).
ChurnResult churn(const std::string& path) {
  SqliteOptions o;
  o.retainFor = std::chrono::milliseconds(0);
  o.retainRevisions = 1000;
  o.compactInterval = std::chrono::seconds(1);
  auto store = openStore(path, o);
  constexpr int kKeys = 1000, kUpdates = 100000, kWriters = 64;
  fill(*store, "/bench/churn/", kKeys);
  long long live = 0;
  for (int i = 0; i < kKeys; ++i) {
    live += static_cast<long long>(std::string("/bench/churn/000000").size() + kValue.size());
  }
  std::atomic<int> next{0};
  std::atomic<bool> running{true};
  long long peak = 0;
  std::thread monitor([&] {
    while (running) {
      peak = std::max(peak, databaseBytes(path));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::vector<std::thread> ts;
  for (int t = 0; t < kWriters; ++t) {
    ts.emplace_back([&] {
      for (int n; (n = next.fetch_add(1)) < kUpdates;) {
        char k[64];
        std::snprintf(k, sizeof k, "/bench/churn/%06d", n % kKeys);
        check(store->update(k, kValue, 0).ok(), "update");
      }
    });
  }
  for (auto& t : ts) {
    t.join();
  }
  running = false;
  monitor.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  ChurnResult r{static_cast<double>(databaseBytes(path)) / static_cast<double>(live),
                static_cast<double>(peak) / static_cast<double>(live)};
  store->close();
  return r;
}

}  // namespace

// Usage: store_bench [milliseconds per throughput figure] [only: raw|create|watch|list|churn]
int main(int argc, char** argv) {
  if (std::getenv("TUG_BENCH_DEBUG") != nullptr) {
    tug::log::setLevel(tug::log::Level::kDebug);
  } else {
    tug::log::setLevel(tug::log::Level::kWarn);
  }
  if (argc > 1) {
    measureFor = std::chrono::milliseconds(std::atoi(argv[1]));
  }
  std::string only = argc > 2 ? argv[2] : "";
  auto want = [&](const char* part) { return only.empty() || only == part; };
  std::vector<double> baseline, raw64, w1, w8, w64, w64s, p50, p99, list, churnAfter, churnPeak;
  for (int rep = 0; rep < kRepeats; ++rep) {
    ScratchDir dir;
    if (want("raw") || want("create")) {
      baseline.push_back(rawSqliteRowsPerSecond(dir.file("raw.db"), 1));
      raw64.push_back(rawSqliteRowsPerSecond(dir.file("raw64.db"), 64));
    }
    if (want("create")) {
      w1.push_back(storeCreatesPerSecond(dir.file("w1.db"), 1));
      w8.push_back(storeCreatesPerSecond(dir.file("w8.db"), 8));
      w64.push_back(storeCreatesPerSecond(dir.file("w64.db"), 64));
      w64s.push_back(storeCreatesPerSecond(dir.file("w64s.db"), 64, /*scattered=*/true));
    }
    if (want("watch")) {
      auto lat = watchLatenciesUs(dir.file("watch.db"), 2000);
      p50.push_back(percentile(lat, 50));
      p99.push_back(percentile(lat, 99));
    }
    if (want("list")) {
      list.push_back(list10kMs(dir.file("list.db")));
    }
    if (want("churn")) {
      auto c = churn(dir.file("churn.db"));
      churnAfter.push_back(c.ratioAfter);
      churnPeak.push_back(c.ratioPeak);
    }
    auto last = [](const std::vector<double>& v) { return v.empty() ? 0.0 : v.back(); };
    std::fprintf(stderr, "run %d: raw %.0f w1 %.0f w8 %.0f w64 %.0f (scattered %.0f) p50 %.0f p99 %.0f list %.1f "
                 "churn %.2f (peak %.2f)\n", rep + 1, last(baseline), last(w1), last(w8),
                 last(w64), last(w64s), last(p50), last(p99), last(list), last(churnAfter), last(churnPeak));
  }
  double base = median(baseline);
  auto print = [](const char* name, const std::vector<double>& v, const char* unit) {
    if (!v.empty()) {
      report(name, median(v), unit);
    }
  };
  print("sqlite_single_commit_per_s", baseline, "ops/s");
  print("sqlite_batch64_rows_per_s", raw64, "rows/s");
  print("store_create_per_s_w1", w1, "ops/s");
  print("store_create_per_s_w8", w8, "ops/s");
  print("store_create_per_s_w64", w64, "ops/s");
  print("store_create_per_s_w64_scattered", w64s, "ops/s");
  if (!w1.empty()) {
    report("store_w1_vs_baseline", median(w1) / base, "x");
    report("store_w64_vs_baseline", median(w64) / base, "x");
  }
  print("watch_latency_p50_us", p50, "us");
  print("watch_latency_p99_us", p99, "us");
  print("list_10k_ms", list, "ms");
  print("db_bytes_after_churn_ratio", churnAfter, "x");
  print("db_bytes_peak_during_churn_ratio", churnPeak, "x");
  return 0;
}
