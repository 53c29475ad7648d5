#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "client/client.h"
#include "client/shared_informers.h"
#include "controllers/cronjob/cronjob_controller.h"
#include "controllers/job/job_controller.h"
#include "controllers/job/ttl_after_finished_controller.h"

// The Job, CronJob and ttl-after-finished controllers, built only when enabled, on the shared
// informers they read (pods, Jobs, CronJobs).
namespace tug::controllers {

class BatchControllers {
 public:
  struct Enabled {
    bool jobs = true;
    bool cronJobs = true;
    bool ttlAfterFinished = true;
  };
  // The informers' owner starts them after every controller is built, and before start().
  BatchControllers(client::Client& client, client::SharedInformers& informers, Enabled enabled);
  ~BatchControllers();

  void start();
  void stop();

 private:
  // The informers the enabled controllers read.
  std::vector<client::Informer*> informers_;
  std::unique_ptr<JobController> jobController_;
  std::unique_ptr<CronJobController> cronJobController_;
  std::unique_ptr<TtlAfterFinishedController> ttlController_;
  bool started_ = false;
  std::mutex mu_;
  std::atomic<bool> stopping_{false};
  std::thread starter_;
};

}  // namespace tug::controllers
