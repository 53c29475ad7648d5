#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "client/work_queue.h"
#include "common/status.h"

// The worker loop the workload controllers share: take a key, sync it, and either forget it
// (success) or requeue it with backoff (failure), until the queue shuts down.
namespace tug::controllers {

// `log` is the log component; `what` names the kind in messages ("replicaset ns/name: ...").
// Conflicts are retried without a warning: they only mean the cache was behind. An exception
// from an object of an unexpected shape counts as a failed sync.
void runSyncWorker(client::WorkQueue& queue, const char* log, std::string_view what,
                   const std::function<Status(const std::string&)>& sync);

}  // namespace tug::controllers
