#pragma once

#include <string>

#include "common/status.h"

// SIGTERM and SIGINT as events a thread waits for, rather than asynchronous interruptions:
// the server and the agent block them at start and wait for one in their main thread.
namespace tug {

// Blocks SIGTERM and SIGINT in the calling thread.
// REQUIRES: no other thread started yet. Threads inherit the mask; one that did not block the
// signals would take them with the default action and end the process without a clean shutdown.
Status blockShutdownSignals();

// Waits until SIGTERM or SIGINT arrives and returns its number.
// REQUIRES: blockShutdownSignals() was called.
Result<int> waitForShutdownSignal();

// Lets the signals through again in the calling thread, so that a second Ctrl-C during a slow
// shutdown ends the process at once instead of being queued.
void unblockShutdownSignals();

// "SIGTERM" for SIGTERM, for logs.
std::string signalName(int signal);

}  // namespace tug
