#include "common/shutdown_signals.h"

#include <signal.h>

#include <catch2/catch.hpp>
#include <thread>

TEST_CASE("a blocked shutdown signal waits for the waiter", "[cli][signals]") {
  REQUIRE(tug::blockShutdownSignals().isOk());
  // Sent to the process, from a thread started after blocking: it inherits the mask, so the
  // signal stays pending instead of killing the test.
  std::thread sender([] { ::kill(::getpid(), SIGTERM); });
  tug::Result<int> sig = tug::waitForShutdownSignal();
  sender.join();
  REQUIRE(sig.ok());
  CHECK(*sig == SIGTERM);

  ::raise(SIGINT);  // pending in this thread until waited for
  sig = tug::waitForShutdownSignal();
  REQUIRE(sig.ok());
  CHECK(*sig == SIGINT);
  tug::unblockShutdownSignals();
}

TEST_CASE("signals have their usual names", "[cli][signals]") {
  CHECK(tug::signalName(SIGTERM) == "SIGTERM");
  CHECK(tug::signalName(SIGINT) == "SIGINT");
}
