#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "client/event_recorder.h"
#include "client/informer.h"
#include "client/shared_informers.h"
#include "scheduler/cache.h"
#include "scheduler/profile.h"
#include "scheduler/scheduling_queue.h"

// The scheduler: a client of the API like any other. It reads pods and nodes from the control
// plane's shared informers (finished pods count as gone, as upstream's field selector makes
// them), takes the
// pending pods that are its own (spec.schedulerName "default-scheduler" or unset, no
// spec.nodeName), picks a node for each with the default profile, and binds the pod there
// (pods/binding). A pod that fits nowhere gets PodScheduled=False with kube-scheduler's
// message and a FailedScheduling event, and waits for the cluster to change.
namespace tug::scheduler {

struct SchedulerOptions {
  std::string schedulerName = "default-scheduler";
  // Binds run beside the scheduling loop, many at a time: the loop never waits on them, and
  // the datastore commits concurrent writes together.
  int bindWorkers = 16;
  SchedulingQueue::Options queue;
  // Ties between equally good nodes are broken at random; 0 seeds from the clock.
  unsigned seed = 0;
};

class Scheduler {
 public:
  Scheduler(client::Client& client, client::SharedInformers& informers,
            SchedulerOptions options = {});
  ~Scheduler();

  void start();
  void stop();
  // Whether both informers have their first list (waits up to `timeout`).
  bool waitForSync(std::chrono::milliseconds timeout);

  // Pods scheduled (bound) and found unschedulable since start.
  int64_t scheduledCount() const { return scheduled_; }
  int64_t failedCount() const { return failed_; }

 private:
  bool isResponsibleFor(const json& pod) const;
  // The pod as the cycle reads it, with its priority resolved from its PriorityClass.
  PodInfoPtr podInfo(const json& pod) const;
  void onPodAdd(const json& pod);
  void onPodUpdate(const json& old, const json& now);
  void onPodDelete(const json& pod);
  void onNodeChange(const json& node);
  void onNodeDelete(const json& node);

  void run();
  void scheduleOne(const PodInfoPtr& pod);
  void handleUnschedulable(const PodInfoPtr& pod, const Snapshot& snapshot,
                           const NodeStatuses& failures);
  void bind(const PodInfoPtr& pod, const std::string& node);
  // Writes PodScheduled=False (unless it already says so) and, when given, the nominated node.
  void markUnschedulable(const PodInfoPtr& pod, const std::string& reason,
                         const std::string& message, const std::string& nominatedNode);
  void bindWorker();

  client::Client& client_;
  const SchedulerOptions options_;
  client::Informer &pods_, &nodes_, &priorityClasses_;
  client::EventRecorder events_;
  Cache cache_;
  Snapshot snapshot_;  // the scheduling loop's, brought up to date before each cycle
  SchedulingQueue queue_;
  std::unique_ptr<Profile> profile_;
  std::mt19937 rng_;

  std::mutex bindMu_;
  std::condition_variable bindCv_;
  std::deque<std::function<void()>> binds_;
  bool bindStopping_ = false;
  std::vector<std::thread> binders_;

  std::atomic<int64_t> scheduled_{0}, failed_{0};
  std::atomic<bool> running_{false};
  std::thread loop_;
  // Last, so that it goes first: no handler runs while the rest is taken down.
  client::HandlerRegistrations handlers_;
};

}  // namespace tug::scheduler
