#pragma once

#include "cli/server_options.h"
#include "common/status.h"

namespace tug::server {

// Runs `tug server` until SIGTERM or SIGINT, then shuts down cleanly and returns OK. An error
// (bad data dir, datastore in use) comes back as a Status whose message is meant for one
// "tug: <message>" line.
// REQUIRES: called from the main thread before any other thread starts (signals are blocked).
Status run(const cli::ServerOptions& options);

}  // namespace tug::server
