#pragma once

#include <functional>

#include "common/status.h"

namespace tug::controllers {

struct BatchResult {
  int successes = 0;
  Status firstError;
};

// Calls `fn` `count` times in batches of 1, 2, 4, ... (upstream's slow start): the calls of a
// batch run concurrently (at most `parallelism` at once) and a batch with any failure ends
// the run after it completes, so a create that fails (quota, admission) fails once, not a
// thousand times. Returns how many calls succeeded and the first error.
BatchResult slowStartBatch(int count, int initialBatchSize, int parallelism,
                           const std::function<Status()>& fn);

// Calls `fn(i)` for i in [0, count) on up to `parallelism` threads; returns the first error.
Status parallelFor(int count, int parallelism, const std::function<Status(int)>& fn);

}  // namespace tug::controllers
