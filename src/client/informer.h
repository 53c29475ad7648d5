#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"

// A local copy of one resource's objects, kept current by list and watch, that tells its
// handlers what changed: the informer of client-go. It lists, then watches from the list's
// resourceVersion (with bookmarks); a watch that ends resumes from the last version seen, and
// a 410 Gone lists again, reporting the differences as adds, updates and deletes.
namespace tug::client {

struct EventHandlers {
  std::function<void(const json& obj)> onAdd;
  std::function<void(const json& old, const json& now)> onUpdate;
  std::function<void(const json& last)> onDelete;
};

class Informer;

// Keeps a component's handlers on an informer; they run no more once it is destroyed (or
// reset), so a component that goes before a shared informer takes its handlers with it.
// Declare it after everything the handlers use, so that it goes first.
class HandlerRegistration {
 public:
  HandlerRegistration() = default;
  HandlerRegistration(Informer* informer, uint64_t id) : informer_(informer), id_(id) {}
  HandlerRegistration(HandlerRegistration&& other) noexcept;
  HandlerRegistration& operator=(HandlerRegistration&& other) noexcept;
  HandlerRegistration(const HandlerRegistration&) = delete;
  HandlerRegistration& operator=(const HandlerRegistration&) = delete;
  ~HandlerRegistration() { reset(); }

  // Removes the handlers; waits for a call of theirs that is under way.
  void reset();

 private:
  Informer* informer_ = nullptr;
  uint64_t id_ = 0;
};

// The registrations of one component, removed together.
class HandlerRegistrations {
 public:
  HandlerRegistrations& operator+=(HandlerRegistration r) {
    all_.push_back(std::move(r));
    return *this;
  }
  void reset() { all_.clear(); }

 private:
  std::vector<HandlerRegistration> all_;
};

class Informer {
 public:
  // `ns` empty: every namespace. `selectors` may carry a label and a field selector.
  Informer(Client& client, Resource resource, std::string ns = "", ListOptions selectors = {});
  ~Informer();

  // Handlers run on the informer's thread, one event at a time. Added to an informer that has
  // started, they first get an add for every cached object (client-go replays its cache
  // the same way), on the caller's thread, with no event lost or told twice in between.
  [[nodiscard]] HandlerRegistration addHandlers(EventHandlers handlers);
  // Call before start(). Every object is passed through `transform` before it is cached or
  // handed to the handlers (client-go's SetTransform): a cache that needs only some fields,
  // such as the metadata, keeps only those. Objects that transform to equal values count as
  // unchanged when a list is read again.
  void setTransform(std::function<json(json&&)> transform);
  // Call before start(). The cache and the handlers get objects without
  // metadata.managedFields: watch events are decoded without them (cheaper than parsing and
  // dropping them), listed objects lose them before the transform.
  void omitManagedFields() { omitManagedFields_ = true; }
  void start();
  // Asks the informer's thread to end, without waiting for it.
  void requestStop();
  // Ends the thread and waits for it.
  void stop();
  // Whether the first list has been read into the cache (waits up to `timeout`).
  bool waitForSync(std::chrono::milliseconds timeout);

  std::optional<json> get(std::string_view ns, std::string_view name) const;
  std::vector<json> list(std::string_view ns = "") const;
  // Calls `fn` on each cached object of `ns` (every namespace when empty) without copying it.
  // The cache is locked meanwhile: `fn` must not call back into the informer.
  void forEach(std::string_view ns, const std::function<void(const json&)>& fn) const;
  // The resourceVersion the cache reflects.
  std::string resourceVersion() const;

 private:
  friend class HandlerRegistration;
  void removeHandlers(uint64_t id);

  void run();
  // Lists and replaces the cache; false when the list failed.
  bool relist();
  // Follows a watch until it ends; returns the error it ended with.
  Status follow();
  void apply(WatchEvent e);
  void notifyAdd(const json& obj);
  void notifyUpdate(const json& old, const json& now);
  void notifyDelete(const json& obj);
  // Waits out a retry's backoff, or less when asked to stop meanwhile.
  void backOff(std::chrono::milliseconds delay);

  Client& client_;
  const Resource resource_;
  const std::string ns_;
  const ListOptions selectors_;
  std::function<json(json&&)> transform_;
  bool omitManagedFields_ = false;

  // Held while the cache changes and its handlers hear of it, and while handlers are added
  // or removed: a handler sees each change exactly once, after its replay. Taken before mu_.
  std::mutex deliverMu_;
  std::vector<std::pair<uint64_t, EventHandlers>> handlers_;  // under deliverMu_
  uint64_t nextHandlerId_ = 1;

  mutable std::mutex mu_;
  std::condition_variable synced_;
  // By key "<ns>/<name>". Shared, never copied: an event hands the object it replaces to
  // the handlers while the cache already holds the new one.
  std::map<std::string, std::shared_ptr<const json>> objects_;
  std::string resourceVersion_;
  bool hasSynced_ = false;

  std::atomic<bool> stopping_{false};
  std::condition_variable stopRequested_;  // under streamMu_
  std::mutex streamMu_;
  EventStream* stream_ = nullptr;  // under streamMu_: stop() closes it to wake the thread
  std::thread thread_;
};

// Stops several informers at once: each is asked first, then each is waited for, so the wait
// is the longest one's, not their sum.
void stopInformers(const std::vector<Informer*>& informers);

}  // namespace tug::client
