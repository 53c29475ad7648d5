#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// Small readers over API objects in JSON that the workload controllers (ReplicaSet,
// Deployment) share: metadata fields, owner references, pod readiness and availability, label
// selectors and timestamps. They never throw: a field of the wrong type reads as absent.
namespace tug::controllers {

using json = nlohmann::json;
using TimePoint = std::chrono::system_clock::time_point;

std::string metaString(const json& obj, const char* key);
std::string nameOf(const json& obj);
std::string namespaceOf(const json& obj);
std::string uidOf(const json& obj);
bool beingDeleted(const json& obj);
// metadata.labels (an object; empty when absent).
json labelsOf(const json& obj);
// An integer field under `path` (e.g. {"spec", "replicas"}), or `fallback`.
int64_t intAt(const json& obj, std::initializer_list<const char*> path, int64_t fallback = 0);
const json* at(const json& obj, std::initializer_list<const char*> path);

// The owner reference with controller: true, or nullptr.
const json* controllerOf(const json& obj);
// {apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true} naming `owner`.
json newControllerRef(const json& owner, std::string_view apiVersion, std::string_view kind);

// RFC 3339 in UTC with second precision, as metav1.Time is written.
std::string formatTime(TimePoint t);
// Parses RFC 3339 (fractions and offsets accepted); nullopt when it does not parse.
std::optional<TimePoint> parseTime(std::string_view text);

// Whether `labels` match a metav1.LabelSelector; an invalid selector matches nothing.
bool selectorMatches(const json& selector, const json& labels);
// Whether the selector selects everything (no matchLabels, no matchExpressions).
bool selectorIsEmpty(const json& selector);

// Pods, as upstream's pod helpers read them.
std::string podPhase(const json& pod);
// Not Succeeded, not Failed, not being deleted.
bool podIsActive(const json& pod);
bool podIsReady(const json& pod);
// The Ready condition's lastTransitionTime when the pod is ready.
std::optional<TimePoint> podReadySince(const json& pod);
// Ready for at least `minReadySeconds` (strictly longer, as upstream) by `now`.
bool podIsAvailable(const json& pod, int64_t minReadySeconds, TimePoint now);
int podMaxRestarts(const json& pod);

// The condition of `type` in status.conditions, or nullptr.
const json* findCondition(const json& obj, std::string_view type);

}  // namespace tug::controllers
