#pragma once

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "client/event_recorder.h"
#include "client/informer.h"
#include "client/work_queue.h"
#include "controllers/workload/expectations.h"
#include "controllers/workload/object_helpers.h"

// Runs every Job's pods to completion (upstream's job controller): creates pods from the
// template up to parallelism (one per missing index for Indexed Jobs), counts succeeded and
// failed pods, enforces backoffLimit and activeDeadlineSeconds, suspends and resumes, and
// writes status (active, ready, terminating, succeeded, failed, completedIndexes, failedIndexes,
// startTime, completionTime, conditions); Indexed Jobs may retry per index and end early by a
// success policy. Pods carry the batch.kubernetes.io/job-tracking finalizer until
// they are counted; a pod whose Job is gone or finished loses it.
namespace tug::controllers {

class JobController {
 public:
  struct Options {
    int workers = 4;
    int createParallelism = 16;
  };
  // The informers are shared; the caller starts them after every controller registered.
  JobController(client::Client& client, client::Informer& pods, client::Informer& jobs,
                Options options);
  JobController(client::Client& client, client::Informer& pods, client::Informer& jobs)
      : JobController(client, pods, jobs, Options()) {}
  ~JobController();

  void start();
  void stop();
  Status sync(const std::string& key);

 private:
  void podEvent(const json& pod, bool added, bool deleted);
  std::optional<json> ownerJob(const json& pod) const;
  Status createPods(const json& job, const std::string& key, int count,
                    const std::vector<int64_t>& indexes, const std::map<int64_t, json>& annotations,
                    int& created);
  Status deletePods(const json& job, const std::string& key, const std::vector<json>& pods);
  Status untrack(const std::vector<json>& pods);
  Status syncOrphan(const std::string& podKey);
  Result<json> writeStatus(const json& job, const json& status);

  client::Client& client_;
  client::Informer& pods_;
  client::Informer& jobs_;
  const Options options_;
  client::WorkQueue queue_, orphans_;
  Expectations expectations_;
  client::EventRecorder events_;
  std::vector<std::thread> workers_;
  // Last, so that it goes first: no handler runs while the rest is taken down.
  client::HandlerRegistrations handlers_;
};

}  // namespace tug::controllers
