#include "client/informer.h"

#include <utility>

#include "client/work_queue.h"
#include "common/log.h"

namespace tug::client {
namespace {

std::string metaString(const json& obj, const char* key) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) {
    return "";
  }
  auto v = m->find(key);
  return v != m->end() && v->is_string() ? v->get<std::string>() : "";
}

std::string objectKey(const json& obj) {
  return keyOf(metaString(obj, "namespace"), metaString(obj, "name"));
}

// Server-side timeouts spread between 5 and 10 minutes, as client-go asks for, so that
// watches of many informers do not all end at once.
int64_t watchTimeoutSeconds() {
  static std::atomic<int64_t> n{0};
  return 300 + (n++ * 37) % 300;
}

}  // namespace

Informer::Informer(Client& client, Resource resource, std::string ns, ListOptions selectors)
    : client_(client),
      resource_(std::move(resource)),
      ns_(std::move(ns)),
      selectors_(std::move(selectors)) {}

Informer::~Informer() { stop(); }

HandlerRegistration::HandlerRegistration(HandlerRegistration&& other) noexcept
    : informer_(std::exchange(other.informer_, nullptr)), id_(other.id_) {}

HandlerRegistration& HandlerRegistration::operator=(HandlerRegistration&& other) noexcept {
  if (this != &other) {
    reset();
    informer_ = std::exchange(other.informer_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

void HandlerRegistration::reset() {
  if (informer_ != nullptr) {
    std::exchange(informer_, nullptr)->removeHandlers(id_);
  }
}

HandlerRegistration Informer::addHandlers(EventHandlers handlers) {
  std::lock_guard<std::mutex> deliver(deliverMu_);
  std::vector<std::shared_ptr<const json>> cached;
  {
    std::lock_guard<std::mutex> lock(mu_);
    cached.reserve(objects_.size());
    for (const auto& [key, obj] : objects_) {
      cached.push_back(obj);
    }
  }
  if (handlers.onAdd) {
    for (const auto& obj : cached) {
      handlers.onAdd(*obj);
    }
  }
  const uint64_t id = nextHandlerId_++;
  handlers_.emplace_back(id, std::move(handlers));
  return HandlerRegistration(this, id);
}

void Informer::removeHandlers(uint64_t id) {
  std::lock_guard<std::mutex> deliver(deliverMu_);
  std::erase_if(handlers_, [&](const auto& h) { return h.first == id; });
}

void Informer::setTransform(std::function<json(json&&)> transform) {
  transform_ = std::move(transform);
}

void Informer::start() {
  thread_ = std::thread([this] { run(); });
}

void Informer::requestStop() {
  stopping_ = true;
  std::lock_guard<std::mutex> lock(streamMu_);
  if (stream_ != nullptr) {
    stream_->close();
  }
  stopRequested_.notify_all();
}

void Informer::backOff(std::chrono::milliseconds delay) {
  std::unique_lock<std::mutex> lock(streamMu_);
  stopRequested_.wait_for(lock, delay, [this] { return stopping_.load(); });
}

void Informer::stop() {
  requestStop();
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool Informer::waitForSync(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return synced_.wait_for(lock, timeout, [&] { return hasSynced_; });
}

std::optional<json> Informer::get(std::string_view ns, std::string_view name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = objects_.find(keyOf(ns, name));
  if (it == objects_.end()) {
    return std::nullopt;
  }
  return *it->second;
}

std::vector<json> Informer::list(std::string_view ns) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<json> out;
  for (const auto& [key, obj] : objects_) {
    if (ns.empty() || splitKey(key).first == ns) {
      out.push_back(*obj);
    }
  }
  return out;
}

void Informer::forEach(std::string_view ns, const std::function<void(const json&)>& fn) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (ns.empty()) {
    for (const auto& [key, obj] : objects_) {
      fn(*obj);
    }
    return;
  }
  // Keys are "<ns>/<name>": the namespace's objects are one range of the map.
  const std::string prefix = std::string(ns) + "/";
  for (auto it = objects_.lower_bound(prefix);
       it != objects_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    fn(*it->second);
  }
}

std::string Informer::resourceVersion() const {
  std::lock_guard<std::mutex> lock(mu_);
  return resourceVersion_;
}

void Informer::run() {
  auto backoff = std::chrono::milliseconds(100);
  bool listed = false;
  while (!stopping_) {
    if (!listed) {
      listed = relist();
      if (!listed) {
        backOff(backoff);
        backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
        continue;
      }
      backoff = std::chrono::milliseconds(100);
    }
    Status ended = follow();
    if (ended.code() == Code::kGone) {
      listed = false;  // too far behind: list again
    } else if (!stopping_ && ended.code() != Code::kUnavailable) {
      backOff(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    }
  }
}

bool Informer::relist() {
  std::map<std::string, std::shared_ptr<const json>> fresh;
  std::string rv;
  ListOptions options = selectors_;
  options.limit = 500;
  do {
    auto page = client_.list(resource_, ns_, options);
    if (!page.ok()) {
      TUG_LOG(kDebug, "informer") << "list " << resourcePath(resource_, ns_) << ": "
                                  << page.status().message();
      return false;
    }
    for (json& obj : page->items) {
      if (omitManagedFields_) {
        obj = stripManagedFields(std::move(obj));
      }
      std::string key = objectKey(obj);  // before the move: json's operator= takes by value
      fresh[key] =
          std::make_shared<const json>(transform_ ? transform_(std::move(obj)) : std::move(obj));
    }
    rv = page->resourceVersion;
    options.continueToken = page->continueToken;
  } while (!options.continueToken.empty() && !stopping_);

  std::lock_guard<std::mutex> deliver(deliverMu_);
  std::map<std::string, std::shared_ptr<const json>> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    old.swap(objects_);
    objects_ = fresh;  // the pointers: the objects are shared
    resourceVersion_ = rv;
  }
  for (const auto& [key, obj] : fresh) {
    auto it = old.find(key);
    if (it == old.end()) {
      notifyAdd(*obj);
    } else if (*it->second != *obj) {
      notifyUpdate(*it->second, *obj);
    }
  }
  for (const auto& [key, obj] : old) {
    if (!fresh.count(key)) {
      notifyDelete(*obj);
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    hasSynced_ = true;
  }
  synced_.notify_all();
  return true;
}

Status Informer::follow() {
  ListOptions options = selectors_;
  options.resourceVersion = resourceVersion();
  options.allowWatchBookmarks = true;
  options.timeoutSeconds = watchTimeoutSeconds();
  options.omitManagedFields = omitManagedFields_;
  auto stream = client_.watch(resource_, ns_, options);
  if (!stream.ok()) {
    return stream.status();
  }
  {
    std::lock_guard<std::mutex> lock(streamMu_);
    if (stopping_) {
      return Status(Code::kUnavailable, "stopping");
    }
    stream_ = stream->get();
  }
  Status ended;
  while (!stopping_) {
    auto e = (*stream)->next(std::chrono::seconds(1));
    if (!e.ok()) {
      ended = e.status();
      break;
    }
    if (*e) {
      apply(std::move(**e));
    }
  }
  std::lock_guard<std::mutex> lock(streamMu_);
  stream_ = nullptr;
  return ended.isOk() ? Status(Code::kUnavailable, "stopping") : ended;
}

void Informer::apply(WatchEvent e) {
  const std::string rv = metaString(e.object, "resourceVersion");
  if (e.type == "BOOKMARK") {
    std::lock_guard<std::mutex> lock(mu_);
    resourceVersion_ = rv;
    return;
  }
  const std::string key = objectKey(e.object);
  if (transform_) {
    e.object = transform_(std::move(e.object));
  }
  auto now = std::make_shared<const json>(std::move(e.object));
  std::shared_ptr<const json> old;
  std::lock_guard<std::mutex> deliver(deliverMu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = objects_.find(key); it != objects_.end()) {
      old = it->second;
    }
    if (e.type == "DELETED") {
      objects_.erase(key);
    } else {
      objects_[key] = now;
    }
    resourceVersion_ = rv;
  }
  if (e.type == "DELETED") {
    notifyDelete(old ? *old : *now);
  } else if (old) {
    notifyUpdate(*old, *now);
  } else {
    notifyAdd(*now);
  }
}

void Informer::notifyAdd(const json& obj) {
  for (const auto& [id, h] : handlers_) {
    if (h.onAdd) {
      h.onAdd(obj);
    }
  }
}

void Informer::notifyUpdate(const json& old, const json& now) {
  for (const auto& [id, h] : handlers_) {
    if (h.onUpdate) {
      h.onUpdate(old, now);
    }
  }
}

void Informer::notifyDelete(const json& obj) {
  for (const auto& [id, h] : handlers_) {
    if (h.onDelete) {
      h.onDelete(obj);
    }
  }
}

void stopInformers(const std::vector<Informer*>& informers) {
  for (Informer* i : informers) {
    i->requestStop();
  }
  for (Informer* i : informers) {
    i->stop();
  }
}

}  // namespace tug::client
