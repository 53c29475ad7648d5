#include "apiserver/resource_watch.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <memory>
#include <random>

#include "apiserver/object_meta.h"
#include "apiserver/resource_selector.h"
#include "apiserver/selected_members.h"
#include "apiserver/served_object.h"
#include "apiserver/status_response.h"
#include "apiserver/table_response.h"

namespace tug::apiserver {
namespace {

using Clock = std::chrono::steady_clock;

// How long one provider call may block: httplib checks for a stopping server only between
// calls, so this bounds how long ApiServer::stop waits for an open watch.
constexpr std::chrono::milliseconds kPoll{200};
// Idle watches that allow bookmarks get one this often, as upstream's cacher does.
constexpr std::chrono::seconds kBookmarkInterval{60};

// A boolean query parameter read as upstream reads it (parseGoBool); nullopt when absent.
Result<std::optional<bool>> boolParam(const QueryParams& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end()) {
    return std::optional<bool>();
  }
  if (std::optional<bool> value = parseGoBool(it->second)) {
    return value;
  }
  return badRequest(std::string("invalid ") + key + " \"" + it->second + "\"");
}

Result<int64_t> intParam(const QueryParams& params, const char* key) {
  std::string text = queryParam(params, key);
  if (text.empty()) {
    return int64_t{0};
  }
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size() || n < 0) {
    return badRequest(std::string("invalid ") + key + " \"" + text + "\"");
  }
  return n;
}

// Upstream's default: a random 30 to 60 minutes, so that watches of many clients started
// together do not all end (and relist) together.
std::chrono::seconds defaultTimeout() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  return std::chrono::seconds(std::uniform_int_distribution<int64_t>(1800, 3600)(rng));
}

Status tooOld(store::Revision from, const store::Store& store) {
  return gone("too old resource version: " + std::to_string(from) + " (" +
              std::to_string(store.compactedRevision()) + ")");
}

// One open watch: what it selects and where it stands. Lives as long as the response's
// content provider.
class WatchStream {
 public:
  WatchStream(const VerbContext& ctx, const api::ResourceInfo& info, LabelSelector labels,
              FieldSelector fields, bool bookmarks, Clock::time_point deadline)
      : store_(ctx.store),
        registry_(ctx.registryOwner),
        info_(info),
        identity_(ServedIdentity::of(info)),
        labels_(std::move(labels)),
        fields_(std::move(fields)),
        selectorPaths_(selectorPaths(labels_, fields_)),
        bookmarks_(bookmarks),
        deadline_(deadline),
        lastSent_(Clock::now()) {}

  ~WatchStream() {
    if (watch_) {
      watch_->close();
    }
  }

  // Sets where events come from, or the error that is all the stream will say.
  void follow(Result<store::WatchPtr> watch, store::Revision from) {
    lastRevision_ = from;
    if (watch.ok()) {
      watch_ = std::move(*watch);
    } else {
      finish(watch.status(), from);
    }
  }

  // Events go out in the form the request's Accept asked for (a Table row, ...).
  void renderWith(WatchRenderer renderer) { renderer_.emplace(std::move(renderer)); }

  // Every event is sent, as stored: no selector to check and no other form to render.
  bool sendsAsStored() const {
    return labels_.empty() && fields_.empty() && (!renderer_ || renderer_->passthrough());
  }
  // Events go out as stored once the selectors have decided.
  bool selectsAsStored() const { return !renderer_ || renderer_->passthrough(); }

  void queue(WatchEventType type, const nlohmann::json& object) {
    if (renderer_ && !renderer_->passthrough()) {
      pending_ += watchEventLine(type, renderer_->render(object, type == WatchEventType::kError));
      return;
    }
    pending_ += watchEventLine(type, object);
  }

  bool selects(const nlohmann::json& object) const {
    return labels_.matches(objectLabels(object)) && fields_.matches(object);
  }

  // One content provider call: sends what is pending, waits up to kPoll for events, and ends
  // the stream when it is over. False cancels the response (the client is gone).
  bool pump(httplib::DataSink& sink) {
    if (!watch_ || Clock::now() >= deadline_) {
      return flush(sink) && done(sink);
    }
    if (!flush(sink)) {
      return false;
    }
    if (!sink.is_writable()) {
      return false;
    }
    auto wait = std::min<Clock::duration>(kPoll, deadline_ - Clock::now());
    // Read before waiting: an empty wait then means every write up to here was delivered
    // (the store publishes a commit right after making it current), so a bookmark may say so.
    store::Revision caughtUp = store_.currentRevision();
    auto events = watch_->next(std::chrono::duration_cast<std::chrono::milliseconds>(wait));
    if (!events.ok()) {
      finish(events.status(), lastRevision_);
      return flush(sink) && done(sink);
    }
    for (const store::EventPtr& e : *events) {
      render(*e);
      lastRevision_ = e->kv.modRevision;
    }
    if (events->empty() && bookmarks_ && Clock::now() - lastSent_ >= kBookmarkInterval) {
      queue(WatchEventType::kBookmark,
            bookmarkObject(info_, std::max(caughtUp, lastRevision_), false));
    }
    return flush(sink);
  }

