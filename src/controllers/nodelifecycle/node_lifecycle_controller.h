#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "client/client.h"
#include "client/event_recorder.h"
#include "client/shared_informers.h"

// Watches that nodes are alive, as upstream's node lifecycle controller does. A node is alive
// while its Lease in kube-node-lease is renewed or its Ready condition's heartbeat moves; one
// silent for the grace period gets Ready (and the pressure conditions) Unknown and its pods
// marked not ready. Taints follow the Ready condition (not-ready or unreachable, NoSchedule
// and NoExecute) and cordoning (unschedulable). Pods on a node with NoExecute taints are
// deleted once their tolerations run out, unless every node is down (then nothing is evicted:
// the fault is more likely ours than the nodes').
namespace tug::controllers {

struct NodeLifecycleOptions {
  std::chrono::milliseconds gracePeriod{40000};
  std::chrono::milliseconds monitorPeriod{5000};
};

class NodeLifecycleController {
 public:
  // Reads the shared nodes and pods informers, which their owner starts after every controller
  // is built; keeps its own informer of the node Leases.
  NodeLifecycleController(client::Client& client, client::SharedInformers& informers,
                          NodeLifecycleOptions options = {});
  ~NodeLifecycleController();

  void start();
  void stop();
  // One pass over every node and the pods on tainted nodes.
  void monitor();

 private:
  using Clock = std::chrono::steady_clock;
  struct Seen {
    std::string renewTime, heartbeat;  // what we saw last
    Clock::time_point at;              // when it last changed, by our clock
  };

  void run();
  // Whether the node has been silent longer than the grace period.
  bool silent(const client::json& node);
  void markUnknown(const client::json& node);
  void syncTaints(const client::json& node);
  void markPodsNotReady(const std::string& nodeName);
  void evictPods(const std::string& nodeName, const client::json& taints);
  // Upstream's node events: a node met, gone, or whose Ready status changed since last pass.
  void recordNodeEvents(const std::vector<client::json>& nodes);

  client::Client& client_;
  const NodeLifecycleOptions options_;
  client::Informer &nodes_, &pods_;
  client::Informer leases_;
  client::EventRecorder events_;
  std::map<std::string, Seen> seen_;  // by node name; only the monitor thread uses it
  // Each node's Ready status at the last pass, by name; only the monitor thread uses it.
  std::map<std::string, std::string> lastReady_;
  // When each NoExecute taint was first seen without a timeAdded, by "<node>/<key>".
  std::map<std::string, std::chrono::system_clock::time_point> taintSeen_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tug::controllers
