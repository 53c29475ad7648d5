#include "bench/api_bench_server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include "bench/api_bench_cleanup.h"

namespace tug::bench {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopTimeout = std::chrono::seconds(5);

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string tugBinary() {
  const char* bin = std::getenv("TUG_BIN");
  require(bin != nullptr && *bin != '\0', "TUG_BIN must name the tug binary");
  return bin;
}

// The last lines of a log, for failure messages.
std::string tail(const std::string& text, size_t bytes = 2000) {
  return text.size() <= bytes ? text : "..." + text.substr(text.size() - bytes);
}

}  // namespace

void TrackedScratchDir::trackDirPath() { trackDir(dir_.path()); }

TrackedScratchDir::~TrackedScratchDir() { untrackDir(dir_.path()); }

TugServer::TugServer(std::vector<std::string> extraArgs)
    : extraArgs_(std::move(extraArgs)),
      dataDir_(dir_.file("data")),
      logPath_(dir_.file("server.log")) {
  std::ofstream(dir_.file("config.yaml")).flush();  // empty: nothing from /etc/tug leaks in
  auto start = Clock::now();
  spawn();
  waitUntilStarted();
  startMs_ = secondsSince(start) * 1000;
}

void TugServer::spawn() {
  std::vector<std::string> args = {tugBinary(),
                                   "server",
                                   "-d",
                                   dataDir_,
                                   "-c",
                                   dir_.file("config.yaml"),
                                   "--https-listen-port",
                                   "0",
                                   "--bind-address",
                                   "127.0.0.1",
                                   "--write-kubeconfig",
                                   dir_.file("kubeconfig.yaml")};
  args.insert(args.end(), extraArgs_.begin(), extraArgs_.end());
  int logFd = open(logPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  require(logFd >= 0, "cannot create " + logPath_);
  int nullFd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  require(nullFd >= 0, "cannot open /dev/null");
  pid_ = spawnChild(std::move(args), nullFd, logFd);
  close(logFd);
  close(nullFd);
}

pid_t spawnChild(std::vector<std::string> args, int stdoutFd, int stderrFd) {
  // Everything the child needs is built before fork(): after it only async-signal-safe calls.
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  pid_t pid = fork();
  require(pid >= 0, "fork failed");
  if (pid == 0) {
    // The child must not outlive the benchmark even if the benchmark is killed outright.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);  // the benchmark blocks SIGTERM; the child must not
    dup2(stdoutFd, STDOUT_FILENO);
    dup2(stderrFd, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  trackServer(pid);
  return pid;
}

void stopChild(pid_t pid, const std::string& name) {
  kill(pid, SIGTERM);
  auto deadline = Clock::now() + kStopTimeout;
  int wstatus = 0;
  while (waitpid(pid, &wstatus, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      std::fprintf(stderr, "api_bench: %s ignored SIGTERM for 5 s; killing it\n", name.c_str());
      kill(pid, SIGKILL);
      waitpid(pid, &wstatus, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  untrackServer(pid);
}

void TugServer::waitUntilStarted() {
  static const std::regex serving(R"(serving HTTPS on 127\.0\.0\.1:(\d+))");
  static const std::regex started(R"(server: started)");
  auto deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    std::string log = readFile(logPath_);
    std::smatch m;
    if (std::regex_search(log, started) && std::regex_search(log, m, serving)) {
      port_ = std::stoi(m[1]);
      return;
    }
    int wstatus = 0;
    if (waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      untrackServer(pid_);
      fail("tug server exited before it started:\n" + tail(log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  fail("tug server did not start within 30 s:\n" + tail(readFile(logPath_)));
}

TugServer::~TugServer() {
  if (pid_ > 0) {
    stopChild(pid_, "tug server");
  }
}

std::string TugServer::tlsFile(const std::string& name) const {
  return dataDir_ + "/server/tls/" + name;
}

double TugServer::rssMib() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::strtod(line.c_str() + 6, nullptr) / 1024.0;  // the kernel reports kB
    }
  }
  fail("no VmRSS for tug server " + std::to_string(pid_));
}

double TugServer::cpuSeconds() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces) end at ')'; utime and stime are
  // the 14th and 15th fields of the line.
  size_t close = stat.rfind(')');
  require(close != std::string::npos, "no /proc stat for tug server " + std::to_string(pid_));
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i >= 14) {
      ticks += std::strtod(field.c_str(), nullptr);
    }
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace tug::bench
