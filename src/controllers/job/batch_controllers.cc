#include "controllers/job/batch_controllers.h"

#include <algorithm>

namespace tug::controllers {
namespace {

const client::Resource kPods{"", "v1", "pods", true};
const client::Resource kJobs{"batch", "v1", "jobs", true};
const client::Resource kCronJobs{"batch", "v1", "cronjobs", true};

}  // namespace

BatchControllers::BatchControllers(client::Client& client, client::SharedInformers& informers,
                                   Enabled enabled) {
  auto use = [&](const client::Resource& r) -> client::Informer& {
    client::Informer& i = informers.get(r);
    if (std::find(informers_.begin(), informers_.end(), &i) == informers_.end()) {
      informers_.push_back(&i);
    }
    return i;
  };
  if (enabled.jobs) {
    jobController_ = std::make_unique<JobController>(client, use(kPods), use(kJobs));
  }
  if (enabled.cronJobs) {
    cronJobController_ = std::make_unique<CronJobController>(client, use(kJobs), use(kCronJobs));
  }
  if (enabled.ttlAfterFinished) {
    ttlController_ = std::make_unique<TtlAfterFinishedController>(client, use(kJobs));
  }
}

BatchControllers::~BatchControllers() { stop(); }

void BatchControllers::start() {
  if (started_) {
    return;
  }
  started_ = true;
  // The controllers act once the caches are filled (a Job whose pods the cache does not show
  // yet would get them twice); the server does not wait for that.
  starter_ = std::thread([this] {
    for (client::Informer* informer : informers_) {
      while (!stopping_ && !informer->waitForSync(std::chrono::milliseconds(200))) {
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
}

}  // namespace tug::controllers
