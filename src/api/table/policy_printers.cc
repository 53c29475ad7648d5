// Pod disruption budgets and horizontal pod autoscalers.
#include "api/table/builtin_printers.h"
#include "api/table/formatting.h"
#include "api/table/json_fields.h"

namespace tug::api::table {
namespace {

std::string orNA(const json* v) { return v == nullptr || v->is_null() ? "N/A" : intOrString(v); }

Row disruptionBudgetRow(const json& pdb, TimePoint now) {
  Row row;
  row.cells = {str(pdb, {"metadata", "name"}), orNA(field(pdb, {"spec", "minAvailable"})),
               orNA(field(pdb, {"spec", "maxUnavailable"})),
               integer(pdb, {"status", "disruptionsAllowed"}), age(pdb, now)};
  return row;
}

std::string quantity(const json* q) { return intOrString(q); }

std::string percent(const json* v) { return std::to_string(v->get<int64_t>()) + "%"; }

// The current value of metric `i` at `path` below its status entry, or "<unknown>".
std::string current(const json& statuses, size_t i, std::initializer_list<std::string_view> path) {
  if (i >= statuses.size()) {
    return "<unknown>";
  }
  const json* v = field(statuses[i], path);
  return v == nullptr || v->is_null() ? "<unknown>" : quantity(v);
}

// "cpu: 40%/80%", "<current>/<target> (avg)", ... for the first two metrics, then how many more.
std::string hpaTargets(const json& hpa) {
  const json& specs = array(hpa, {"spec", "metrics"});
  const json& statuses = array(hpa, {"status", "currentMetrics"});
  if (specs.empty()) {
    return "<none>";
  }
  std::vector<std::string> list;
  for (size_t i = 0; i < specs.size(); ++i) {
    const json& spec = specs[i];
    std::string type = str(spec, {"type"});
    if (type == "External" || type == "Object") {
      std::string key = type == "External" ? "external" : "object";
      const json& target = object(spec, {key, "target"});
      if (present(target, {"averageValue"})) {
        list.push_back(current(statuses, i, {key, "current", "averageValue"}) + "/" +
                       quantity(field(target, {"averageValue"})) + " (avg)");
      } else {
        list.push_back(current(statuses, i, {key, "current", "value"}) + "/" +
                       quantity(field(target, {"value"})));
      }
    } else if (type == "Pods") {
      list.push_back(current(statuses, i, {"pods", "current", "averageValue"}) + "/" +
                     quantity(field(spec, {"pods", "target", "averageValue"})));
    } else if (type == "Resource" || type == "ContainerResource") {
      std::string key = type == "Resource" ? "resource" : "containerResource";
      const json& target = object(spec, {key, "target"});
      std::string resource = str(spec, {key, "name"});
      if (present(target, {"averageValue"})) {
        list.push_back(resource + ": " + current(statuses, i, {key, "current", "averageValue"}) +
                       "/" + quantity(field(target, {"averageValue"})));
      } else {
        std::string now = "<unknown>";
        if (i < statuses.size()) {
          const json* u = field(statuses[i], {key, "current", "averageUtilization"});
          if (u != nullptr && u->is_number_integer()) {
            now = percent(u);
          }
        }
        const json* t = field(target, {"averageUtilization"});
        std::string goal = t != nullptr && t->is_number_integer() ? percent(t) : "<auto>";
        list.push_back(resource + ": " + now + "/" + goal);
      }
    } else {
      list.push_back("<unknown type>");
    }
  }
  const size_t max = 2;
  if (list.size() > max) {
    size_t more = list.size() - max;
    list.resize(max);
    return join(list, ", ") + " + " + std::to_string(more) + " more...";
  }
  return join(list, ", ");
}

Row autoscalerRow(const json& hpa, TimePoint now) {
  std::string minPods = "<unset>";
  if (present(hpa, {"spec", "minReplicas"})) {
    minPods = std::to_string(integer(hpa, {"spec", "minReplicas"}));
  }
  Row row;
  row.cells = {str(hpa, {"metadata", "name"}),
               str(hpa, {"spec", "scaleTargetRef", "kind"}) + "/" +
                   str(hpa, {"spec", "scaleTargetRef", "name"}),
               hpaTargets(hpa),
               minPods,
               integer(hpa, {"spec", "maxReplicas"}),
               integer(hpa, {"status", "currentReplicas"}),
               age(hpa, now)};
  return row;
}

// A Scale (the scale subresource): desired and current replicas of its parent.
Row scaleRow(const json& scale, TimePoint now) {
  Row row;
  row.cells = {str(scale, {"metadata", "name"}), integer(scale, {"spec", "replicas"}),
               integer(scale, {"status", "replicas"}), age(scale, now)};
  return row;
}

}  // namespace

void addPolicyPrinters(PrinterEntries& out) {
  out.push_back(
      {"policy", "poddisruptionbudgets",
       makePrinter({nameColumn(), column("Min Available", "string", "Pods that must stay up."),
                    column("Max Unavailable", "string", "Pods that may be down."),
                    column("Allowed Disruptions", "integer", "Pods that may be evicted now."),
                    ageColumn()},
                   disruptionBudgetRow)});
  std::vector<Column> hpaColumns = {
      nameColumn(),
      column("Reference", "string", "The object scaled."),
      column("Targets", "string", "Current and target values of the metrics."),
      column("MinPods", "string", "The fewest replicas."),
      column("MaxPods", "string", "The most replicas."),
      column("Replicas", "string", "Replicas now."),
      ageColumn()};
  out.push_back({"autoscaling", "horizontalpodautoscalers", makePrinter(hpaColumns, autoscalerRow)});
  // Not a resource of its own: the printer of every <resource>/scale subresource.
  out.push_back({"autoscaling", "scale",
                 makePrinter({nameColumn(), column("Desired", "integer", "Replicas wanted."),
                              column("Available", "integer", "Replicas there."), ageColumn()},
                             scaleRow)});
}

}  // namespace tug::api::table
