#include "hollow_kubelet.h"

#include <ctime>
#include <iostream>
#include <optional>
#include <sstream>

namespace tug::hollow {
namespace {

const client::Resource kNodes{"", "v1", "nodes", false};
const client::Resource kPods{"", "v1", "pods", true};
const client::Resource kLeases{"coordination.k8s.io", "v1", "leases", true};
constexpr const char* kLeaseNamespace = "kube-node-lease";

std::string metaOf(const json& obj, const char* key) {
  const json meta = obj.value("metadata", json::object());
  auto it = meta.find(key);
  return it != meta.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string nodeOf(const json& pod) {
  const json spec = pod.value("spec", json::object());
  auto it = spec.find("nodeName");
  return it != spec.end() && it->is_string() ? it->get<std::string>() : "";
}

bool deleting(const json& pod) {
  const json meta = pod.value("metadata", json::object());
  auto it = meta.find("deletionTimestamp");
  return it != meta.end() && !it->is_null();
}

// Running with a pod IP and Ready: what this fleet reports; nothing more to do.
bool reportedRunning(const json& pod) {
  const json status = pod.value("status", json::object());
  if (status.value("phase", "") != "Running" || !status.contains("podIP")) {
    return false;
  }
  for (const json& c : status.value("conditions", json::array())) {
    if (c.value("type", "") == "Ready") {
      return c.value("status", "") == "True";
    }
  }
  return false;
}

bool finished(const json& pod) {
  std::string phase = pod.value("status", json::object()).value("phase", "");
  return phase == "Succeeded" || phase == "Failed";
}

// A pod annotated hollow.tug.dev/exit-after-seconds: "N" finishes N seconds after its start:
// Succeeded, or Failed when hollow.tug.dev/exit-code is not "0" (whatever its restartPolicy).
// For the pods of an Indexed Job, hollow.tug.dev/exit-indexes: "0,2" lets only the listed
// completion indexes finish (the others run until deleted), and hollow.tug.dev/fail-indexes:
// "1,3" makes only the listed ones fail (exit code 1 unless exit-code says otherwise).
constexpr const char* kExitAfter = "hollow.tug.dev/exit-after-seconds";
constexpr const char* kExitCode = "hollow.tug.dev/exit-code";
constexpr const char* kExitIndexes = "hollow.tug.dev/exit-indexes";
constexpr const char* kFailIndexes = "hollow.tug.dev/fail-indexes";
constexpr const char* kCompletionIndex = "batch.kubernetes.io/job-completion-index";

std::optional<int> annotationInt(const json& pod, const char* key) {
  const json meta = pod.value("metadata", json::object());
  const json annotations = meta.value("annotations", json::object());
  auto it = annotations.find(key);
  if (it == annotations.end() || !it->is_string()) {
    return std::nullopt;
  }
  try {
    return std::stoi(it->get<std::string>());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Whether the pod's completion index is in the list the annotation `key` holds; nullopt when
// the pod has no such annotation.
std::optional<bool> indexListed(const json& pod, const char* key) {
  const json annotations =
      pod.value("metadata", json::object()).value("annotations", json::object());
  auto listed = annotations.find(key);
  if (listed == annotations.end() || !listed->is_string()) {
    return std::nullopt;
  }
  auto index = annotations.find(kCompletionIndex);
  if (index == annotations.end() || !index->is_string()) {
    return false;
  }
  std::stringstream list(listed->get<std::string>());
  for (std::string item; std::getline(list, item, ',');) {
    if (item == index->get<std::string>()) {
      return true;
    }
  }
  return false;
}

int exitCodeOf(const json& pod) {
  auto failing = indexListed(pod, kFailIndexes);
  if (!failing) {
    return annotationInt(pod, kExitCode).value_or(0);
  }
  return *failing ? annotationInt(pod, kExitCode).value_or(1) : 0;
}

// How long until a running pod's containers exit, when the pod asks for that.
std::optional<std::chrono::milliseconds> untilExit(const json& pod, TimePoint now) {
  auto after = annotationInt(pod, kExitAfter);
  if (indexListed(pod, kExitIndexes) == std::optional<bool>(false)) {
    return std::nullopt;
  }
  const std::string start = pod.value("status", json::object()).value("startTime", "");
  std::tm tm{};
  if (!after || strptime(start.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) {
    return std::nullopt;
  }
  TimePoint due = std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::seconds(*after);
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(due - now));
}

}  // namespace

Fleet::Fleet(client::Client& client, FleetOptions options)
    : client_(client),
      options_(std::move(options)),
      pods_(client, kPods, "", client::ListOptions{"", "spec.nodeName!="}) {
  for (int i = 0; i < options_.nodes; ++i) {
    Node n;
    n.name = options_.prefix + std::to_string(i);
    n.index = i;
    nodes_.emplace(n.name, std::move(n));
  }
  pods_.omitManagedFields();
  auto changed = [this](const json& pod) { podChanged(pod); };
  handlers_ = pods_.addHandlers(
      client::EventHandlers{changed, [changed](const json&, const json& now) { changed(now); },
                            [this](const json& pod) {
                              std::lock_guard<std::mutex> lock(mu_);
                              podIps_.erase(metaOf(pod, "uid"));
                            }});
}

Fleet::~Fleet() { stop(); }

std::vector<std::string> Fleet::nodeNames() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> names;
  for (const auto& [name, node] : nodes_) {
    names.push_back(name);
  }
  return names;
}

Status Fleet::start() {
  // Registration goes node by node from this thread: nothing else runs yet.
  const auto now = std::chrono::steady_clock::now();
  for (auto& [name, node] : nodes_) {
    if (Status s = registerNode(node); !s.isOk()) {
      return s.wrap("registering node " + name);
    }
    // Spread the heartbeats over the interval instead of sending them all at once.
    node.nextLease = now + options_.leaseInterval * (node.index + 1) / (options_.nodes + 1);
    node.nextStatus = now + options_.statusInterval;
  }
  pods_.start();
  heartbeat_ = std::thread([this] { heartbeatLoop(); });
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this] { work(); });
  }
  return Status::ok();
}

