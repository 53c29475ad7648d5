#include "controllers/workload/batch.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace tug::controllers {

Status parallelFor(int count, int parallelism, const std::function<Status(int)>& fn) {
  std::atomic<int> next{0};
  std::mutex mu;
  Status first;
  auto work = [&] {
    for (int i = next++; i < count; i = next++) {
      Status s = fn(i);
      if (!s.isOk()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first.isOk()) {
          first = s;
        }
      }
    }
  };
  int threads = std::clamp(std::min(count, parallelism), 0, 64);
  if (threads <= 1) {
    work();
    return first;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back(work);
  }
  for (auto& t : pool) {
    t.join();
  }
  return first;
}

BatchResult slowStartBatch(int count, int initialBatchSize, int parallelism,
                           const std::function<Status()>& fn) {
  BatchResult result;
  int remaining = count;
  for (int batch = std::min(remaining, initialBatchSize); batch > 0;
       batch = std::min(2 * batch, remaining)) {
    std::atomic<int> failures{0};
    Status err = parallelFor(batch, parallelism, [&](int) {
      Status s = fn();
      if (!s.isOk()) {
        ++failures;
      }
      return s;
    });
    result.successes += batch - failures;
    if (!err.isOk()) {
      result.firstError = err;
      return result;
    }
    remaining -= batch;
  }
  return result;
}

}  // namespace tug::controllers
