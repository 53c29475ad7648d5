#pragma once

#include <deque>
#include <string>
#include <vector>

#include "controllers/deployment/deployment_controller.h"

namespace tug::controllers {

// The state of one sync of one Deployment: the Deployment as last written and the
// ReplicaSets it owns, updated in place as the sync writes them.
class Rollout {
 public:
  Rollout(DeploymentController& c, json d, std::string key)
      : c_(c), d_(std::move(d)), key_(std::move(key)), ns_(namespaceOf(d_)) {}

  // Claims the ReplicaSets, then scales, rolls out or only updates status, as the
  // Deployment asks.
  Status run();

 private:
  struct Sets {
    json* newRS = nullptr;
    std::vector<json*> olds;
    std::vector<json*> all() const {
      std::vector<json*> v = olds;
      if (newRS != nullptr) {
        v.push_back(newRS);
      }
      return v;
    }
  };

  Status claimReplicaSets();
  Result<Sets> newAndOld(bool create);
  Result<json*> existingNew(json* rs, const std::string& newRevision);
  Result<json*> createNew(const std::vector<json*>& olds, const std::string& newRevision);
  Status writeDeployment(bool revisionChanged);
  bool setDeploymentRevision(const std::string& revision);

  Result<bool> scale(json& rs, int64_t size, bool onlyWhenSizeDiffers);
  Status rolloutRolling();
  Status rolloutRecreate();
  Status syncScale();
  Status scaleSets(const Sets& sets);
  Result<bool> isScalingEvent();
  Status checkPausedConditions();
  bool oldPodsRunning(const Sets& sets);
  Status cleanup(const std::vector<json*>& olds);
  Status syncStatus(const Sets& sets);
  Status syncRolloutStatus(const Sets& sets);
  void requeueStuck(const json& newStatus);
  Status updateStatus(json status);

  DeploymentController& c_;
  json d_;
  const std::string key_, ns_;
  std::deque<json> rss_;  // references stay valid as ReplicaSets are added
};

}  // namespace tug::controllers
