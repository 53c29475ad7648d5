#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "client/client.h"
#include "controllers/workload/object_helpers.h"

// Records core/v1 Events about objects (what `kubectl describe` lists), as client-go's event
// recorder does for controllers: writes happen on a thread of their own so a sync never waits
// for them, and each object gets at most 25 events in a burst, then one per five minutes
// (upstream's spam filter), so a ReplicaSet creating a thousand pods writes 25 events, not a
// thousand. Events that cannot be written are dropped.
namespace tug::controllers {

class EventRecorder {
 public:
  EventRecorder(client::Client& client, std::string component);
  ~EventRecorder();

  // `type` is "Normal" or "Warning"; `object` is the involved object as the API returned it.
  void record(const json& object, std::string_view apiVersion, std::string_view kind,
              std::string_view type, std::string_view reason, std::string message);
  void stop();

 private:
  struct Bucket {
    double tokens = 25;
    std::chrono::steady_clock::time_point updated;
  };
  bool admit(const std::string& key);
  void run();

  client::Client& client_;
  const std::string component_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<json> pending_;  // under mu_
  std::map<std::string, Bucket> buckets_;  // by object uid; under mu_
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tug::controllers
