#pragma once

#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "client/event_recorder.h"
#include "client/informer.h"
#include "client/work_queue.h"
#include "controllers/workload/object_helpers.h"

// Creates a Job at each start time of every CronJob's schedule (upstream's cronjob controller
// v2): in spec.timeZone, within startingDeadlineSeconds, under the concurrency policy (Allow,
// Forbid, Replace), unless suspended; keeps status.active, lastScheduleTime and
// lastSuccessfulTime, and deletes finished Jobs beyond the history limits. Each CronJob is
// queued again for its next start time.
namespace tug::controllers {

class CronJobController {
 public:
  // The informers are shared; the caller starts them after every controller registered.
  CronJobController(client::Client& client, client::Informer& jobs, client::Informer& cronJobs);
  ~CronJobController();

  void start();
  void stop();
  Status sync(const std::string& key);

 private:
  void jobEvent(const json& job);
  std::vector<json> ownedJobs(const json& cronJob) const;
  // The status changes of the Jobs it owns (finished, missing, succeeded).
  Status reconcileActive(json& cronJob, const std::vector<json>& jobs);
  // Creates the Job that is due, if any; returns when to look again.
  Result<std::optional<std::chrono::milliseconds>> schedule(json& cronJob);
  void cleanupFinished(json& cronJob, const std::vector<json>& jobs);
  Status deleteJob(json& cronJob, const json& jobRefOrJob);
  Status writeStatus(const json& before, const json& after);

  client::Client& client_;
  client::Informer& jobs_;
  client::Informer& cronJobs_;
  client::WorkQueue queue_;
  client::EventRecorder events_;
  std::vector<std::thread> workers_;
  // Last, so that it goes first: no handler runs while the rest is taken down.
  client::HandlerRegistrations handlers_;
};

}  // namespace tug::controllers
