#include "controllers/podgc/pod_gc_controller.h"

#include <set>

#include "common/log.h"
#include "common/rfc3339.h"
#include "controllers/podgc/pod_gc_logic.h"

namespace tug::controllers {
namespace {

using client::json;

constexpr const char* kLog = "pod-garbage-collector";
constexpr const char* kNodeGone = "PodGC: node no longer exists";

const client::Resource kPods{"", "v1", "pods", true};
const client::Resource kNodes{"", "v1", "nodes", false};

std::string meta(const json& obj, const char* key) {
  return obj.value("metadata", json::object()).value(key, "");
}

std::string nodeNameOf(const json& pod) {
  return pod.value("spec", json::object()).value("nodeName", "");
}

}  // namespace

PodGcController::PodGcController(client::Client& client, client::SharedInformers& informers,
                                 PodGcOptions options)
    : client_(client),
      options_(options),
      pods_(informers.get(kPods)),
      nodes_(informers.get(kNodes)) {}

PodGcController::~PodGcController() { stop(); }

void PodGcController::start() {
  if (thread_.joinable()) {
    return;
  }
  thread_ = std::thread([this] { run(); });
}

void PodGcController::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void PodGcController::run() {
  for (client::Informer* i : {&pods_, &nodes_}) {
    while (!i->waitForSync(std::chrono::milliseconds(200))) {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) {
        return;
      }
    }
  }
  std::unique_lock<std::mutex> lock(mu_);
  while (!wake_.wait_for(lock, options_.period, [this] { return stopping_; })) {
    lock.unlock();
    collect();
    lock.lock();
  }
}

void PodGcController::collect() {
  std::vector<json> pods = pods_.list();
  collectTerminated(pods);
  collectOrphaned(pods);
  collectUnscheduledTerminating(pods);
}

void PodGcController::collectTerminated(const std::vector<json>& pods) {
  std::vector<json> doomed = podgc::terminatedToDelete(pods, options_.terminatedPodThreshold);
  if (!doomed.empty()) {
    TUG_LOG(kInfo, kLog) << "deleting " << doomed.size() << " finished pods beyond the threshold of "
                         << options_.terminatedPodThreshold;
  }
  for (const json& pod : doomed) {
    forceDelete(pod);
  }
}

void PodGcController::collectOrphaned(const std::vector<json>& pods) {
  std::set<std::string> known;
  for (const json& node : nodes_.list()) {
    known.insert(meta(node, "name"));
  }
  const std::set<std::string> missing = podgc::missingNodes(pods, known);
  const auto now = std::chrono::steady_clock::now();
  for (auto it = missingSince_.begin(); it != missingSince_.end();) {
    it = missing.count(it->first) ? std::next(it) : missingSince_.erase(it);
  }
  std::set<std::string> gone;
  for (const std::string& node : missing) {
    auto [it, fresh] = missingSince_.try_emplace(node, now);
    if (fresh || now - it->second < options_.quarantine) {
      continue;
    }
    // The cache may lag: only the API's answer says the node is gone.
    auto read = client_.get(kNodes, "", node);
    if (read.ok()) {
      missingSince_.erase(node);
    } else if (read.status().code() == Code::kNotFound) {
      gone.insert(node);
    }
  }
  for (const json& pod : pods) {
    if (gone.count(nodeNameOf(pod))) {
      TUG_LOG(kInfo, kLog) << "deleting pod " << meta(pod, "namespace") << "/"
                           << meta(pod, "name") << " of the deleted node " << nodeNameOf(pod);
      failAndDelete(pod, kNodeGone);
    }
  }
}

void PodGcController::collectUnscheduledTerminating(const std::vector<json>& pods) {
  for (const json& pod : podgc::unscheduledTerminating(pods)) {
    forceDelete(pod);
  }
}

void PodGcController::failAndDelete(const json& pod, const std::string& message) {
  json status = podgc::failedStatus(pod, message, formatRfc3339(std::chrono::system_clock::now()));
  if (!status.is_null()) {
    json body = {{"status", status}};
    auto written = client_.patch(kPods, meta(pod, "namespace"), meta(pod, "name"),
                                 client::PatchType::kMerge, body.dump(), "status");
    if (!written.ok() && written.status().code() != Code::kNotFound) {
      TUG_LOG(kWarn, kLog) << "marking pod " << meta(pod, "name")
                           << " failed: " << written.status().message();
      return;  // the next pass tries again
    }
  }
  forceDelete(pod);
}

void PodGcController::forceDelete(const json& pod) {
  json options = {{"gracePeriodSeconds", 0},
                  {"preconditions", {{"uid", meta(pod, "uid")}}}};
  auto removed = client_.remove(kPods, meta(pod, "namespace"), meta(pod, "name"), options);
  if (!removed.ok() && removed.status().code() != Code::kNotFound &&
      removed.status().code() != Code::kConflict) {
    TUG_LOG(kWarn, kLog) << "deleting pod " << meta(pod, "name") << ": "
                         << removed.status().message();
  }
}

}  // namespace tug::controllers