bool Fleet::waitForSync(std::chrono::milliseconds timeout) { return pods_.waitForSync(timeout); }

void Fleet::stop() {
  stopping_ = true;
  queue_.shutDown();
  for (auto& w : workers_) {
    if (w.joinable()) {
      w.join();
    }
  }
  workers_.clear();
  if (heartbeat_.joinable()) {
    heartbeat_.join();
  }
  pods_.stop();
}

bool Fleet::setAlive(const std::string& name, bool alive) {
  std::vector<std::string> resumed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = nodes_.find(name);
    if (it == nodes_.end()) {
      return false;
    }
    const bool wasAlive = it->second.alive;
    it->second.alive = alive;
    if (alive && !wasAlive) {
      // Back at once, as a restarted kubelet is: lease and status now, then its pods.
      it->second.nextLease = std::chrono::steady_clock::now();
      it->second.nextStatus = std::chrono::steady_clock::now();
    }
  }
  if (alive) {
    for (const json& pod : pods_.list()) {
      if (nodeOf(pod) == name) {
        podChanged(pod);
      }
    }
  }
  return true;
}

Status Fleet::registerNode(Node& node) {
  auto created = client_.create(kNodes, "", nodeObject(node.name, node.index));
  Result<json> current = created;
  if (!created.ok() && created.status().code() == Code::kAlreadyExists) {
    current = client_.get(kNodes, "", node.name);
  }
  if (!current.ok()) {
    return current.status();
  }
  node.uid = metaOf(*current, "uid");
  node.registered = std::chrono::system_clock::now();
  json withStatus = *current;
  withStatus["status"] =
      nodeStatus(node.name, node.index, options_.shape, node.registered, node.registered);
  auto updated = client_.update(kNodes, "", withStatus, "status");
  if (!updated.ok()) {
    return updated.status();
  }
  return renewLease(node);
}

Status Fleet::renewLease(Node& node) {
  const auto now = std::chrono::system_clock::now();
  if (!node.lease.is_object()) {
    auto got = client_.get(kLeases, kLeaseNamespace, node.name);
    if (got.ok()) {
      node.lease = *got;
    } else if (got.status().code() == Code::kNotFound) {
      auto created = client_.create(kLeases, kLeaseNamespace, leaseObject(node.name, node.uid, now));
      if (!created.ok()) {
        return created.status();
      }
      node.lease = *created;
      return Status::ok();
    } else {
      return got.status();
    }
  }
  json next = node.lease;
  next["spec"]["renewTime"] = microTime(now);
  next["spec"]["holderIdentity"] = node.name;
  auto updated = client_.update(kLeases, kLeaseNamespace, next);
  if (!updated.ok()) {
    node.lease = json();  // read it again next time
    return updated.status();
  }
  node.lease = *updated;
  return Status::ok();
}

