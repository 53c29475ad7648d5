#include "bench/api_bench_cleanup.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

namespace tug::bench {
namespace {

std::mutex mu;
std::vector<pid_t> servers;
std::vector<std::string> dirs;

}  // namespace

void cleanUpOnSignals() {
  // A write to a connection the server closed must fail with EPIPE, not end the benchmark.
  signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A signal handler could not remove directories safely; a thread that waits for the signal
  // can do everything fail() does.
  std::thread([set] {
    int sig = 0;
    sigwait(&set, &sig);
    fail(std::string("stopped by signal ") + strsignal(sig));
  }).detach();
}

void trackServer(pid_t pid) {
  std::lock_guard<std::mutex> lock(mu);
  servers.push_back(pid);
}

void untrackServer(pid_t pid) {
  std::lock_guard<std::mutex> lock(mu);
  servers.erase(std::remove(servers.begin(), servers.end(), pid), servers.end());
}

void trackDir(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu);
  dirs.push_back(path);
}

void untrackDir(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu);
  dirs.erase(std::remove(dirs.begin(), dirs.end(), path), dirs.end());
}

void fail(const std::string& what) {
  static std::once_flag once;
  std::call_once(once, [&] {
    std::fprintf(stderr, "api_bench: %s\n", what.c_str());
    std::lock_guard<std::mutex> lock(mu);
    for (pid_t pid : servers) {
      kill(pid, SIGKILL);  // a failed run's server state is of no interest
      waitpid(pid, nullptr, 0);
    }
    for (const auto& d : dirs) {
      std::error_code ec;
      std::filesystem::remove_all(d, ec);
    }
    std::fflush(stdout);
    std::fflush(stderr);
    // _exit, not exit: other threads are still running and must not see static destructors.
    _exit(1);
  });
  // A second failing thread waits here for the first to end the process.
  for (;;) {
    pause();
  }
}

}  // namespace tug::bench
