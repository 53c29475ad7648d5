#include "controllers/job/job_logic.h"

#include <algorithm>
#include <cstdlib>
#include <tuple>

#include "controllers/job/index_failures.h"
#include "controllers/job/pod_failure_policy.h"
#include "controllers/job/success_policy.h"

namespace tug::controllers::job {
namespace {

constexpr const char* kSuccessCriteriaMet = "SuccessCriteriaMet";
constexpr const char* kFailureTarget = "FailureTarget";
// Upstream's backoff before pods replace failed ones: 10 s, doubling, at most 6 minutes.
constexpr std::chrono::seconds kBackoffBase{10}, kBackoffMax{360};

std::optional<int64_t> parseInt(std::string_view text) {
  if (text.empty() || text.size() > 18) {
    return std::nullopt;
  }
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    v = v * 10 + (c - '0');
  }
  return v;
}

bool conditionTrue(const json& job, std::string_view type) {
  const json* c = findCondition(job, type);
  return c != nullptr && c->value("status", "") == "True";
}

json condition(std::string_view type, std::string_view status, std::string_view reason,
               std::string_view message, TimePoint now) {
  json c = {{"type", type},
            {"status", status},
            {"lastProbeTime", formatTime(now)},
            {"lastTransitionTime", formatTime(now)}};
  if (!reason.empty()) {
    c["reason"] = reason;
  }
  if (!message.empty()) {
    c["message"] = message;
  }
  return c;
}

// Replaces the condition of c's type (keeping its transition time when the status stays) or
// appends it.
void setCondition(json& status, json c) {
  json& conditions = status["conditions"];
  if (!conditions.is_array()) {
    conditions = json::array();
  }
  for (json& existing : conditions) {
    if (existing.value("type", "") == c.value("type", "")) {
      if (existing.value("status", "") == c.value("status", "")) {
        c["lastTransitionTime"] = existing.value("lastTransitionTime", c["lastTransitionTime"]);
      }
      existing = std::move(c);
      return;
    }
  }
  conditions.push_back(std::move(c));
}

int64_t restartsOf(const json& pod) {
  int64_t total = 0;
  for (const char* key : {"containerStatuses", "initContainerStatuses"}) {
    const json* statuses = at(pod, {"status", key});
    if (statuses != nullptr && statuses->is_array()) {
      for (const json& s : *statuses) {
        total += s.value("restartCount", 0);
      }
    }
  }
  return total;
}

void setCount(json& status, const char* key, int64_t value) {
  if (value > 0) {
    status[key] = value;
  } else {
    status.erase(key);
  }
}

// What the pods of a Job add up to, with the finalizer bookkeeping done.
struct Tally {
  std::vector<json> active;
  int64_t terminating = 0, ready = 0;
  int64_t succeeded = 0, failed = 0;                // including pods still to be counted
  int64_t countedSucceeded = 0, countedFailed = 0;  // what status.succeeded/failed say
  std::set<int64_t> completed, activeIndexes;
  std::optional<TimePoint> lastFailure;
  json uncounted;  // status.uncountedTerminatedPods
  bool allCounted = true;
  std::string failJob;  // a pod failure that podFailurePolicy says ends the Job: why
  std::vector<json> podsToUntrack;
  IndexFailures indexes;  // with backoffLimitPerIndex
  int64_t held = 0;       // failed pods kept uncounted until their index's replacement exists
  bool holding = false;   // some pod is kept so (its failure counted or not)
};

// `holdReplaced`: the failed pods whose replacement is still to come keep their finalizer and
// stay uncounted (backoffLimitPerIndex); a finished Job holds none.
Tally tally(const json& job, const json& status, const std::vector<json>& pods, bool indexed,
            int64_t completions, bool holdReplaced) {
  Tally t;
  // What status.uncountedTerminatedPods lists: pods counted once their finalizer is off.
  json uncountedField = status.value("uncountedTerminatedPods", json::object());
  std::set<std::string> uncountedSucceeded, uncountedFailed;
  for (const auto& [key, target] :
       {std::pair<const char*, std::set<std::string>*>{"succeeded", &uncountedSucceeded},
        {"failed", &uncountedFailed}}) {
    const json* list = at(uncountedField, {key});
    if (list != nullptr && list->is_array()) {
      for (const json& uid : *list) {
        if (uid.is_string()) {
          target->insert(uid.get<std::string>());
        }
      }
    }
  }
  const json* replacement = at(job, {"spec", "podReplacementPolicy"});
  const bool onlyFailedPhase =
      replacement != nullptr && replacement->is_string() && *replacement == "Failed";

  int64_t succeeded = intAt(status, {"succeeded"}), failed = intAt(status, {"failed"});
  if (indexed) {
    t.completed = parseIndexes(status.value("completedIndexes", ""), completions);
  }
  std::set<std::string> held;
  if (hasBackoffLimitPerIndex(job)) {
    std::set<int64_t> completed = t.completed, running;
    for (const json& pod : pods) {
      const std::string phase = podPhase(pod);
      auto i = podIndex(pod);
      if (!i || *i >= completions) {
        continue;
      }
      if (phase == "Succeeded" && hasTrackingFinalizer(pod)) {
        completed.insert(*i);
      } else if (phase != "Succeeded" && phase != "Failed" && !beingDeleted(pod)) {
        running.insert(*i);
      }
    }
    t.indexes = indexFailures(job, pods, completions, completed, running);
    for (const auto& [index, pod] : t.indexes.replaced) {
      // Already listed as failed: it is counted the usual way.
      if (holdReplaced && !uncountedFailed.count(uidOf(pod))) {
        held.insert(uidOf(pod));
      }
    }
  }
  std::set<std::string> tracked;  // uids of the pods still holding the finalizer
  for (const json& pod : pods) {
    const std::string phase = podPhase(pod);
    const std::string uid = uidOf(pod);
    const bool holds = hasTrackingFinalizer(pod);
    if (holds) {
      tracked.insert(uid);
    }
    const bool podSucceeded = phase == "Succeeded";
    // podFailurePolicy may say a failure does not count, or that it ends the Job.
    const FailureMatch match =
        phase == "Failed" ? matchPodFailurePolicy(job, pod) : FailureMatch{};
    const bool ignored = match.action == FailureAction::kIgnore;
    if (match.action == FailureAction::kFailJob && t.failJob.empty()) {
      t.failJob = match.message;
    }
    const bool podFailed =
        !ignored &&
        (phase == "Failed" || (!onlyFailedPhase && beingDeleted(pod) && !podSucceeded));
    if (held.count(uid)) {
      t.holding = true;
      t.held += podFailed ? 1 : 0;
      t.terminating += phase != "Failed" && beingDeleted(pod) ? 1 : 0;
      continue;
    }
    if (podSucceeded && holds && !uncountedSucceeded.count(uid)) {
      uncountedSucceeded.insert(uid);
    } else if (podFailed && holds && !uncountedFailed.count(uid)) {
      uncountedFailed.insert(uid);
    }
    if (podSucceeded) {
      if (auto i = podIndex(pod); indexed && i && *i < completions && holds) {
        t.completed.insert(*i);
      }
    } else if (phase == "Failed" && !ignored) {
      if (auto at = podFinishedAt(pod); at && (!t.lastFailure || *at > *t.lastFailure)) {
        t.lastFailure = at;
      }
    }
    if (podSucceeded || phase == "Failed") {
      if (holds) {
        t.podsToUntrack.push_back(pod);
      }
    } else if (beingDeleted(pod)) {
      ++t.terminating;
      if (holds && podFailed) {
        t.podsToUntrack.push_back(pod);
      }
    } else {
      t.active.push_back(pod);
      t.ready += podIsReady(pod) ? 1 : 0;
      if (auto i = podIndex(pod); indexed && i) {
        t.activeIndexes.insert(*i);
      }
    }
  }
  // Listed pods whose finalizer is off (or that are gone) are counted for good.
  json uncounted = {{"succeeded", json::array()}, {"failed", json::array()}};
  for (const auto& [key, list, total] : {std::tuple<const char*, std::set<std::string>*, int64_t*>{
                                             "succeeded", &uncountedSucceeded, &succeeded},
                                         {"failed", &uncountedFailed, &failed}}) {
    for (const std::string& uid : *list) {
      if (tracked.count(uid)) {
        uncounted[key].push_back(uid);
      } else {
        ++*total;
      }
    }
  }
  t.allCounted = uncounted["succeeded"].empty() && uncounted["failed"].empty();
  // What the Job has reached counts the listed pods too.
  if (indexed) {
    succeeded = static_cast<int64_t>(t.completed.size());
  } else {
    succeeded += static_cast<int64_t>(uncounted["succeeded"].size());
  }
  failed += static_cast<int64_t>(uncounted["failed"].size());
  t.countedSucceeded = succeeded - static_cast<int64_t>(uncounted["succeeded"].size());
  t.countedFailed = failed - static_cast<int64_t>(uncounted["failed"].size());
  t.succeeded = succeeded;
  t.failed = failed + t.held;  // backoffLimit counts them already
  t.uncounted = json::object();
  for (const char* key : {"succeeded", "failed"}) {
    if (!uncounted[key].empty()) {
      t.uncounted[key] = uncounted[key];
    }
  }
  return t;
}

}  // namespace

