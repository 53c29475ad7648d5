// Pods: the STATUS column follows upstream's printPod step by step, since users read pod
// health from it (Init:0/1, CrashLoopBackOff, Completed, Terminating, ...).
#include <map>
#include <optional>

#include "api/table/builtin_printers.h"
#include "api/table/json_fields.h"

namespace tug::api::table {
namespace {

bool isRestartable(const json* initContainer) {
  return initContainer != nullptr && str(*initContainer, {"restartPolicy"}) == "Always";
}

bool conditionTrue(const json& pod, const std::string& type) {
  for (const json& c : array(pod, {"status", "conditions"})) {
    if (str(c, {"type"}) == type) {
      return str(c, {"status"}) == "True";
    }
  }
  return false;
}

// The latest lastState.terminated.finishedAt seen so far, kept as a time.
struct LastRestart {
  std::optional<TimePoint> at;

  void see(const json& status) {
    const json* finished = field(status, {"lastState", "terminated", "finishedAt"});
    if (field(status, {"lastState", "terminated"}) == nullptr) {
      return;
    }
    auto t = parseTimestamp(str(finished));
    if (t && (!at || *at < *t)) {
      at = t;
    }
  }
};

std::string exitReason(const json& terminated, const std::string& prefix) {
  int64_t signal = integer(terminated, {"signal"});
  if (signal != 0) {
    return prefix + "Signal:" + std::to_string(signal);
  }
  return prefix + "ExitCode:" + std::to_string(integer(terminated, {"exitCode"}));
}

Row podRow(const json& pod, TimePoint now) {
  const json& initSpecs = array(pod, {"spec", "initContainers"});
  int64_t restarts = 0, sidecarRestarts = 0;
  int64_t total = static_cast<int64_t>(array(pod, {"spec", "containers"}).size());
  int64_t ready = 0;
  LastRestart lastRestart, lastSidecarRestart;

  std::string phase = str(pod, {"status", "phase"});
  std::string reason = phase;
  if (std::string r = str(pod, {"status", "reason"}); !r.empty()) {
    reason = r;
  }
  for (const json& c : array(pod, {"status", "conditions"})) {
    if (str(c, {"type"}) == "PodScheduled" && str(c, {"reason"}) == "SchedulingGated") {
      reason = "SchedulingGated";
    }
  }

  Row row;
  if (phase == "Succeeded" || phase == "Failed") {
    row.conditions = json::array({{{"type", "Completed"},
                                   {"status", "True"},
                                   {"reason", phase},
                                   {"message", phase == "Succeeded" ? "Pod succeeded" : "Pod failed"}}});
  }

  std::map<std::string, const json*> initByName;
  for (const json& c : initSpecs) {
    initByName[str(c, {"name"})] = &c;
    if (isRestartable(&c)) {
      ++total;  // sidecars count among the pod's containers
    }
  }
  auto initSpec = [&](const json& status) {
    auto it = initByName.find(str(status, {"name"}));
    return it == initByName.end() ? nullptr : it->second;
  };

  bool initializing = false;
  const json& initStatuses = array(pod, {"status", "initContainerStatuses"});
  for (size_t i = 0; i < initStatuses.size(); ++i) {
    const json& c = initStatuses[i];
    restarts += integer(c, {"restartCount"});
    lastRestart.see(c);
    bool sidecar = isRestartable(initSpec(c));
    if (sidecar) {
      sidecarRestarts += integer(c, {"restartCount"});
      lastSidecarRestart.see(c);
    }
    const json* terminated = field(c, {"state", "terminated"});
    const json* waiting = field(c, {"state", "waiting"});
    if (terminated != nullptr && integer(*terminated, {"exitCode"}) == 0) {
      continue;
    }
    if (sidecar && boolean(c, {"started"})) {
      if (boolean(c, {"ready"})) {
        ++ready;
      }
      continue;
    }
    if (terminated != nullptr) {
      std::string r = str(*terminated, {"reason"});
      reason = r.empty() ? exitReason(*terminated, "Init:") : "Init:" + r;
    } else if (waiting != nullptr && !str(*waiting, {"reason"}).empty() &&
               str(*waiting, {"reason"}) != "PodInitializing") {
      reason = "Init:" + str(*waiting, {"reason"});
    } else {
      reason = "Init:" + std::to_string(i) + "/" + std::to_string(initSpecs.size());
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, "Initialized")) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    bool hasRunning = false;
    const json& statuses = array(pod, {"status", "containerStatuses"});
    for (size_t i = statuses.size(); i-- > 0;) {
      const json& c = statuses[i];
      restarts += integer(c, {"restartCount"});
      lastRestart.see(c);
      const json* terminated = field(c, {"state", "terminated"});
      std::string waitingReason = str(c, {"state", "waiting", "reason"});
      if (!waitingReason.empty()) {
        reason = waitingReason;
      } else if (terminated != nullptr && !str(*terminated, {"reason"}).empty()) {
        reason = str(*terminated, {"reason"});
      } else if (terminated != nullptr) {
        reason = exitReason(*terminated, "");
      } else if (boolean(c, {"ready"}) && field(c, {"state", "running"}) != nullptr) {
        hasRunning = true;
        ++ready;
      }
    }
    // A pod with a container still running is not Completed, whatever the others say.
    if (reason == "Completed" && hasRunning) {
      reason = conditionTrue(pod, "Ready") ? "Running" : "NotReady";
    }
  }

  if (present(pod, {"metadata", "deletionTimestamp"})) {
    if (str(pod, {"status", "reason"}) == "NodeLost") {
      reason = "Unknown";
    } else if (phase != "Succeeded" && phase != "Failed") {
      reason = "Terminating";
    }
  }

  std::string restartCell = std::to_string(restarts);
  if (restarts != 0 && lastRestart.at) {
    restartCell += " (" + humanDuration(now - *lastRestart.at) + " ago)";
  }

  std::string ip = str(array(pod, {"status", "podIPs"}).empty()
                           ? nullptr
                           : field(array(pod, {"status", "podIPs"})[0], {"ip"}));
  std::string gates = "<none>";
  const json& readinessGates = array(pod, {"spec", "readinessGates"});
  if (!readinessGates.empty()) {
    int64_t passing = 0;
    for (const json& gate : readinessGates) {
      if (conditionTrue(pod, str(gate, {"conditionType"}))) {
        ++passing;
      }
    }
    gates = std::to_string(passing) + "/" + std::to_string(readinessGates.size());
  }
  auto none = [](std::string s) { return s.empty() ? std::string("<none>") : s; };
  row.cells = {str(pod, {"metadata", "name"}),
               std::to_string(ready) + "/" + std::to_string(total),
               reason,
               restartCell,
               age(pod, now),
               none(ip),
               none(str(pod, {"spec", "nodeName"})),
               none(str(pod, {"status", "nominatedNodeName"})),
               gates};
  return row;
}

}  // namespace

void addPodPrinters(PrinterEntries& out) {
  out.push_back({"", "pods",
                 makePrinter({nameColumn(),
                              column("Ready", "string", "Ready containers of all containers."),
                              column("Status", "string", "Summary of the pod's state."),
                              column("Restarts", "string",
                                     "Container restarts, and how long ago the last one was."),
                              ageColumn(),
                              column("IP", "string", "The pod's first IP address.", 1),
                              column("Node", "string", "The node the pod runs on.", 1),
                              column("Nominated Node", "string",
                                     "The node preemption made room on for the pod.", 1),
                              column("Readiness Gates", "string",
                                     "Readiness gates that pass, of all of them.", 1)},
                             podRow)});
}

}  // namespace tug::api::table
