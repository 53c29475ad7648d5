// Cluster-level objects and small namespaced ones: nodes, namespaces, leases, priority
// classes, resource quotas, config maps, secrets and service accounts.
#include <algorithm>
#include <set>

#include "api/table/builtin_printers.h"
#include "api/table/formatting.h"
#include "api/table/json_fields.h"

namespace tug::api::table {
namespace {

std::string name(const json& obj) { return str(obj, {"metadata", "name"}); }

std::string nodeStatus(const json& node) {
  std::vector<std::string> status;
  for (const json& c : array(node, {"status", "conditions"})) {
    if (str(c, {"type"}) == "Ready") {
      status = {str(c, {"status"}) == "True" ? "Ready" : "NotReady"};
    }
  }
  if (status.empty()) {
    status.push_back("Unknown");
  }
  if (boolean(node, {"spec", "unschedulable"})) {
    status.push_back("SchedulingDisabled");
  }
  return join(status, ",");
}

// Roles from node-role.kubernetes.io/<role> labels and the older kubernetes.io/role=<role>,
// sorted (upstream's order is a set's, i.e. unspecified).
std::string nodeRoles(const json& node) {
  static const std::string kPrefix = "node-role.kubernetes.io/";
  std::set<std::string> roles;
  const json& labels = object(node, {"metadata", "labels"});
  for (auto it = labels.begin(); it != labels.end(); ++it) {
    if (it.key().rfind(kPrefix, 0) == 0 && it.key().size() > kPrefix.size()) {
      roles.insert(it.key().substr(kPrefix.size()));
    } else if (it.key() == "kubernetes.io/role" && !str(&it.value()).empty()) {
      roles.insert(str(&it.value()));
    }
  }
  return orNone(join(std::vector<std::string>(roles.begin(), roles.end()), ","));
}

std::string nodeAddress(const json& node, const char* type) {
  for (const json& a : array(node, {"status", "addresses"})) {
    if (str(a, {"type"}) == type) {
      return str(a, {"address"});
    }
  }
  return "<none>";
}

std::string orUnknown(const std::string& s) { return s.empty() ? "<unknown>" : s; }

Row nodeRow(const json& node, TimePoint now) {
  const json& info = object(node, {"status", "nodeInfo"});
  Row row;
  row.cells = {name(node),
               nodeStatus(node),
               nodeRoles(node),
               age(node, now),
               str(info, {"kubeletVersion"}),
               nodeAddress(node, "InternalIP"),
               nodeAddress(node, "ExternalIP"),
               orUnknown(str(info, {"osImage"})),
               orUnknown(str(info, {"kernelVersion"})),
               orUnknown(str(info, {"containerRuntimeVersion"}))};
  return row;
}

Row namespaceRow(const json& ns, TimePoint now) {
  Row row;
  row.cells = {name(ns), str(ns, {"status", "phase"}), age(ns, now)};
  return row;
}

Row leaseRow(const json& lease, TimePoint now) {
  Row row;
  row.cells = {name(lease), str(lease, {"spec", "holderIdentity"}), age(lease, now)};
  return row;
}

Row priorityClassRow(const json& pc, TimePoint now) {
  Row row;
  row.cells = {name(pc), integer(pc, {"value"}), boolean(pc, {"globalDefault"}), age(pc, now),
               str(pc, {"preemptionPolicy"})};
  return row;
}

std::string quantity(const json* q) {
  std::string s = intOrString(q);
  return s.empty() ? "0" : s;
}

// "<resource>: <used>/<hard>" for each hard limit in name order; limits.* go to the Limit
// column, the rest to Request.
Row resourceQuotaRow(const json& rq, TimePoint now) {
  const json& hard = object(rq, {"status", "hard"});
  const json& used = object(rq, {"status", "used"});
  std::vector<std::string> requests, limits;
  for (auto it = hard.begin(); it != hard.end(); ++it) {
    auto u = used.find(it.key());
    std::string entry = it.key() + ": " + quantity(u == used.end() ? nullptr : &*u) + "/" +
                        quantity(&it.value());
    (it.key().rfind("limits.", 0) == 0 ? limits : requests).push_back(entry);
  }
  Row row;
  row.cells = {name(rq), age(rq, now), join(requests, ", "), join(limits, ", ")};
  return row;
}

Row configMapRow(const json& cm, TimePoint now) {
  Row row;
  row.cells = {name(cm), size(cm, {"data"}) + size(cm, {"binaryData"}), age(cm, now)};
  return row;
}

Row secretRow(const json& s, TimePoint now) {
  Row row;
  row.cells = {name(s), str(s, {"type"}), size(s, {"data"}), age(s, now)};
  return row;
}

Row serviceAccountRow(const json& sa, TimePoint now) {
  Row row;
  row.cells = {name(sa), size(sa, {"secrets"}), age(sa, now)};
  return row;
}

}  // namespace

void addClusterPrinters(PrinterEntries& out) {
  out.push_back(
      {"", "nodes",
       makePrinter({nameColumn(), column("Status", "string", "Whether the node is ready."),
                    column("Roles", "string", "The node's roles, from its labels."), ageColumn(),
                    column("Version", "string", "The kubelet's version."),
                    column("Internal-IP", "string", "The node's internal address.", 1),
                    column("External-IP", "string", "The node's external address.", 1),
                    column("OS-Image", "string", "The operating system.", 1),
                    column("Kernel-Version", "string", "The kernel's version.", 1),
                    column("Container-Runtime", "string", "The container runtime.", 1)},
                   nodeRow)});
  out.push_back(
      {"", "namespaces",
       makePrinter({nameColumn(), column("Status", "string", "Active or Terminating."), ageColumn()},
                   namespaceRow)});
  out.push_back({"coordination.k8s.io", "leases",
                 makePrinter({nameColumn(),
                              column("Holder", "string", "Who holds the lease."), ageColumn()},
                             leaseRow)});
  out.push_back(
      {"scheduling.k8s.io", "priorityclasses",
       makePrinter({nameColumn(), column("Value", "integer", "The priority of its pods."),
                    column("Global-Default", "boolean", "Whether pods get it by default."),
                    ageColumn(),
                    column("PreemptionPolicy", "string", "Whether its pods preempt others.")},
                   priorityClassRow)});
  out.push_back(
      {"", "resourcequotas",
       makePrinter({nameColumn(), ageColumn(),
                    column("Request", "string", "Used of allowed, for requests and counts."),
                    column("Limit", "string", "Used of allowed, for limits.")},
                   resourceQuotaRow)});
  out.push_back(
      {"", "configmaps",
       makePrinter({nameColumn(), column("Data", "string", "Number of keys."), ageColumn()},
                   configMapRow)});
  out.push_back({"", "secrets",
                 makePrinter({nameColumn(), column("Type", "string", "The secret's type."),
                              column("Data", "string", "Number of keys."), ageColumn()},
                             secretRow)});
  out.push_back(
      {"", "serviceaccounts",
       makePrinter({nameColumn(), column("Secrets", "string", "Number of secrets listed."),
                    ageColumn()},
                   serviceAccountRow)});
}

}  // namespace tug::api::table
