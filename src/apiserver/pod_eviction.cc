#include "apiserver/pod_eviction.h"

#include <optional>
#include <string>
#include <vector>

#include "api/disruption_budget.h"
#include "apiserver/object_meta.h"
#include "apiserver/resource_errors.h"
#include "apiserver/status_response.h"
#include "common/label_selector.h"

namespace tug::apiserver {
namespace {

using nlohmann::json;

// Conflicting writers are retried this often, as upstream's EvictionsRetry (20 steps).
constexpr int kAttempts = 20;
// Above this many evictions not yet seen by the disruption controller, evictions stop.
constexpr size_t kMaxDisruptedPods = 2000;
constexpr const char* kViolation = "Cannot evict pod as it would violate the pod's disruption budget.";

json successStatus() {
  return {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", json::object()},
          {"status", "Success"}, {"code", 201}};
}

Reply tooManyRequests(const std::string& cause, int retryAfterSeconds) {
  json details = {{"causes", {{{"reason", "DisruptionBudget"}, {"message", cause}}}}};
  if (retryAfterSeconds > 0) {
    details["retryAfterSeconds"] = retryAfterSeconds;
  }
  return Reply{429, {{"kind", "Status"},
                     {"apiVersion", "v1"},
                     {"metadata", json::object()},
                     {"status", "Failure"},
                     {"message", kViolation},
                     {"reason", "TooManyRequests"},
                     {"details", std::move(details)},
                     {"code", 429}}};
}

// The budget's status is older than its spec: the controller has yet to catch up.
Reply budgetBeingProcessed(const std::string& budget) {
  return tooManyRequests("The disruption budget " + budget +
                             " is still being processed by the server.",
                         10);
}

Reply budgetForbidden(const std::string& budget, const std::string& why) {
  Status s(Code::kForbidden,
           "poddisruptionbudgets.policy \"" + budget + "\" is forbidden: " + why);
  json body = statusObject(s);
  body["details"] = {{"name", budget}, {"group", "policy"}, {"kind", "poddisruptionbudgets"}};
  return Reply{403, std::move(body)};
}

std::string stringAt(const json& obj, const char* field) {
  auto it = obj.find(field);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

bool podReady(const json& pod) {
  const json* conditions = nullptr;
  if (auto s = pod.find("status"); s != pod.end() && s->is_object()) {
    if (auto c = s->find("conditions"); c != s->end() && c->is_array()) {
      conditions = &*c;
    }
  }
  if (conditions == nullptr) {
    return false;
  }
  for (const json& c : *conditions) {
    if (c.is_object() && stringAt(c, "type") == "Ready") {
      return stringAt(c, "status") == "True";
    }
  }
  return false;
}

std::string podPhase(const json& pod) {
  auto s = pod.find("status");
  return s != pod.end() && s->is_object() ? stringAt(*s, "phase") : "";
}

// A pod that already is, or soon will be, no disruption: deleted without looking at budgets.
bool canIgnoreBudgets(const json& pod) {
  std::string phase = podPhase(pod);
  return phase == "Succeeded" || phase == "Failed" || phase == "Pending" ||
         !metaString(pod, "deletionTimestamp").empty();
}

// Whether the delete should be conditional on the pod's resourceVersion, so that a pod that
// became ready meanwhile is not deleted on a decision made while it was not.
bool shouldEnforceResourceVersion(const json& pod) {
  std::string phase = podPhase(pod);
  return phase != "Succeeded" && phase != "Failed" && metaString(pod, "deletionTimestamp").empty();
}

bool resourceVersionUnset(const json& options) {
  auto p = options.find("preconditions");
  return p == options.end() || !p->is_object() || !p->contains("resourceVersion") ||
         (*p)["resourceVersion"].is_null();
}

json withResourceVersion(json options, const std::string& rv) {
  if (!options["preconditions"].is_object()) {
    options["preconditions"] = json::object();
  }
  options["preconditions"]["resourceVersion"] = rv;
  return options;
}

// The Eviction's deleteOptions with the request's dryRun: upstream's propagateDryRun.
Result<json> deleteOptionsOf(const json& eviction, const QueryParams& params) {
  json query = json::array();
  for (auto [it, end] = params.equal_range("dryRun"); it != end; ++it) {
    query.push_back(it->second);
  }
  json options = eviction.value("deleteOptions", json::object());
  if (options.is_null()) {
    options = json::object();
  }
  if (!options.is_object()) {
    return badRequest("deleteOptions: must be a DeleteOptions object");
  }
  json& given = options["dryRun"];
  if (given.is_null() || (given.is_array() && given.empty())) {
    given = query;
  } else if (!query.empty() && given != query) {
    return internalError("Non-matching dry-run options in request and content: " +
                         query.dump() + " and " + given.dump());
  }
  if (given.empty()) {
    options.erase("dryRun");
  }
  return options;
}

bool isDryRun(const json& options) {
  auto d = options.find("dryRun");
  return d != options.end() && d->is_array() && !d->empty();
}

// Sets DisruptionTarget=True (EvictionByEvictionAPI) on the pod, as upstream does before the
// delete, checking the delete's preconditions against the pod as it is now.
Reply markDisruptionTarget(const VerbContext& ctx, const VerbRequest& req,
                          const ResourceTarget& pod, const json& options) {
  json preconditions = options.value("preconditions", json::object());
  if (!preconditions.is_object()) {
    preconditions = json::object();
  }
  const std::string uid = stringAt(preconditions, "uid");
  const std::string rv = stringAt(preconditions, "resourceVersion");
  Mutation mark = [&](json& next, const json& current) -> Status {
    if (!uid.empty() && uid != metaString(current, "uid")) {
      return resourceConflict(*pod.info, pod.name,
                              "Precondition failed: UID in precondition: " + uid +
                                  ", UID in object meta: " + metaString(current, "uid"));
    }
    if (!rv.empty() && rv != metaString(current, "resourceVersion")) {
      return resourceConflict(*pod.info, pod.name,
                              "Precondition failed: ResourceVersion in precondition: " + rv +
                                  ", ResourceVersion in object meta: " +
                                  metaString(current, "resourceVersion"));
    }
    json& status = next["status"];
    if (!status.is_object()) {
      status = json::object();
    }
    json& conditions = status["conditions"];
    if (!conditions.is_array()) {
      conditions = json::array();
    }
    json condition = {{"type", "DisruptionTarget"},
                      {"status", "True"},
                      {"lastProbeTime", nullptr},
                      {"lastTransitionTime", nowTimestamp()},
                      {"reason", "EvictionByEvictionAPI"},
                      {"message", "Eviction API: evicting"}};
    for (json& c : conditions) {
      if (c.is_object() && stringAt(c, "type") == "DisruptionTarget") {
        if (stringAt(c, "status") == "True" && c.contains("lastTransitionTime")) {
          condition["lastTransitionTime"] = c["lastTransitionTime"];
        }
        c = std::move(condition);
        return Status::ok();
      }
    }
    conditions.push_back(std::move(condition));
    return Status::ok();
  };
  VerbRequest update{pod, {}, "", "", req.userAgent};
  update.target.subresource = "status";
  update.user = req.user;
  return writeUpdate(ctx, update, 0, mark);
}

// Marks the pod (unless a dry run) and deletes it as DELETE would with `options`.
Reply deletePod(const VerbContext& ctx, const VerbRequest& req, const ResourceTarget& pod,
                json options) {
  if (!isDryRun(options)) {
    Reply marked = markDisruptionTarget(ctx, req, pod, options);
    if (marked.code != 200) {
      return marked;
    }
    // The mark changed the pod: a resourceVersion precondition now names the marked version.
    if (!resourceVersionUnset(options)) {
      options["preconditions"]["resourceVersion"] = metaString(marked.body, "resourceVersion");
    }
  }
  VerbRequest del{pod, {}, options.dump()};
  return deleteResource(ctx, del);
}

bool isConflict(const Reply& r) { return r.code == 409; }

struct Budget {
  json obj;
  store::Revision revision = 0;
};

// The budgets of the pod's namespace whose selector selects the pod. A missing, empty or
// invalid selector selects nothing here.
Result<std::vector<Budget>> budgetsOf(const VerbContext& ctx, const api::ResourceInfo& info,
                                      const json& pod) {
  ResourceTarget all{&info, metaString(pod, "namespace"), "", ""};
  auto listed = ctx.store.list(targetKey(all), store::ListOptions{});
  if (!listed.ok()) {
    return listed.status();
  }
  const json labels = pod["metadata"].value("labels", json::object());
  std::vector<Budget> out;
  for (const store::KeyValue& kv : listed->items) {
    auto budget = decodeStored(kv, info);
    if (!budget.ok()) {
      continue;
    }
    const json* selector = nullptr;
    if (auto spec = budget->find("spec"); spec != budget->end() && spec->is_object()) {
      if (auto s = spec->find("selector"); s != spec->end() && s->is_object()) {
        selector = &*s;
      }
    }
    if (selector == nullptr || selector->value("matchLabels", json::object()).empty() &&
                                   selector->value("matchExpressions", json::array()).empty()) {
      continue;
    }
    auto matches = labelSelectorMatches(*selector, labels);
    if (matches.ok() && *matches) {
      out.push_back({std::move(*budget), kv.modRevision});
    }
  }
  return out;
}

// Spends one of the budget's disruptions on `podName`: upstream's checkAndDecrement. A reply
// when the eviction is refused; a Conflict status when another writer changed the budget.
struct Decrement {
  std::optional<Reply> refusal;
  Status written = Status::ok();
};
Decrement checkAndDecrement(const VerbContext& ctx, const api::ResourceInfo& info,
                            const Budget& budget, const std::string& podName, bool dryRun) {
  const json& b = budget.obj;
  const std::string name = metaString(b, "name");
  int64_t generation = 0;
  if (auto g = b["metadata"].find("generation"); g != b["metadata"].end() &&
                                                 g->is_number_integer()) {
    generation = g->get<int64_t>();
  }
  if (api::pdb::statusInt(b, "observedGeneration") < generation) {
    return {budgetBeingProcessed(name)};
  }
  const int64_t allowed = api::pdb::statusInt(b, "disruptionsAllowed");
  if (allowed < 0) {
    return {budgetForbidden(name, "pdb disruptions allowed is negative")};
  }
  json status = b.value("status", json::object());
  json disrupted = status.value("disruptedPods", json::object());
  if (disrupted.is_object() && disrupted.size() > kMaxDisruptedPods) {
    return {budgetForbidden(name, "DisruptedPods map too big - too many evictions not "
                                  "confirmed by PDB controller")};
  }
  if (allowed == 0) {
    return {tooManyRequests("The disruption budget " + name + " needs " +
                                std::to_string(api::pdb::statusInt(b, "desiredHealthy")) +
                                " healthy pods and has " +
                                std::to_string(api::pdb::statusInt(b, "currentHealthy")) +
                                " currently",
                            0)};
  }
  status["disruptionsAllowed"] = allowed - 1;
  const std::string now = nowTimestamp();
  if (allowed - 1 == 0) {
    api::pdb::updateDisruptionAllowedCondition(status, now);
  }
  if (dryRun) {
    return {};
  }
  if (!disrupted.is_object()) {
    disrupted = json::object();
  }
  // Tells the disruption controller not to count the pod as healthy while it goes.
  disrupted[podName] = now;
  status["disruptedPods"] = std::move(disrupted);
  json next = b;
  next["status"] = std::move(status);
  clearResourceVersion(next);
  ResourceTarget target{&info, metaString(b, "namespace"), name, ""};
  auto written = ctx.store.update(targetKey(target), next.dump(), budget.revision);
  if (!written.ok()) {
    return {std::nullopt, describeStoreError(written.status(), target, name)};
  }
  return {};
}

// Re-reads the budget after a conflicting write.
Result<Budget> readBudget(const VerbContext& ctx, const api::ResourceInfo& info,
                          const std::string& ns, const std::string& name) {
  ResourceTarget target{&info, ns, name, ""};
  auto kv = readObject(ctx, target);
  if (!kv.ok()) {
    return kv.status();
  }
  auto obj = decodeStored(*kv, info);
  if (!obj.ok()) {
    return obj.status();
  }
  return Budget{std::move(*obj), kv->modRevision};
}

Status checkEviction(const json& eviction, const ResourceTarget& pod) {
  if (!eviction.is_object()) {
    return badRequest("not a Eviction object");
  }
  std::string apiVersion = stringAt(eviction, "apiVersion");
  if (!apiVersion.empty() && apiVersion != "policy/v1" && apiVersion != "policy/v1beta1") {
    return badRequest("the API version in the data (" + apiVersion +
                      ") does not match the expected API version (policy/v1)");
  }
  if (std::string kind = stringAt(eviction, "kind"); !kind.empty() && kind != "Eviction") {
    return badRequest("the kind in the data (" + kind +
                      ") does not match the expected kind (Eviction)");
  }
  json meta = eviction.value("metadata", json::object());
  if (!meta.is_object() || stringAt(meta, "name") != pod.name) {
    return badRequest("name in URL does not match name in Eviction object");
  }
  if (std::string ns = stringAt(meta, "namespace"); !ns.empty() && ns != pod.ns) {
    return badRequest("the namespace of the provided object does not match the namespace sent "
                      "on the request");
  }
  return Status::ok();
}

}  // namespace

Reply createPodEviction(const VerbContext& ctx, const VerbRequest& req) {
  ResourceTarget podTarget = req.target;
  podTarget.subresource.clear();
  auto eviction = parseObject(req.body);
  if (!eviction.ok()) {
    return Reply{400, statusObject(eviction.status())};
  }
  if (Status s = checkEviction(*eviction, podTarget); !s.isOk()) {
    return Reply{httpCode(s.code()), statusObject(s)};
  }
  auto given = deleteOptionsOf(*eviction, req.params);
  if (!given.ok()) {
    return Reply{httpCode(given.status().code()), statusObject(given.status())};
  }
  const json options = std::move(*given);
  const bool retryConflicts = resourceVersionUnset(options);
  const api::ResourceInfo* budgetInfo = ctx.registry.find("policy", "v1", "poddisruptionbudgets");
  if (budgetInfo == nullptr) {
    return Reply{500, statusObject(internalError("poddisruptionbudgets are not served"))};
  }

  // Pods that are no disruption go at once; the read is repeated when the delete conflicts.
  json pod;
  for (int attempt = 0;; ++attempt) {
    auto kv = readObject(ctx, podTarget);
    if (!kv.ok()) {
      return errorReply(kv.status(), podTarget);
    }
    auto decoded = decodeStored(*kv, *podTarget.info);
    if (!decoded.ok()) {
      return errorReply(decoded.status(), podTarget);
    }
    pod = std::move(*decoded);
    if (!canIgnoreBudgets(pod)) {
      break;
    }
    json deleteOptions = options;
    if (shouldEnforceResourceVersion(pod) && retryConflicts) {
      deleteOptions = withResourceVersion(options, metaString(pod, "resourceVersion"));
    }
    Reply deleted = deletePod(ctx, req, podTarget, deleteOptions);
    if (isConflict(deleted) && retryConflicts && attempt + 1 < kAttempts) {
      continue;
    }
    return deleted.code < 300 ? Reply{201, successStatus()} : deleted;
  }

  auto budgets = budgetsOf(ctx, *budgetInfo, pod);
  if (!budgets.ok()) {
    return Reply{httpCode(budgets.status().code()), statusObject(budgets.status())};
  }
  if (budgets->size() > 1) {
    return Reply{500, {{"kind", "Status"},
                       {"apiVersion", "v1"},
                       {"metadata", json::object()},
                       {"status", "Failure"},
                       {"message", "This pod has more than one PodDisruptionBudget, which the "
                                   "eviction subresource does not support."},
                       {"code", 500}}};
  }
  bool conditional = false;  // the delete waits on the pod's resourceVersion
  std::string budgetName;
  if (budgets->size() == 1) {
    Budget budget = std::move(budgets->front());
    budgetName = metaString(budget.obj, "name");
    const json spec = budget.obj.value("spec", json::object());
    const bool alwaysAllow = spec.is_object() &&
                             stringAt(spec, "unhealthyPodEvictionPolicy") == "AlwaysAllow";
    const int64_t healthy = api::pdb::statusInt(budget.obj, "currentHealthy");
    const int64_t desired = api::pdb::statusInt(budget.obj, "desiredHealthy");
    if (!podReady(pod) && (alwaysAllow || (healthy >= desired && desired > 0))) {
      // An unready pod is no healthy pod: it goes without spending a disruption.
      conditional = true;
    } else {
      for (int attempt = 0;; ++attempt) {
        Decrement d = checkAndDecrement(ctx, *budgetInfo, budget, podTarget.name,
                                        isDryRun(options));
        if (d.refusal) {
          return *d.refusal;
        }
        if (d.written.isOk()) {
          break;
        }
        if (d.written.code() != Code::kConflict) {
          return Reply{httpCode(d.written.code()), statusObject(d.written)};
        }
        if (attempt + 1 >= kAttempts) {
          Status timeout(Code::kTimeout, "couldn't update PodDisruptionBudget \"" + budgetName +
                                             "\" due to conflicts");
          return Reply{httpCode(timeout.code()), statusObject(timeout)};
        }
        auto again = readBudget(ctx, *budgetInfo, podTarget.ns, budgetName);
        if (!again.ok()) {
          return Reply{httpCode(again.status().code()), statusObject(again.status())};
        }
        budget = std::move(*again);
      }
    }
  }

  json deleteOptions = options;
  if (conditional) {
    deleteOptions = withResourceVersion(options, metaString(pod, "resourceVersion"));
  }
  Reply deleted = deletePod(ctx, req, podTarget, deleteOptions);
  if (isConflict(deleted) && conditional && retryConflicts) {
    // The pod changed (it may have become ready): the client tries again.
    return budgetBeingProcessed(budgetName);
  }
  return deleted.code < 300 ? Reply{201, successStatus()} : deleted;
}

}  // namespace tug::apiserver
