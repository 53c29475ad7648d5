#include "controllers/job/batch_controllers.h"

namespace tug::controllers {

BatchControllers::BatchControllers(client::Client& client, Enabled enabled,
                                   client::Informer* sharedPods)
    : ownPods_(sharedPods != nullptr ? nullptr
                                     : std::make_unique<client::Informer>(
                                           client, client::Resource{"", "v1", "pods", true})),
      pods_(sharedPods != nullptr ? *sharedPods : *ownPods_),
      jobs_(client, client::Resource{"batch", "v1", "jobs", true}),
      cronJobs_(client, client::Resource{"batch", "v1", "cronjobs", true}) {
  if (enabled.jobs) {
    jobController_ = std::make_unique<JobController>(client, pods_, jobs_);
  }
  if (enabled.cronJobs) {
    cronJobController_ = std::make_unique<CronJobController>(client, jobs_, cronJobs_);
  }
  if (enabled.ttlAfterFinished) {
    ttlController_ = std::make_unique<TtlAfterFinishedController>(client, jobs_);
  }
}

BatchControllers::~BatchControllers() { stop(); }

void BatchControllers::start() {
  if (started_) {
    return;
  }
  started_ = true;
  if (jobController_ && ownPods_) {
    ownPods_->start();
  }
  jobs_.start();
  if (cronJobController_) {
    cronJobs_.start();
  }
  // The controllers act once the caches are filled (a Job whose pods the cache does not show
  // yet would get them twice); the server does not wait for that.
  starter_ = std::thread([this] {
    for (client::Informer* informer : {&pods_, &jobs_, &cronJobs_}) {
      const bool used =
          (informer != &pods_ || jobController_) && (informer != &cronJobs_ || cronJobController_);
      while (used && !stopping_ && !informer->waitForSync(std::chrono::milliseconds(200))) {
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      return;
    }
    if (jobController_) {
      jobController_->start();
    }
    if (cronJobController_) {
      cronJobController_->start();
    }
    if (ttlController_) {
      ttlController_->start();
    }
  });
}

void BatchControllers::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  if (starter_.joinable()) {
    starter_.join();
  }
  if (jobController_) {
    jobController_->stop();
  }
  if (cronJobController_) {
    cronJobController_->stop();
  }
  if (ttlController_) {
    ttlController_->stop();
  }
  std::vector<client::Informer*> informers = {&jobs_, &cronJobs_};
  if (ownPods_) {
    informers.push_back(ownPods_.get());
  }
  client::stopInformers(informers);
}

}  // namespace tug::controllers
