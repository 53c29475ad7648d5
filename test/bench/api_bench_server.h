#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "bench/bench_util.h"

namespace tug::bench {

// A scratch directory (bench_util's ScratchDir) that a failed run removes too.
class TrackedScratchDir {
 public:
  TrackedScratchDir() { trackDirPath(); }
  ~TrackedScratchDir();
  std::string file(const std::string& name) const { return dir_.file(name); }
  const std::string& path() const { return dir_.path(); }

 private:
  void trackDirPath();
  ScratchDir dir_;
};

// Starts `args` (the program's path first) with its stdout and stderr on the descriptors given,
// tracked for cleanup (api_bench_cleanup.h); the child dies with the benchmark.
pid_t spawnChild(std::vector<std::string> args, int stdoutFd, int stderrFd);
// SIGTERM, then SIGKILL after a few seconds; waits for the child and untracks it.
void stopChild(pid_t pid, const std::string& name);

// A real `tug server` (the binary named by $TUG_BIN) with its data dir, config file and log in a
// scratch directory of its own, serving HTTPS on 127.0.0.1 and a free port. The constructor
// returns once the server has logged that it started; the destructor stops it (SIGTERM, then
// SIGKILL after a few seconds) and removes the directory.
class TugServer {
 public:
  // `extraArgs` go after the flags every run has (e.g. "--controllers", "*,-nodelifecycle").
  explicit TugServer(std::vector<std::string> extraArgs = {});
  ~TugServer();
  TugServer(const TugServer&) = delete;
  TugServer& operator=(const TugServer&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // From fork() to the "server: started" log line.
  double startMs() const { return startMs_; }
  // A file the server wrote under <data-dir>/server/tls/.
  std::string tlsFile(const std::string& name) const;
  // The server's resident memory now (VmRSS in /proc/<pid>/status).
  double rssMib() const;
  // CPU time the server has used so far (user and system), in seconds.
  double cpuSeconds() const;

 private:
  void spawn();
  void waitUntilStarted();

  TrackedScratchDir dir_;
  std::vector<std::string> extraArgs_;
  std::string dataDir_;
  std::string logPath_;
  pid_t pid_ = -1;
  int port_ = 0;
  double startMs_ = 0;
};

}  // namespace tug::bench
