// Kill -9 at random moments while writers run: no acknowledged write may be lost and the
// revisions on disk must have no holes.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "store/sqlite/sqlite_store.h"
#include "support/temp_dir.h"

using namespace tug::store;

namespace {

constexpr int kRounds = 24;
constexpr int kWriterThreads = 4;

// Runs in the child: writes until killed, reporting "<key> <revision>\n" after each ack.
[[noreturn]] void writeUntilKilled(const std::string& path, int round, int fd) {
  SqliteOptions o;
  o.path = path;
  o.durability = Durability::kFull;
  auto store = openSqlite(o);
  if (!store.ok()) {
    _exit(3);
  }
  std::vector<std::thread> ts;
  for (int t = 0; t < kWriterThreads; ++t) {
    ts.emplace_back([&, t] {
      for (int n = 0;; ++n) {
        std::string key = "/crash/" + std::to_string(round) + "/" + std::to_string(t) + "/" +
                          std::to_string(n);
        auto r = (*store)->create(key, "value of " + key);
        if (!r.ok()) {
          _exit(4);
        }
        // One short write(2) per line: atomic on a pipe, so a kill never splits a line.
        std::string line = key + " " + std::to_string(r->modRevision) + "\n";
        if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
          _exit(5);
        }
      }
    });
  }
  for (auto& t : ts) {
    t.join();
  }
  _exit(0);
}

std::string drain(int fd, std::chrono::milliseconds budget) {
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + budget;
  char buf[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return out;
    }
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      continue;
    }
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) {
      return out;  // EOF: every writer end is closed
    }
    out.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

TEST_CASE("kill -9 never loses an acknowledged write nor leaves a revision hole",
          "[store][crash]") {
  tug::testing::TempDir dir;
  std::string path = dir.file("state.db");
  std::random_device rd;
  unsigned seed = rd();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delayMs(5, 300);
  std::map<std::string, Revision> acked;
  int roundsWithWrites = 0;

  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      close(fds[0]);
      writeUntilKilled(path, round, fds[1]);
    }
    close(fds[1]);
    std::string report = drain(fds[0], std::chrono::milliseconds(delayMs(rng)));
    kill(child, SIGKILL);
    report += drain(fds[0], std::chrono::seconds(5));
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    INFO("round " << round);
    REQUIRE(WIFSIGNALED(status));  // it ran until killed, no write ever failed

    std::istringstream lines(report);
    std::string key;
    Revision rev;
    int acks = 0;
    while (lines >> key >> rev) {
      acked[key] = rev;
      ++acks;
    }
    roundsWithWrites += acks > 0;

    SqliteOptions o;
    o.path = path;
    auto store = openSqlite(o);
    REQUIRE(store.ok());
    Revision current = (*store)->currentRevision();
    auto all = (*store)->list("/crash/", {});
    REQUIRE(all.ok());
    // Only creates of distinct keys: every revision 1..current is exactly one live key.
    REQUIRE(static_cast<Revision>(all->items.size()) == current);
    std::vector<Revision> revs;
    for (auto& kv : all->items) {
      revs.push_back(kv.modRevision);
      CHECK(kv.value == "value of " + kv.key);
    }
    std::sort(revs.begin(), revs.end());
    for (size_t i = 0; i < revs.size(); ++i) {
      REQUIRE(revs[i] == static_cast<Revision>(i + 1));
    }
    for (auto& [k, r] : acked) {
      auto kv = (*store)->get(k);
      REQUIRE(kv.ok());
      REQUIRE(kv->modRevision == r);
    }
    (*store)->close();
  }
  CHECK(roundsWithWrites >= kRounds / 2);
  CHECK(acked.size() > 0);
}
