#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "client/informer.h"
#include "client/work_queue.h"
#include "controllers/workload/object_helpers.h"

// Deletes finished Jobs spec.ttlSecondsAfterFinished after they finished (upstream's
// ttl-after-finished controller): the Job is read again before the delete, which is
// conditioned on its uid and propagates in the foreground, so its pods go first.
namespace tug::controllers {

// When a finished Job with a TTL expires (its Complete or Failed condition's transition time,
// plus the TTL); nullopt for a Job that has no TTL or has not finished.
std::optional<TimePoint> ttlExpiry(const json& job);

class TtlAfterFinishedController {
 public:
  TtlAfterFinishedController(client::Client& client, client::Informer& jobs);
  ~TtlAfterFinishedController();

  void start();
  void stop();
  Status sync(const std::string& key);

 private:
  void enqueue(const json& job);

  client::Client& client_;
  client::Informer& jobs_;
  client::WorkQueue queue_;
  std::vector<std::thread> workers_;
  // Last, so that it goes first: no handler runs while the rest is taken down.
  client::HandlerRegistrations handlers_;
};

}  // namespace tug::controllers
