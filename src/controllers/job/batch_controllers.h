#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "client/client.h"
#include "client/informer.h"
#include "controllers/cronjob/cronjob_controller.h"
#include "controllers/job/job_controller.h"
#include "controllers/job/ttl_after_finished_controller.h"

// The Job, CronJob and ttl-after-finished controllers with the informers they share (pods,
// Jobs, CronJobs): one watch and one cache of each, only for the controllers that are on.
namespace tug::controllers {

class BatchControllers {
 public:
  struct Enabled {
    bool jobs = true;
    bool cronJobs = true;
    bool ttlAfterFinished = true;
  };
  // `sharedPods`: a pods informer other controllers use too, started before start() and
  // stopped after stop() by its owner; without one the Job controller keeps its own.
  BatchControllers(client::Client& client, Enabled enabled,
                   client::Informer* sharedPods = nullptr);
  ~BatchControllers();

  void start();
  void stop();

 private:
  std::unique_ptr<client::Informer> ownPods_;  // null when the pods informer is shared
  client::Informer& pods_;
  client::Informer jobs_, cronJobs_;
  std::unique_ptr<JobController> jobController_;
  std::unique_ptr<CronJobController> cronJobController_;
  std::unique_ptr<TtlAfterFinishedController> ttlController_;
  bool started_ = false;
  std::mutex mu_;
  std::atomic<bool> stopping_{false};
  std::thread starter_;
};

}  // namespace tug::controllers
