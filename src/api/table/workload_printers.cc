// Workload controllers: deployments, replica sets, replication controllers, stateful sets,
// controller revisions, daemon sets, jobs and cron jobs.
#include <cctype>

#include "api/table/builtin_printers.h"
#include "api/table/formatting.h"
#include "api/table/json_fields.h"

namespace tug::api::table {
namespace {

std::string name(const json& obj) { return str(obj, {"metadata", "name"}); }

// spec.replicas; the API defaults it to 1 on create, so an object without it means 1.
int64_t desiredReplicas(const json& obj) { return integer(obj, {"spec", "replicas"}, 1); }

const json& templateContainers(const json& obj) {
  return array(obj, {"spec", "template", "spec", "containers"});
}

std::vector<Column> withTemplateColumns(std::vector<Column> columns, bool selector) {
  columns.push_back(column("Containers", "string", "Container names of the pod template.", 1));
  columns.push_back(column("Images", "string", "Container images of the pod template.", 1));
  if (selector) {
    columns.push_back(column("Selector", "string", "The label selector of the pods.", 1));
  }
  return columns;
}

void appendContainers(Row& row, const json& containers) {
  auto [names, images] = containerCells(containers);
  row.cells.push_back(names);
  row.cells.push_back(images);
}

Row deploymentRow(const json& d, TimePoint now) {
  Row row;
  bool ok = true;
  std::string selector = selectorString(field(d, {"spec", "selector"}), &ok);
  row.cells = {name(d),
               std::to_string(integer(d, {"status", "readyReplicas"})) + "/" +
                   std::to_string(desiredReplicas(d)),
               integer(d, {"status", "updatedReplicas"}),
               integer(d, {"status", "availableReplicas"}),
               age(d, now)};
  appendContainers(row, templateContainers(d));
  row.cells.push_back(ok ? selector : "<invalid>");
  return row;
}

Row replicaSetRow(const json& rs, TimePoint now) {
  Row row;
  row.cells = {name(rs), desiredReplicas(rs), integer(rs, {"status", "replicas"}),
               integer(rs, {"status", "readyReplicas"}), age(rs, now)};
  appendContainers(row, templateContainers(rs));
  row.cells.push_back(formatLabelSelector(field(rs, {"spec", "selector"})));
  return row;
}

Row replicationControllerRow(const json& rc, TimePoint now) {
  Row row;
  row.cells = {name(rc), desiredReplicas(rc), integer(rc, {"status", "replicas"}),
               integer(rc, {"status", "readyReplicas"}), age(rc, now)};
  appendContainers(row, templateContainers(rc));
  row.cells.push_back(formatLabels(object(rc, {"spec", "selector"})));
  return row;
}

Row statefulSetRow(const json& s, TimePoint now) {
  Row row;
  row.cells = {name(s),
               std::to_string(integer(s, {"status", "readyReplicas"})) + "/" +
                   std::to_string(desiredReplicas(s)),
               age(s, now)};
  appendContainers(row, templateContainers(s));
  return row;
}

// "<kind>.<group>/<name>" of the controller reference (upstream's formatResourceName), or
// "<none>".
std::string controllerCell(const json& obj) {
  for (const json& ref : array(obj, {"metadata", "ownerReferences"})) {
    if (!boolean(ref, {"controller"})) {
      continue;
    }
    std::string apiVersion = str(ref, {"apiVersion"});
    size_t slash = apiVersion.find('/');
    std::string kind = str(ref, {"kind"});
    if (slash != std::string::npos) {
      kind += "." + apiVersion.substr(0, slash);
    }
    for (char& c : kind) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return kind + "/" + str(ref, {"name"});
  }
  return "<none>";
}

Row controllerRevisionRow(const json& r, TimePoint now) {
  Row row;
  row.cells = {name(r), controllerCell(r), integer(r, {"revision"}), age(r, now)};
  return row;
}

Row daemonSetRow(const json& ds, TimePoint now) {
  Row row;
  row.cells = {name(ds),
               integer(ds, {"status", "desiredNumberScheduled"}),
               integer(ds, {"status", "currentNumberScheduled"}),
               integer(ds, {"status", "numberReady"}),
               integer(ds, {"status", "updatedNumberScheduled"}),
               integer(ds, {"status", "numberAvailable"}),
               formatLabels(object(ds, {"spec", "template", "spec", "nodeSelector"})),
               age(ds, now)};
  appendContainers(row, templateContainers(ds));
  row.cells.push_back(formatLabelSelector(field(ds, {"spec", "selector"})));
  return row;
}

bool jobCondition(const json& job, const char* type) {
  for (const json& c : array(job, {"status", "conditions"})) {
    if (str(c, {"type"}) == type) {
      return str(c, {"status"}) == "True";
    }
  }
  return false;
}

std::string jobStatus(const json& job) {
  if (jobCondition(job, "Complete")) {
    return "Complete";
  }
  if (jobCondition(job, "Failed")) {
    return "Failed";
  }
  if (present(job, {"metadata", "deletionTimestamp"})) {
    return "Terminating";
  }
  if (jobCondition(job, "Suspended")) {
    return "Suspended";
  }
  if (jobCondition(job, "FailureTarget")) {
    return "FailureTarget";
  }
  return "Running";
}

std::string jobCompletions(const json& job) {
  std::string succeeded = std::to_string(integer(job, {"status", "succeeded"}));
  if (present(job, {"spec", "completions"})) {
    return succeeded + "/" + std::to_string(integer(job, {"spec", "completions"}));
  }
  int64_t parallelism = integer(job, {"spec", "parallelism"});
  if (parallelism > 1) {
    return succeeded + "/1 of " + std::to_string(parallelism);
  }
  return succeeded + "/1";
}

std::string jobDuration(const json& job, TimePoint now) {
  auto start = parseTimestamp(str(job, {"status", "startTime"}));
  if (!start) {
    return "";
  }
  auto end = parseTimestamp(str(job, {"status", "completionTime"}));
  return humanDuration((end ? *end : now) - *start);
}

Row jobRow(const json& job, TimePoint now) {
  Row row;
  row.cells = {name(job), jobStatus(job), jobCompletions(job), jobDuration(job, now),
               age(job, now)};
  appendContainers(row, templateContainers(job));
  row.cells.push_back(formatLabelSelector(field(job, {"spec", "selector"})));
  return row;
}

Row cronJobRow(const json& cj, TimePoint now) {
  Row row;
  std::string lastSchedule = "<none>";
  if (present(cj, {"status", "lastScheduleTime"})) {
    lastSchedule = since(field(cj, {"status", "lastScheduleTime"}), now);
  }
  std::string suspend = "<unset>";
  if (const json* s = field(cj, {"spec", "suspend"}); s != nullptr && s->is_boolean()) {
    suspend = s->get<bool>() ? "True" : "False";
  }
  std::string timeZone = "<none>";
  if (present(cj, {"spec", "timeZone"})) {
    timeZone = str(cj, {"spec", "timeZone"});
  }
  row.cells = {name(cj),   str(cj, {"spec", "schedule"}), timeZone,     suspend,
               size(cj, {"status", "active"}),           lastSchedule, age(cj, now)};
  const json& jobTemplate = object(cj, {"spec", "jobTemplate"});
  appendContainers(row, templateContainers(jobTemplate));
  row.cells.push_back(formatLabelSelector(field(jobTemplate, {"spec", "selector"})));
  return row;
}

}  // namespace

void addWorkloadPrinters(PrinterEntries& out) {
  out.push_back(
      {"apps", "deployments",
       makePrinter(withTemplateColumns(
                       {nameColumn(), column("Ready", "string", "Ready pods of those desired."),
                        column("Up-to-date", "string", "Pods running the latest template."),
                        column("Available", "string", "Pods available to serve."), ageColumn()},
                       true),
                   deploymentRow)});
  std::vector<Column> replicaColumns = {
      nameColumn(), column("Desired", "integer", "Pods wanted."),
      column("Current", "integer", "Pods that exist."),
      column("Ready", "integer", "Pods that are ready."), ageColumn()};
  out.push_back({"apps", "replicasets",
                 makePrinter(withTemplateColumns(replicaColumns, true), replicaSetRow)});
  out.push_back({"", "replicationcontrollers",
                 makePrinter(withTemplateColumns(replicaColumns, true), replicationControllerRow)});
  out.push_back(
      {"apps", "statefulsets",
       makePrinter(withTemplateColumns({nameColumn(),
                                        column("Ready", "string", "Ready pods of those desired."),
                                        ageColumn()},
                                       false),
                   statefulSetRow)});
  out.push_back({"apps", "controllerrevisions",
                 makePrinter({nameColumn(),
                              column("Controller", "string", "Controller of the object"),
                              column("Revision", "string", "Revision of the ControllerRevision"),
                              ageColumn()},
                             controllerRevisionRow)});
  out.push_back(
      {"apps", "daemonsets",
       makePrinter(
           withTemplateColumns(
               {nameColumn(), column("Desired", "integer", "Nodes that should run the pod."),
                column("Current", "integer", "Nodes that run the pod."),
                column("Ready", "integer", "Nodes where the pod is ready."),
                column("Up-to-date", "integer", "Nodes running the latest template."),
                column("Available", "integer", "Nodes where the pod is available."),
                column("Node Selector", "string", "Labels a node needs to run the pod."),
                ageColumn()},
               true),
           daemonSetRow)});
  out.push_back(
      {"batch", "jobs",
       makePrinter(withTemplateColumns(
                       {nameColumn(), column("Status", "string", "Where the job stands."),
                        column("Completions", "string", "Pods that succeeded of those needed."),
                        column("Duration", "string", "How long the job ran."), ageColumn()},
                       true),
                   jobRow)});
  out.push_back(
      {"batch", "cronjobs",
       makePrinter(
           withTemplateColumns(
               {nameColumn(), column("Schedule", "string", "The cron schedule."),
                column("Timezone", "string", "The time zone of the schedule."),
                column("Suspend", "boolean", "Whether new runs are held back."),
                column("Active", "integer", "Jobs running now."),
                column("Last Schedule", "string", "Time since a job was last started."),
                ageColumn()},
               true),
           cronJobRow)});
}

}  // namespace tug::api::table
