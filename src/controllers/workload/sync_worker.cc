#include "controllers/workload/sync_worker.h"

#include <exception>

#include "common/log.h"

namespace tug::controllers {

void runSyncWorker(client::WorkQueue& queue, const char* log, std::string_view what,
                   const std::function<Status(const std::string&)>& sync) {
  while (auto key = queue.get()) {
    Status s;
    try {
      s = sync(*key);
    } catch (const std::exception& e) {
      s = internalError(e.what());
    }
    if (s.isOk()) {
      queue.forget(*key);
    } else {
      if (s.code() != Code::kConflict) {
        TUG_LOG(kWarn, log) << what << " " << *key << ": " << s.message();
      }
      queue.addRateLimited(*key);
    }
    queue.done(*key);
  }
}

}  // namespace tug::controllers