 private:
  void render(const store::Event& e) {
    if (sendsAsStored()) {
      auto type = visibleEventType(e.type, e.prev.has_value(), true);
      if (!type || spliceStored(*type, e)) {
        return;
      }
    } else if (selectsAsStored() && renderSelectedAsStored(e)) {
      return;
    }
    std::optional<nlohmann::json> now;
    std::optional<nlohmann::json> before;
    if (e.type != store::EventType::kDeleted) {
      auto obj = decodeStored(e.kv, info_);
      if (!obj.ok()) {
        return;  // a damaged object is no event anyone can use
      }
      now = std::move(*obj);
    }
    if (e.prev) {
      // The last state, stamped with the revision that removed it from view.
      store::KeyValue last = *e.prev;
      last.modRevision = e.kv.modRevision;
      if (auto obj = decodeStored(last, info_); obj.ok()) {
        before = std::move(*obj);
      }
    }
    bool prevMatched = before && selects(*before);
    bool nowMatched = now && selects(*now);
    auto type = visibleEventType(e.type, prevMatched, nowMatched);
    if (!type) {
      return;
    }
    queue(*type, *type == WatchEventType::kDeleted ? *before : *now);
  }

  // Selectors decide on the few members they read (selected_members.h) and the event goes
  // out spliced, as for a watch without them. False, with nothing queued, for text that
  // takes neither.
  bool renderSelectedAsStored(const store::Event& e) {
    bool nowMatched = false, prevMatched = false;
    if (e.type != store::EventType::kDeleted) {
      auto view = selectedMembers(e.kv.value, selectorPaths_);
      if (!view) {
        return false;
      }
      nowMatched = selects(*view);
    }
    if (e.prev) {
      auto view = selectedMembers(e.prev->value, selectorPaths_);
      if (!view) {
        return false;
      }
      prevMatched = selects(*view);
    }
    auto type = visibleEventType(e.type, prevMatched, nowMatched);
    return !type || spliceStored(*type, e);
  }

  // The event line with the stored text spliced in, unparsed (served_object.h): most watches
  // (informers) select nothing, and parsing each event for each of them is what watching
  // would otherwise cost. False, with nothing queued, for text the splice does not take.
  bool spliceStored(WatchEventType type, const store::Event& e) {
    // A deletion shows the last state, stamped with the revision that removed it.
    const store::KeyValue& kv = type == WatchEventType::kDeleted ? *e.prev : e.kv;
    const size_t mark = pending_.size();
    pending_ += "{\"type\":\"";
    pending_ += watchEventTypeName(type);
    pending_ += "\",\"object\":";
    if (!appendServedObject(pending_, kv.value, identity_, e.kv.modRevision)) {
      pending_.resize(mark);
      return false;
    }
    pending_ += "}\n";
    return true;
  }

  // Gone becomes upstream's 410 ERROR event; a closing store just ends the stream.
  void finish(const Status& why, store::Revision from) {
    if (why.code() == Code::kGone) {
      queue(WatchEventType::kError, statusObject(tooOld(from, store_)));
    }
    watch_.reset();
  }

  bool flush(httplib::DataSink& sink) {
    if (pending_.empty()) {
      return true;
    }
    bool ok = sink.write(pending_.data(), pending_.size());
    pending_.clear();
    lastSent_ = Clock::now();
    return ok;
  }

  static bool done(httplib::DataSink& sink) {
    sink.done();
    return true;
  }

  store::Store& store_;
  // Keeps the registry snapshot that `info_` (and the renderer's printer) belong to.
  std::shared_ptr<const api::ResourceRegistry> registry_;
  const api::ResourceInfo& info_;
  const ServedIdentity identity_;
  const LabelSelector labels_;
  const FieldSelector fields_;
  const std::vector<std::string> selectorPaths_;
  const bool bookmarks_;
  const Clock::time_point deadline_;
  Clock::time_point lastSent_;
  store::WatchPtr watch_;
  store::Revision lastRevision_ = 0;
  std::string pending_;
  std::optional<WatchRenderer> renderer_;
};

// The query parameters of a watch, checked as upstream's ListOptions validation does.
struct WatchParams {
  std::string rv;                          // as given
  store::Revision from = 0;                // the numeric resourceVersion
  std::optional<bool> sendInitialEvents;   // unset: decided by resourceVersion
  bool bookmarks = false;
  std::chrono::seconds timeout{0};
};

