#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace tug::store {

struct WatcherState;

// Reads the events under `prefix` with revisions in (from, to], in revision order, from the
// backend's history. Used when a watch starts before the in-memory window.
using HistoryLoader =
    std::function<Result<std::vector<EventPtr>>(std::string_view prefix, Revision from, Revision to)>;

// Fans committed events out to watchers, and keeps a window of recent events in memory so that
// most watches starting in the past need no query. Backend-independent: any Store that publishes
// its commits here, in revision order and without gaps, gets watches.
// Thread-safe.
class WatchHub : public std::enable_shared_from_this<WatchHub> {
 public:
  struct Options {
    size_t windowEvents = 4096;
    size_t windowBytes = 16 << 20;
    size_t queueLimit = 10000;  // events pending for one watcher before it is dropped
  };

  // `current` is the backend's revision at start: history up to it lives only in the backend.
  WatchHub(const Options& options, Revision current);

  // REQUIRES: events carry consecutive revisions following lastPublished(); `upTo` is the last.
  void publish(std::vector<EventPtr> events, Revision upTo);

  // A watch delivering every event under `prefix` with revision > `from` (0: from now).
  // The caller checks `from` against its compacted revision before and after the call.
  Result<WatchPtr> watch(std::string_view prefix, Revision from, const HistoryLoader& load);

  // Ends every watch with `why` and refuses new ones.
  void closeAll(const Status& why);

  Revision lastPublished() const;
  size_t watcherCount() const;
  size_t windowEventCount() const;

  // Removes a watcher; called by the watch handle.
  void remove(const std::shared_ptr<WatcherState>& w);

 private:
  // REQUIRES: mu_ held. Copies ring events with revision > from that match w into w's queue.
  void replayWindowLocked(WatcherState& w, Revision from);
  void trimWindowLocked();

  const Options options_;
  mutable std::mutex mu_;
  std::deque<EventPtr> window_;  // consecutive revisions (floor_, last_]
  size_t windowBytes_ = 0;
  Revision floor_;  // every event with revision > floor_ is in window_
  Revision last_;
  std::vector<std::shared_ptr<WatcherState>> watchers_;
  Status closed_;  // not OK once closeAll ran
};

}  // namespace tug::store
