#pragma once

#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/resource_registry.h"
#include "apiserver/resource_verbs.h"
#include "store/store.h"

// The watch verb on collections (`GET <collection>?watch=true`): a chunked stream of
// newline-delimited {"type":...,"object":...} events, objects rendered as GET renders them.
namespace tug::apiserver {

enum class WatchEventType { kAdded, kModified, kDeleted, kBookmark, kError };
std::string_view watchEventTypeName(WatchEventType type);

// One line of the stream, newline included.
std::string watchEventLine(WatchEventType type, const nlohmann::json& object);

// What a watcher with selectors sees of one store event, given whether the version before
// the write (`prevMatched`; ignored for kAdded) and the one after it (`nowMatched`; ignored
// for kDeleted) pass its selectors. As upstream: an object that starts matching on a
// modification is ADDED, one that stops matching is DELETED; nullopt when nothing is sent.
std::optional<WatchEventType> visibleEventType(store::EventType type, bool prevMatched,
                                               bool nowMatched);

// The object of a BOOKMARK event: only kind, apiVersion and metadata.resourceVersion, plus the
// "k8s.io/initial-events-end" annotation that closes the initial events of sendInitialEvents.
nlohmann::json bookmarkObject(const api::ResourceInfo& info, store::Revision revision,
                              bool initialEventsEnd);

// Serves a watch on the request's collection, honouring resourceVersion, resourceVersionMatch,
// sendInitialEvents, allowWatchBookmarks, timeoutSeconds and the selectors. Returns the error
// reply when the request is refused before streaming starts; nullopt once `res` streams.
// The stream runs on the calling worker thread and wakes at least every 200 ms, so it ends
// soon after the server stops or the client goes away.
std::optional<Reply> startWatch(const VerbContext& ctx, const VerbRequest& req,
                                httplib::Response& res);

}  // namespace tug::apiserver
