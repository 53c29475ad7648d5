#include "common/shutdown_signals.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>

#include <cerrno>

namespace tug {
namespace {

sigset_t shutdownSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

Status blockShutdownSignals() {
  sigset_t set = shutdownSet();
  int err = pthread_sigmask(SIG_BLOCK, &set, nullptr);
  if (err != 0) {
    return internalError(std::string("cannot block signals: ") + strerror(err));
  }
  return Status::ok();
}

Result<int> waitForShutdownSignal() {
  sigset_t set = shutdownSet();
  int signal = 0;
  int err = sigwait(&set, &signal);
  if (err != 0) {
    return internalError(std::string("waiting for signals: ") + strerror(err));
  }
  return signal;
}

void unblockShutdownSignals() {
  sigset_t set = shutdownSet();
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

std::string signalName(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
}

}  // namespace tug