Result<WatchParams> watchParams(const QueryParams& params) {
  WatchParams p;
  p.rv = queryParam(params, "resourceVersion");
  auto from = intParam(params, "resourceVersion");
  if (!from.ok()) {
    return from.status();
  }
  p.from = *from;
  auto initial = boolParam(params, "sendInitialEvents");
  if (!initial.ok()) {
    return initial.status();
  }
  p.sendInitialEvents = *initial;
  auto bookmarks = boolParam(params, "allowWatchBookmarks");
  if (!bookmarks.ok()) {
    return bookmarks.status();
  }
  p.bookmarks = bookmarks->value_or(false);
  auto timeout = intParam(params, "timeoutSeconds");
  if (!timeout.ok()) {
    return timeout.status();
  }
  p.timeout = *timeout > 0 ? std::chrono::seconds(*timeout) : defaultTimeout();
  std::string match = queryParam(params, "resourceVersionMatch");
  if (p.sendInitialEvents) {
    if (match != "NotOlderThan") {
      return invalid(
          "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless "
          "resourceVersionMatch is set to NotOlderThan");
    }
    if (!p.bookmarks) {
      return invalid(
          "allowWatchBookmarks: Forbidden: allowWatchBookmarks must be set to true when "
          "sendInitialEvents is set");
    }
  } else if (!match.empty()) {
    return invalid(
        "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless "
        "sendInitialEvents is provided");
  }
  return p;
}

}  // namespace

std::string_view watchEventTypeName(WatchEventType type) {
  switch (type) {
    case WatchEventType::kAdded:
      return "ADDED";
    case WatchEventType::kModified:
      return "MODIFIED";
    case WatchEventType::kDeleted:
      return "DELETED";
    case WatchEventType::kBookmark:
      return "BOOKMARK";
    case WatchEventType::kError:
      return "ERROR";
  }
  return "ERROR";
}

std::string watchEventLine(WatchEventType type, const nlohmann::json& object) {
  nlohmann::json event = {{"type", watchEventTypeName(type)}, {"object", object}};
  return event.dump() + "\n";
}

std::optional<WatchEventType> visibleEventType(store::EventType type, bool prevMatched,
                                               bool nowMatched) {
  switch (type) {
    case store::EventType::kAdded:
      return nowMatched ? std::optional(WatchEventType::kAdded) : std::nullopt;
    case store::EventType::kModified:
      if (prevMatched && nowMatched) {
        return WatchEventType::kModified;
      }
      if (nowMatched) {
        return WatchEventType::kAdded;
      }
      return prevMatched ? std::optional(WatchEventType::kDeleted) : std::nullopt;
    case store::EventType::kDeleted:
      return prevMatched ? std::optional(WatchEventType::kDeleted) : std::nullopt;
  }
  return std::nullopt;
}

nlohmann::json bookmarkObject(const api::ResourceInfo& info, store::Revision revision,
                              bool initialEventsEnd) {
  nlohmann::json meta = {{"resourceVersion", std::to_string(revision)}};
  if (initialEventsEnd) {
    meta["annotations"] = {{"k8s.io/initial-events-end", "true"}};
  }
  return {{"kind", info.kind}, {"apiVersion", info.groupVersion()}, {"metadata", meta}};
}

std::optional<Reply> startWatch(const VerbContext& ctx, const VerbRequest& req,
                                httplib::Response& res) {
  auto renderer = WatchRenderer::forRequest(req);
  if (auto* refused = std::get_if<Reply>(&renderer)) {
    return *refused;
  }
  auto params = watchParams(req.params);
  if (!params.ok()) {
    return errorReply(params.status(), req.target);
  }
  auto labels = LabelSelector::parse(queryParam(req.params, "labelSelector"));
  if (!labels.ok()) {
    return errorReply(labels.status(), req.target);
  }
  auto fields = FieldSelector::parse(queryParam(req.params, "fieldSelector"), *req.target.info);
  if (!fields.ok()) {
    return errorReply(fields.status(), req.target);
  }
  auto stream = std::make_shared<WatchStream>(ctx, *req.target.info, std::move(*labels),
                                              std::move(*fields), params->bookmarks,
                                              Clock::now() + params->timeout);
  stream->renderWith(std::get<WatchRenderer>(std::move(renderer)));
  const std::string prefix = targetKey(req.target);
  // Without a resourceVersion (or with "0") the watch starts with the current state; with one
  // it continues after it. sendInitialEvents says so explicitly either way.
  bool fromNow = params->rv.empty() || params->from == 0;
  bool initial = params->sendInitialEvents.value_or(fromNow);
  if (initial) {
    // A list at the latest revision; its items are sent as ADDED, then the changes after it.
    VerbRequest list{req.target, {}, ""};
    for (const char* key : {"labelSelector", "fieldSelector"}) {
      if (auto it = req.params.find(key); it != req.params.end()) {
        list.params.emplace(key, it->second);
      }
    }
    auto listed = listMatching(ctx, list);
    if (!listed.ok()) {
      return errorReply(listed.status(), req.target);
    }
    for (const nlohmann::json& obj : listed->items) {
      stream->queue(WatchEventType::kAdded, obj);
    }
    if (params->sendInitialEvents.value_or(false)) {
      stream->queue(WatchEventType::kBookmark,
                    bookmarkObject(*req.target.info, listed->revision, true));
    }
    stream->follow(ctx.store.watch(prefix, listed->revision), listed->revision);
  } else {
    store::Revision from = fromNow ? ctx.store.currentRevision() : params->from;
    stream->follow(ctx.store.watch(prefix, from), from);
  }
  res.status = 200;
  res.set_chunked_content_provider(
      "application/json",
      [stream](size_t, httplib::DataSink& sink) { return stream->pump(sink); });
  return std::nullopt;
}

}  // namespace tug::apiserver
