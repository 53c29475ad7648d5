#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "client/client.h"

// Writes core/v1 Events about objects, as client-go's event recorder does: in the background
// (a caller never waits for the API), with repeats of one event (same object, type, reason
// and message) folded into the first by raising its count and lastTimestamp, and with
// upstream's spam filter: each involved object gets at most 25 events in a burst, then one
// per five minutes, so a ReplicaSet creating a thousand pods writes 25 events, not a thousand.
namespace tug::client {

struct EventSource {
  std::string component;  // "default-scheduler": source.component and reportingComponent
  std::string host;       // source.host and reportingInstance, may be empty
};

// The ObjectReference of an object: kind and apiVersion as given (objects from lists carry
// none), namespace, name, uid and resourceVersion from its metadata.
json objectReference(const json& obj, std::string_view kind, std::string_view apiVersion);

class EventRecorder {
 public:
  EventRecorder(Client& client, EventSource source);
  ~EventRecorder();  // writes what is queued, then stops

  // type: "Normal" or "Warning"; reason: a CamelCase word ("Scheduled"); involved: an
  // ObjectReference (objectReference()). Events beyond a backlog of 1000, or beyond the
  // object's spam-filter budget, are dropped.
  void record(const json& involved, std::string_view type, std::string_view reason,
              std::string_view message, std::string_view action = "");
  // Waits until everything recorded so far is written (for tests and shutdown).
  void flush();

 private:
  struct Pending {
    json involved;
    std::string type, reason, message, action;
    std::string time;
  };
  struct Seen {
    std::string ns, name;  // the Event object
    int64_t count = 0;
  };
  struct Bucket {  // the spam filter's token bucket of one involved object
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
  };
  bool admit(const json& involved);  // under mu_
  void run();
  void write(const Pending& e);

  Client& client_;
  const EventSource source_;
  std::mutex mu_;
  std::condition_variable cv_, drained_;
  std::deque<Pending> queue_;
  bool writing_ = false;
  bool stopping_ = false;
  std::map<std::string, Bucket> buckets_;  // by involved object uid; under mu_
  std::map<std::string, Seen> seen_;  // by what makes two events the same; writer thread only
  std::thread thread_;
};

}  // namespace tug::client
