#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "client/client.h"

// Leader election through a coordination.k8s.io/v1 Lease, as client-go's leaderelection does
// it, so that when several servers share a datastore only one runs each controller. The
// leader renews the Lease every retry period; a candidate takes it over once the holder has
// not renewed it for a whole lease duration, measured on the candidate's own clock from when
// it last saw the Lease change (so clocks of different machines need not agree).
namespace tug::client {

struct LeaderElectionOptions {
  std::string leaseNamespace = "kube-system";
  std::string leaseName;  // kube-controller-manager, kube-scheduler
  std::string identity;   // holderIdentity: unique per process
  std::chrono::milliseconds leaseDuration{15000};
  std::chrono::milliseconds renewDeadline{10000};
  std::chrono::milliseconds retryPeriod{2000};
};

class LeaderElector {
 public:
  // `onStartedLeading` runs on the elector's thread once the Lease is held; `onStoppedLeading`
  // when it is lost (not renewed within the renew deadline) or given up by stop(). After a
  // loss the elector tries to acquire the Lease again.
  LeaderElector(Client& client, LeaderElectionOptions options,
                std::function<void()> onStartedLeading, std::function<void()> onStoppedLeading);
  ~LeaderElector();

  void start();
  // Stops leading (onStoppedLeading runs first) and releases the Lease, so another candidate
  // need not wait out the lease duration.
  void stop();
  bool isLeader() const { return leading_; }

 private:
  enum class Attempt { kHeld, kHeldByOther, kFailed };
  void run();
  Attempt tryAcquireOrRenew();
  void release();
  // Waits `d` or until stop(); false when stopping.
  bool sleep(std::chrono::milliseconds d);

  Client& client_;
  const LeaderElectionOptions options_;
  const std::function<void()> onStartedLeading_, onStoppedLeading_;
  std::atomic<bool> leading_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // under mu_
  // The Lease as last read, and when (on our clock) its holder or renewTime last changed.
  json observed_;
  std::chrono::steady_clock::time_point observedAt_{};
  std::thread thread_;
};

}  // namespace tug::client
