#pragma once

#include <sys/types.h>

#include <string>

// The API benchmark starts servers and fills scratch directories; whatever happens (a failed
// check on any thread, meson's timeout signal) they must not outlive it. Everything it starts
// registers here, and every way out of the benchmark goes through this cleanup.
namespace tug::bench {

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread (and the threads it starts) and starts
// one thread that waits for them and fails the benchmark cleanly. Call first thing in main().
void cleanUpOnSignals();

void trackServer(pid_t pid);
void untrackServer(pid_t pid);
void trackDir(const std::string& path);
void untrackDir(const std::string& path);

// Prints "api_bench: <what>", kills every tracked server, removes every tracked directory and
// exits with 1. Safe from any thread; only the first caller does the work.
[[noreturn]] void fail(const std::string& what);
inline void require(bool ok, const std::string& what) {
  if (!ok) {
    fail(what);
  }
}

}  // namespace tug::bench