Status Fleet::reportStatus(Node& node) {
  json patch = {{"status", nodeStatus(node.name, node.index, options_.shape,
                                      std::chrono::system_clock::now(), node.registered)}};
  auto r = client_.patch(kNodes, "", node.name, client::PatchType::kMerge, patch.dump(), "status");
  return r.status();
}

void Fleet::heartbeatLoop() {
  while (!stopping_) {
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::string> due;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& [name, node] : nodes_) {
        if (node.alive && (node.nextLease <= now || node.nextStatus <= now)) {
          due.push_back(name);
        }
      }
    }
    for (const std::string& name : due) {
      if (stopping_) {
        return;
      }
      // The node's fields are touched only by this thread (and setAlive's times, under mu_).
      Node* node;
      bool lease, status;
      {
        std::lock_guard<std::mutex> lock(mu_);
        node = &nodes_.at(name);
        lease = node->nextLease <= now;
        status = node->nextStatus <= now;
        if (lease) {
          node->nextLease = now + options_.leaseInterval;
        }
        if (status) {
          node->nextStatus = now + options_.statusInterval;
        }
      }
      if (lease) {
        if (Status s = renewLease(*node); !s.isOk()) {
          std::cerr << "hollow-nodes: lease of " << name << ": " << s.message() << std::endl;
        }
      }
      if (status) {
        if (Status s = reportStatus(*node); !s.isOk()) {
          std::cerr << "hollow-nodes: status of " << name << ": " << s.message() << std::endl;
        }
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void Fleet::podChanged(const json& pod) {
  const std::string node = nodeOf(pod);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = nodes_.find(node);
    if (it == nodes_.end() || !it->second.alive) {
      return;
    }
  }
  if (deleting(pod) || (!reportedRunning(pod) && !finished(pod)) ||
      (reportedRunning(pod) && annotationInt(pod, kExitAfter))) {
    queue_.add(client::keyOf(metaOf(pod, "namespace"), metaOf(pod, "name")));
  }
}

void Fleet::work() {
  // A stopping fleet leaves the queued pods, as a stopping kubelet would.
  while (auto key = queue_.get()) {
    if (stopping_) {
      queue_.done(*key);
      break;
    }
    Status s;
    try {
      s = handlePod(*key);
    } catch (const std::exception& e) {
      s = internalError(e.what());
    }
    if (s.isOk() || s.code() == Code::kNotFound) {
      queue_.forget(*key);
    } else {
      std::cerr << "hollow-nodes: pod " << *key << ": " << s.message() << std::endl;
      queue_.addRateLimited(*key);
    }
    queue_.done(*key);
  }
}

Status Fleet::handlePod(const std::string& key) {
  auto [ns, name] = client::splitKey(key);
  auto pod = pods_.get(ns, name);
  if (!pod) {
    return Status::ok();
  }
  std::string hostIp, ip;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = nodes_.find(nodeOf(*pod));
    if (it == nodes_.end() || !it->second.alive) {
      return Status::ok();
    }
    hostIp = nodeIp(it->second.index);
    const std::string uid = metaOf(*pod, "uid");
    auto known = podIps_.find(uid);
    if (known == podIps_.end()) {
      known = podIps_.emplace(uid, podIp(it->second.index, it->second.nextIp++)).first;
    }
    ip = known->second;
  }
  if (deleting(*pod)) {
    json options = {{"gracePeriodSeconds", 0},
                    {"preconditions", {{"uid", metaOf(*pod, "uid")}}}};
    auto r = client_.remove(kPods, ns, name, options);
    return r.ok() || r.status().code() == Code::kConflict ? Status::ok() : r.status();
  }
  if (finished(*pod)) {
    return Status::ok();
  }
  const TimePoint now = std::chrono::system_clock::now();
  if (reportedRunning(*pod)) {
    auto wait = untilExit(*pod, now);
    if (!wait) {
      return Status::ok();
    }
    if (wait->count() > 0) {
      queue_.addAfter(key, *wait);
      return Status::ok();
    }
    json patch = {{"status", finishedPodStatus(*pod, exitCodeOf(*pod), now)}};
    return client_.patch(kPods, ns, name, client::PatchType::kMerge, patch.dump(), "status")
        .status();
  }
  json patch = {{"status", runningPodStatus(*pod, hostIp, ip, std::chrono::system_clock::now())}};
  auto r = client_.patch(kPods, ns, name, client::PatchType::kMerge, patch.dump(), "status");
  return r.status();
}

}  // namespace tug::hollow
