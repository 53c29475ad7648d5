#include "bench/hollow_fleet.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "bench/api_bench_cleanup.h"

namespace tug::bench {
namespace {

constexpr auto kReadyTimeout = std::chrono::seconds(60);

std::string hollowBinary() {
  const char* bin = std::getenv("HOLLOW_NODES");
  require(bin != nullptr && *bin != '\0', "HOLLOW_NODES must name the hollow_nodes binary");
  return bin;
}

// Reads the tool's stdout until its "ready <n>" line.
void waitForReady(int fd, const std::string& logPath) {
  std::string seen;
  auto deadline = Clock::now() + kReadyTimeout;
  while (seen.find("ready ") == std::string::npos || seen.back() != '\n') {
    require(Clock::now() < deadline, "hollow_nodes was not ready within 60 s");
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) {
      continue;
    }
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) {
      std::ifstream log(logPath);
      std::stringstream text;
      text << log.rdbuf();
      fail("hollow_nodes ended before it was ready:\n" + text.str());
    }
    seen.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

HollowFleet::HollowFleet(const TugServer& server, std::vector<std::string> args) {
  std::vector<std::string> argv = {hollowBinary(),
                                   "--server",
                                   "https://127.0.0.1:" + std::to_string(server.port()),
                                   "--ca",
                                   server.tlsFile("server-ca.crt"),
                                   "--cert",
                                   server.tlsFile("client-admin.crt"),
                                   "--key",
                                   server.tlsFile("client-admin.key")};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string logPath = dir_.file("hollow.log");
  int logFd = open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  require(logFd >= 0, "cannot create " + logPath);
  int out[2];
  require(pipe2(out, O_CLOEXEC) == 0, "pipe failed");
  pid_ = spawnChild(std::move(argv), out[1], logFd);
  close(out[1]);
  close(logFd);
  stdout_ = out[0];
  waitForReady(stdout_, logPath);
}

HollowFleet::~HollowFleet() {
  if (pid_ > 0) {
    stopChild(pid_, "hollow_nodes");
  }
  if (stdout_ >= 0) {
    close(stdout_);
  }
}

}  // namespace tug::bench
