#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "client/client.h"
#include "client/shared_informers.h"

// The pod garbage collector: every period it deletes the oldest finished pods beyond a
// threshold, pods bound to nodes that no longer exist (marked Failed with the DisruptionTarget
// condition first, as upstream), and unscheduled pods stuck being deleted. Upstream's
// kube-controller-manager podgc controller is the specification.
namespace tug::controllers {

struct PodGcOptions {
  // Finished pods kept at most; 0 or less keeps them all (--terminated-pod-gc-threshold).
  int64_t terminatedPodThreshold = 12500;
  std::chrono::milliseconds period{20000};
  // How long a node must stay missing before its pods go: a node just created may not have
  // reached the informer yet.
  std::chrono::milliseconds quarantine{40000};
};

class PodGcController {
 public:
  // Reads the shared pods and nodes informers, which their owner starts after every controller
  // is built, and before start().
  PodGcController(client::Client& client, client::SharedInformers& informers,
                  PodGcOptions options);
  ~PodGcController();

  void start();
  void stop();
  // One pass of every collection.
  void collect();

 private:
  void run();
  void collectTerminated(const std::vector<client::json>& pods);
  void collectOrphaned(const std::vector<client::json>& pods);
  void collectUnscheduledTerminating(const std::vector<client::json>& pods);
  // Marks the pod failed with `message` (when it is not finished yet), then deletes it at once.
  void failAndDelete(const client::json& pod, const std::string& message);
  void forceDelete(const client::json& pod);

  client::Client& client_;
  const PodGcOptions options_;
  client::Informer &pods_, &nodes_;
  // When each missing node was first seen missing; only the collecting thread uses it.
  std::map<std::string, std::chrono::steady_clock::time_point> missingSince_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tug::controllers
