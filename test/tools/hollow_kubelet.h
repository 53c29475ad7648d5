#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "client/informer.h"
#include "client/work_queue.h"
#include "hollow_node_objects.h"

// A fleet of hollow nodes served by one process: each node is registered as a Node, renews its
// Lease in kube-node-lease every `leaseInterval` (the kubelet's 10 s) and reports its status
// every `statusInterval`; pods bound to a node are reported Running and Ready as soon as they
// are seen, and pods being deleted on a node are deleted for good (grace 0), as a kubelet does
// once their containers stopped. One pod informer serves every node, so the API server sees
// one watch however many nodes there are.
namespace tug::hollow {

struct FleetOptions {
  int nodes = 1;
  std::string prefix = "hollow-node-";
  NodeShape shape;
  std::chrono::milliseconds leaseInterval{10000};
  std::chrono::milliseconds statusInterval{300000};
  int workers = 8;
};

class Fleet {
 public:
  Fleet(client::Client& client, FleetOptions options);
  ~Fleet();

  // Registers every node and its lease, then starts following pods. Fails when a node cannot
  // be registered.
  Status start();
  // Waits until the pod cache is filled.
  bool waitForSync(std::chrono::milliseconds timeout);
  void stop();

  // A stopped node no longer renews its lease or status and ignores its pods, like a node
  // whose kubelet died; start resumes it. False when the node is not one of ours.
  bool setAlive(const std::string& node, bool alive);
  std::vector<std::string> nodeNames() const;

 private:
  struct Node {
    std::string name, uid;
    int index = 0;
    bool alive = true;
    int nextIp = 0;
    json lease;  // as last written
    TimePoint registered;
    std::chrono::steady_clock::time_point nextLease, nextStatus;
  };

  Status registerNode(Node& node);
  Status renewLease(Node& node);
  Status reportStatus(Node& node);
  void heartbeatLoop();
  void podChanged(const json& pod);
  void work();
  Status handlePod(const std::string& key);

  client::Client& client_;
  const FleetOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, Node> nodes_;  // by name; under mu_
  std::map<std::string, std::string> podIps_;  // by pod uid; under mu_
  client::Informer pods_;
  client::WorkQueue queue_;
  std::atomic<bool> stopping_{false};
  std::thread heartbeat_;
  std::vector<std::thread> workers_;
  client::HandlerRegistration handlers_;  // last: goes first
};

}  // namespace tug::hollow