std::set<int64_t> parseIndexes(std::string_view ranges, int64_t completions) {
  std::set<int64_t> out;
  size_t start = 0;
  while (start < ranges.size()) {
    size_t end = ranges.find(',', start);
    if (end == std::string_view::npos) {
      end = ranges.size();
    }
    std::string_view part = ranges.substr(start, end - start);
    size_t dash = part.find('-');
    auto first = parseInt(part.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : parseInt(part.substr(dash + 1));
    if (first && last) {
      for (int64_t i = *first; i <= *last && i < completions; ++i) {
        out.insert(i);
      }
    }
    start = end + 1;
  }
  return out;
}

std::string formatIndexes(const std::set<int64_t>& indexes) {
  std::string out;
  for (auto it = indexes.begin(); it != indexes.end();) {
    int64_t first = *it, last = *it;
    for (++it; it != indexes.end() && *it == last + 1; ++it) {
      last = *it;
    }
    out += (out.empty() ? "" : ",") + std::to_string(first);
    if (last != first) {
      out += (last == first + 1 ? "," : "-") + std::to_string(last);  // "1,2" but "1-3"
    }
  }
  return out;
}

std::optional<int64_t> podIndex(const json& pod) {
  for (const char* where : {"annotations", "labels"}) {
    const json* v = at(pod, {"metadata", where, kCompletionIndex});
    if (v != nullptr && v->is_string()) {
      return parseInt(v->get<std::string>());
    }
  }
  return std::nullopt;
}

bool isIndexed(const json& job) {
  const json* mode = at(job, {"spec", "completionMode"});
  return mode != nullptr && mode->is_string() && *mode == "Indexed";
}

bool hasTrackingFinalizer(const json& pod) {
  const json* finalizers = at(pod, {"metadata", "finalizers"});
  if (finalizers == nullptr || !finalizers->is_array()) {
    return false;
  }
  return std::find(finalizers->begin(), finalizers->end(), kTrackingFinalizer) != finalizers->end();
}

std::string untrackPatch() {
  return json{{"metadata", {{"$deleteFromPrimitiveList/finalizers", {kTrackingFinalizer}}}}}.dump();
}

std::string finishedType(const json& job) {
  for (const char* type : {"Complete", "Failed"}) {
    if (conditionTrue(job, type)) {
      return type;
    }
  }
  return "";
}

Result<json> podFromTemplate(const json& job, std::optional<int64_t> index,
                             const json& annotations) {
  const json* tmpl = at(job, {"spec", "template"});
  if (tmpl == nullptr || !tmpl->is_object()) {
    return invalid("unable to create pods, no template");
  }
  const json meta = tmpl->value("metadata", json::object());
  json podMeta = {{"generateName", nameOf(job) + "-"},
                  {"namespace", namespaceOf(job)},
                  {"labels", meta.value("labels", json::object())},
                  {"ownerReferences", json::array({newControllerRef(job, "batch/v1", "Job")})},
                  {"finalizers", json::array({kTrackingFinalizer})}};
  if (auto it = meta.find("annotations"); it != meta.end() && it->is_object() && !it->empty()) {
    podMeta["annotations"] = *it;
  }
  json spec = tmpl->value("spec", json::object());
  if (index) {
    const std::string text = std::to_string(*index);
    podMeta["generateName"] = nameOf(job) + "-" + text + "-";
    podMeta["annotations"][kCompletionIndex] = text;
    if (annotations.is_object()) {
      for (const auto& [key, value] : annotations.items()) {
        podMeta["annotations"][key] = value;
      }
    }
    podMeta["labels"][kCompletionIndex] = text;
    if (!spec.contains("hostname")) {
      spec["hostname"] = nameOf(job) + "-" + text;
    }
    const json env = {
        {"name", "JOB_COMPLETION_INDEX"},
        {"valueFrom",
         {{"fieldRef",
           {{"fieldPath", std::string("metadata.labels['") + kCompletionIndex + "']"}}}}}};
    for (const char* key : {"initContainers", "containers"}) {
      if (!spec.contains(key) || !spec[key].is_array()) {
        continue;
      }
      for (json& c : spec[key]) {
        json& vars = c["env"];
        if (!vars.is_array()) {
          vars = json::array();
        }
        bool present = std::any_of(vars.begin(), vars.end(), [](const json& v) {
          return v.value("name", "") == "JOB_COMPLETION_INDEX";
        });
        if (!present) {
          vars.push_back(env);
        }
      }
    }
  }
  return json{{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", std::move(podMeta)},
              {"spec", std::move(spec)}};
}

Decision decide(const json& job, const std::vector<json>& pods, TimePoint now, bool canManage) {
  Decision d;
  json status = job.value("status", json::object());
  if (!status.is_object()) {
    status = json::object();
  }
  if (!finishedType(job).empty()) {
    // Every pod was counted before the Job finished: none keeps its finalizer.
    for (const json& pod : pods) {
      if (hasTrackingFinalizer(pod)) {
        d.podsToUntrack.push_back(pod);
      }
    }
    d.status = std::move(status);
    return d;
  }
  const bool indexed = isIndexed(job);
  const int64_t parallelism = intAt(job, {"spec", "parallelism"}, 1);
  const json* completionsField = at(job, {"spec", "completions"});
  const bool hasCompletions = completionsField != nullptr && completionsField->is_number_integer();
  const int64_t completions = hasCompletions ? completionsField->get<int64_t>() : 0;
  const int64_t backoffLimit = intAt(job, {"spec", "backoffLimit"}, 6);
  const json* suspendField = at(job, {"spec", "suspend"});
  const bool suspend =
      suspendField != nullptr && suspendField->is_boolean() && suspendField->get<bool>();

  const bool perIndex = hasBackoffLimitPerIndex(job);
  Tally t = tally(job, status, pods, indexed, completions, true);
  std::vector<json>& active = t.active;
  const int64_t succeeded = t.succeeded, failed = t.failed;

  std::optional<std::string> startTime;
  if (const json* st = at(status, {"startTime"}); st != nullptr && st->is_string()) {
    startTime = st->get<std::string>();
  }

  // The interim condition, once reached, decides the rest.
  const json* interim = nullptr;
  for (const char* type : {kFailureTarget, kSuccessCriteriaMet}) {
    if (const json* c = findCondition(job, type); c && c->value("status", "") == "True") {
      interim = c;
    }
  }
  json interimCondition;
  if (interim != nullptr) {
    interimCondition = *interim;
  } else {
    int64_t restarts = 0;
    for (const json& pod : active) {
      restarts += restartsOf(pod);
    }
    const json* policy = at(job, {"spec", "template", "spec", "restartPolicy"});
    const bool onFailure = policy != nullptr && policy->is_string() && *policy == "OnFailure";
    const bool pastRestarts =
        onFailure && (backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit);
    const int64_t deadline = intAt(job, {"spec", "activeDeadlineSeconds"}, -1);
    std::optional<TimePoint> started = startTime ? parseTime(*startTime) : std::nullopt;
    const bool complete =
        indexed ? succeeded >= completions
                : (hasCompletions ? succeeded >= completions : succeeded > 0 && active.empty());
    if (!t.failJob.empty()) {
      interimCondition = condition(kFailureTarget, "True", "PodFailurePolicy", t.failJob, now);
    } else if (failed > backoffLimit || pastRestarts) {
      interimCondition = condition(kFailureTarget, "True", "BackoffLimitExceeded",
                                   "Job has reached the specified backoff limit", now);
    } else if (deadline >= 0 && started && !suspend &&
               now - *started >= std::chrono::seconds(deadline)) {
      interimCondition = condition(kFailureTarget, "True", "DeadlineExceeded",
                                   "Job was active longer than specified deadline", now);
    } else if (perIndex && at(job, {"spec", "maxFailedIndexes"}) != nullptr &&
               static_cast<int64_t>(t.indexes.failed.size()) >
                   intAt(job, {"spec", "maxFailedIndexes"})) {
      interimCondition =
          condition(kFailureTarget, "True", "MaxFailedIndexesExceeded",
                    "Job has exceeded the specified maximal number of failed indexes", now);
    } else if (perIndex && !t.indexes.failed.empty() &&
               static_cast<int64_t>(t.indexes.failed.size() + t.completed.size()) >= completions) {
      interimCondition =
          condition(kFailureTarget, "True", "FailedIndexes", "Job has failed indexes", now);
    } else if (auto rule =
                   indexed ? matchSuccessPolicy(job, t.completed, completions) : std::nullopt) {
      interimCondition = condition(kSuccessCriteriaMet, "True", "SuccessPolicy", *rule, now);
    } else if (complete) {
      interimCondition = condition(kSuccessCriteriaMet, "True", "CompletionsReached",
                                   "Reached expected number of succeeded pods", now);
    }
    if (!interimCondition.is_null()) {
      setCondition(status, interimCondition);
      if (interimCondition["type"] == kFailureTarget) {
        d.events.push_back({"Warning", interimCondition.value("reason", ""),
                            interimCondition.value("message", "")});
      }
    }
  }

  if (!interimCondition.is_null() && t.holding) {
    t = tally(job, status, pods, indexed, completions, false);  // a finished Job replaces none
  }
  int64_t terminating = t.terminating;
  d.podsToUntrack = std::move(t.podsToUntrack);
  int64_t activeCount = static_cast<int64_t>(active.size());
  if (!interimCondition.is_null()) {
    // Finished: what still runs goes; the terminal condition waits until it is gone.
    if (canManage) {
      d.podsToDelete = active;
      terminating += activeCount;
      activeCount = 0;
    }
    if (activeCount == 0 && terminating == 0 && t.allCounted && d.podsToUntrack.empty()) {
      const bool success = interimCondition["type"] == kSuccessCriteriaMet;
      setCondition(status, condition(success ? "Complete" : "Failed", "True",
                                     interimCondition.value("reason", ""),
                                     interimCondition.value("message", ""), now));
      if (success) {
        status["completionTime"] = formatTime(now);
        d.events.push_back({"Normal", "Completed", "Job completed"});
      }
    }
  } else if (suspend) {
    if (canManage) {
      d.podsToDelete = active;
      terminating += activeCount;
      activeCount = 0;
    }
    if (!conditionTrue(job, "Suspended")) {
      setCondition(status, condition("Suspended", "True", "JobSuspended", "Job suspended", now));
      d.events.push_back({"Normal", "Suspended", "Job suspended"});
    }
  } else {
    if (conditionTrue(job, "Suspended")) {
      setCondition(status, condition("Suspended", "False", "JobResumed", "Job resumed", now));
      d.events.push_back({"Normal", "Resumed", "Job resumed"});
      startTime.reset();  // the active deadline counts from the resume
    }
    if (!startTime) {
      startTime = formatTime(now);
    }
    const int64_t deadline = intAt(job, {"spec", "activeDeadlineSeconds"}, -1);
    if (deadline >= 0) {
      if (auto started = parseTime(*startTime)) {
        auto left = *started + std::chrono::seconds(deadline) - now;
        d.requeueAfter = std::max(std::chrono::milliseconds(0),
                                  std::chrono::duration_cast<std::chrono::milliseconds>(left));
      }
    }
    // Failed pods are replaced after a backoff that doubles with each failure.
    // With backoffLimitPerIndex each index waits on its own (below).
    bool backingOff = false;
    if (t.lastFailure && !perIndex) {
      auto delay = kBackoffBase * (int64_t{1} << std::min<int64_t>(failed - 1, 6));
      delay = std::min(delay, std::chrono::duration_cast<decltype(delay)>(kBackoffMax));
      if (now < *t.lastFailure + delay) {
        backingOff = true;
        auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(*t.lastFailure + delay - now);
        if (!d.requeueAfter || left < *d.requeueAfter) {
          d.requeueAfter = left;
        }
      }
    }
    if (canManage) {
      if (indexed) {
        int64_t room = std::min<int64_t>(parallelism - activeCount, kMaxPodCreateDeletePerSync);
        std::vector<int64_t> pending;
        for (int64_t i = 0; i < completions && room > 0 && !backingOff; ++i) {
          if (!t.completed.count(i) && !t.activeIndexes.count(i) && !t.indexes.failed.count(i)) {
            pending.push_back(i);
            --room;
          }
        }
        std::optional<std::chrono::milliseconds> wait;
        for (int64_t i : pending) {
          if (!perIndex) {
            d.createIndexes.push_back(i);
            continue;
          }
          auto previous = t.indexes.replaced.find(i);
          const json* follows = previous == t.indexes.replaced.end() ? nullptr : &previous->second;
          if (follows != nullptr) {
            if (auto left = replacementBackoff(*follows, now); left.count() > 0) {
              wait = wait ? std::min(*wait, left) : left;
              continue;
            }
          }
          d.createIndexes.push_back(i);
          d.indexAnnotations[i] = replacementAnnotations(job, follows);
        }
        if (wait && (!d.requeueAfter || *wait < *d.requeueAfter)) {
          d.requeueAfter = wait;
        }
      } else {
        int64_t want = hasCompletions
                           ? std::min(parallelism, std::max<int64_t>(0, completions - succeeded))
                           : (succeeded > 0 ? activeCount : parallelism);
        if (want > activeCount && !backingOff) {
          d.createCount =
              static_cast<int>(std::min<int64_t>(want - activeCount, kMaxPodCreateDeletePerSync));
        } else if (want < activeCount) {
          // Parallelism went down: the newest pods go first, those not ready before.
          std::vector<json> order = active;
          std::stable_sort(order.begin(), order.end(), [](const json& a, const json& b) {
            if (podIsReady(a) != podIsReady(b)) {
              return !podIsReady(a);
            }
            return metaString(a, "creationTimestamp") > metaString(b, "creationTimestamp");
          });
          order.resize(static_cast<size_t>(
              std::min<int64_t>(activeCount - want, kMaxPodCreateDeletePerSync)));
          terminating += static_cast<int64_t>(order.size());
          activeCount -= static_cast<int64_t>(order.size());
          d.podsToDelete = std::move(order);
        }
      }
    }
  }

  if (startTime) {
    status["startTime"] = *startTime;
  }
  setCount(status, "active", activeCount);
  setCount(status, "succeeded", t.countedSucceeded);
  setCount(status, "failed", t.countedFailed);
  status["ready"] = t.ready;
  status["terminating"] = terminating;
  status["uncountedTerminatedPods"] = t.uncounted;
  if (indexed && !t.completed.empty()) {
    status["completedIndexes"] = formatIndexes(t.completed);
  } else {
    status.erase("completedIndexes");
  }
  if (perIndex) {
    status["failedIndexes"] = formatIndexes(t.indexes.failed);
  } else {
    status.erase("failedIndexes");
  }
  d.status = std::move(status);
  return d;
}

}  // namespace tug::controllers::job
