// apps and batch kinds (upstream pkg/apis/apps/validation and pkg/apis/batch/validation).
#include <strings.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "api/validation/validate_kinds.h"
#include "common/cron_schedule.h"

namespace tug::api::validation {
namespace {

const Json kEmptyObject = Json::object();

const Json& objectOrEmpty(const Json* j) { return j ? *j : kEmptyObject; }

const Json* templateLabels(const Json& tmpl) {
  const Json* meta = objectField(tmpl, "metadata");
  return meta ? objectField(*meta, "labels") : nullptr;
}

// The selector and its template: selector required and non-empty, and it selects the
// template's labels. `what` names the kind in upstream's empty-selector message.
ErrorList validateSelectorAndTemplate(const Json& spec, const Path& p, const std::string& what) {
  ErrorList errs;
  const Json* selector = objectField(spec, "selector");
  const Json& tmpl = objectOrEmpty(objectField(spec, "template"));
  if (selector == nullptr) {
    errs.push_back(required(p.child("selector")));
    return errs;
  }
  ErrorList selectorErrs = validateLabelSelector(*selector, p.child("selector"));
  bool usable = selectorErrs.empty();
  append(errs, std::move(selectorErrs));
  if (selectorEmpty(*selector)) {
    errs.push_back(invalid(p.child("selector"), *selector, "empty selector is invalid for " + what));
  } else if (usable) {
    const Json* labels = templateLabels(tmpl);
    if (!selectorMatches(*selector, labels)) {
      errs.push_back(invalid(p.child("template", "metadata", "labels"),
                             labels ? *labels : Json::object(),
                             "`selector` does not match template `labels`"));
    }
  }
  return errs;
}

ErrorList requireRestartAlways(const Json& spec, const Path& p) {
  const Json& tmplSpec = objectOrEmpty(objectField(objectOrEmpty(objectField(spec, "template")),
                                                   "spec"));
  const Json* policy = field(tmplSpec, "restartPolicy");
  if (policy != nullptr && *policy != "Always") {
    return {notSupported(p.child("template", "spec", "restartPolicy"), *policy, {"Always"})};
  }
  return {};
}

const Json& templateSpec(const Json& spec) {
  return objectOrEmpty(objectField(objectOrEmpty(objectField(spec, "template")), "spec"));
}

// An int-or-string that is a count or a percentage, at most 100%.
ErrorList intOrPercent(const Json& obj, std::string_view key, const Path& p) {
  const Json* v = field(obj, key);
  if (v == nullptr) {
    return {};
  }
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    bool digits = s.size() > 1 && s.back() == '%';
    for (size_t i = 0; digits && i + 1 < s.size(); ++i) {
      digits = std::isdigit(static_cast<unsigned char>(s[i])) != 0;
    }
    if (!digits) {
      return {invalid(p, *v, "a valid percent string must be a numeric string followed by an "
                              "ending '%' (e.g. '1%',  or '93%', regex used for validation is "
                              "'[0-9]+%')")};
    }
    if (std::stoll(s.substr(0, std::min<size_t>(s.size() - 1, 12))) > 100) {
      return {invalid(p, *v, "must not be greater than 100%")};
    }
    return {};
  }
  return nonNegative(obj, key, p);
}

bool isZero(const Json* v) {
  return v == nullptr || (v->is_number_integer() && v->get<long long>() == 0) ||
         (v->is_string() && (*v == "0" || *v == "0%"));
}

ErrorList validateRollingUpdate(const Json& ru, const Path& p, const char* zeroMsg) {
  ErrorList errs;
  append(errs, intOrPercent(ru, "maxUnavailable", p.child("maxUnavailable")));
  append(errs, intOrPercent(ru, "maxSurge", p.child("maxSurge")));
  if (isZero(field(ru, "maxUnavailable")) && isZero(field(ru, "maxSurge"))) {
    errs.push_back(invalid(p.child("maxUnavailable"), fieldOr(ru, "maxUnavailable"), zeroMsg));
  }
  return errs;
}

ErrorList validateReplicaSetLike(const Json& spec, const Path& p, const std::string& what) {
  ErrorList errs;
  append(errs, nonNegative(spec, "replicas", p.child("replicas")));
  append(errs, nonNegative(spec, "minReadySeconds", p.child("minReadySeconds")));
  append(errs, validateSelectorAndTemplate(spec, p, what));
  append(errs, validatePodTemplateSpec(objectOrEmpty(objectField(spec, "template")),
                                       p.child("template")));
  append(errs, requireRestartAlways(spec, p));
  if (has(templateSpec(spec), "activeDeadlineSeconds")) {
    errs.push_back(forbidden(p.child("template", "spec", "activeDeadlineSeconds"),
                             "activeDeadlineSeconds in ReplicaSet is not Supported"));
  }
  return errs;
}

}  // namespace

ErrorList validateIntOrPercent(const Json& obj, std::string_view key, const Path& p) {
  return intOrPercent(obj, key, p);
}

Json fieldOr(const Json& obj, std::string_view key) {
  const Json* v = field(obj, key);
  return v ? *v : Json();
}

const Json& specOf(const Json& obj) { return objectOrEmpty(objectField(obj, "spec")); }

ErrorList validateDeployment(const Json& obj) {
  const Json& spec = specOf(obj);
  const Path p("spec");
  ErrorList errs = validateReplicaSetLike(spec, p, "deployment");
  const Json& strategy = objectOrEmpty(objectField(spec, "strategy"));
  append(errs, oneOf(strategy, "type", p.child("strategy", "type"), {"Recreate", "RollingUpdate"},
                     true));
  const std::string type = stringField(strategy, "type");
  if (type == "Recreate" && has(strategy, "rollingUpdate")) {
    errs.push_back(forbidden(p.child("strategy", "rollingUpdate"),
                             "may not be specified when strategy `type` is 'Recreate'"));
  } else if (type == "RollingUpdate") {
    if (const Json* ru = objectField(strategy, "rollingUpdate")) {
      append(errs, validateRollingUpdate(*ru, p.child("strategy", "rollingUpdate"),
                                         "may not be 0 when `maxSurge` is 0"));
    }
  }
  append(errs, nonNegative(spec, "revisionHistoryLimit", p.child("revisionHistoryLimit")));
  append(errs, nonNegative(spec, "progressDeadlineSeconds", p.child("progressDeadlineSeconds")));
  auto deadline = intField(spec, "progressDeadlineSeconds");
  if (deadline && *deadline <= intField(spec, "minReadySeconds").value_or(0)) {
    errs.push_back(invalid(p.child("progressDeadlineSeconds"), *deadline,
                           "must be greater than minReadySeconds"));
  }
  return errs;
}

ErrorList validateReplicaSet(const Json& obj) {
  return validateReplicaSetLike(specOf(obj), Path("spec"), "deployment");
}

ErrorList validateDaemonSet(const Json& obj) {
  const Json& spec = specOf(obj);
  const Path p("spec");
  ErrorList errs = validateSelectorAndTemplate(spec, p, "daemonset");
  append(errs, validatePodTemplateSpec(objectOrEmpty(objectField(spec, "template")),
                                       p.child("template")));
  append(errs, requireRestartAlways(spec, p));
  if (has(templateSpec(spec), "activeDeadlineSeconds")) {
    errs.push_back(invalid(p.child("template", "spec", "activeDeadlineSeconds"),
                           fieldOr(templateSpec(spec), "activeDeadlineSeconds"),
                           "activeDeadlineSeconds must be nil for daemons"));
  }
  append(errs, nonNegative(spec, "minReadySeconds", p.child("minReadySeconds")));
  append(errs, nonNegative(spec, "revisionHistoryLimit", p.child("revisionHistoryLimit")));
  const Json& strategy = objectOrEmpty(objectField(spec, "updateStrategy"));
  append(errs, oneOf(strategy, "type", p.child("updateStrategy", "type"),
                     {"OnDelete", "RollingUpdate"}, true));
  if (stringField(strategy, "type") == "RollingUpdate") {
    if (const Json* ru = objectField(strategy, "rollingUpdate")) {
      append(errs, validateRollingUpdate(*ru, p.child("updateStrategy", "rollingUpdate"),
                                         "may not be 0 when `maxSurge` is 0"));
    }
  }
  return errs;
}

ErrorList validateStatefulSet(const Json& obj) {
  const Json& spec = specOf(obj);
  const Path p("spec");
  ErrorList errs;
  const std::string policy = stringField(spec, "podManagementPolicy");
  if (policy.empty()) {
    errs.push_back(required(p.child("podManagementPolicy")));
  } else if (policy != "OrderedReady" && policy != "Parallel") {
    errs.push_back(invalid(p.child("podManagementPolicy"), policy,
                           "must be 'OrderedReady' or 'Parallel'"));
  }
  const Json& strategy = objectOrEmpty(objectField(spec, "updateStrategy"));
  const std::string type = stringField(strategy, "type");
  if (type.empty()) {
    errs.push_back(required(p.child("updateStrategy")));
  } else if (type == "OnDelete" && has(strategy, "rollingUpdate")) {
    errs.push_back(invalid(p.child("updateStrategy", "rollingUpdate"),
                           fieldOr(strategy, "rollingUpdate"),
                           "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (type == "RollingUpdate") {
    if (const Json* ru = objectField(strategy, "rollingUpdate")) {
      append(errs, nonNegative(*ru, "partition", p.child("updateStrategy", "rollingUpdate",
                                                         "partition")));
    }
  } else if (type != "OnDelete") {
    errs.push_back(invalid(p.child("updateStrategy"), strategy,
                           "must be 'RollingUpdate' or 'OnDelete'"));
  }
  if (const Json* retention = objectField(spec, "persistentVolumeClaimRetentionPolicy")) {
    const Path rp = p.child("persistentVolumeClaimRetentionPolicy");
    for (const char* when : {"whenDeleted", "whenScaled"}) {
      append(errs, oneOf(*retention, when, rp.child(when), {"Delete", "Retain"}, true));
    }
  }
  append(errs, nonNegative(spec, "replicas", p.child("replicas")));
  append(errs, nonNegative(spec, "minReadySeconds", p.child("minReadySeconds")));
  if (const Json* ordinals = objectField(spec, "ordinals")) {
    append(errs, nonNegative(*ordinals, "start", p.child("ordinals", "start")));
  }
  append(errs, validateSelectorAndTemplate(spec, p, "statefulset"));
  if (const Json* tmpl = objectField(spec, "template")) {
    if (const Json* meta = objectField(*tmpl, "metadata")) {
      append(errs, validateLabels(objectField(*meta, "labels"), p.child("template", "labels")));
    }
  }
  append(errs, requireRestartAlways(spec, p));
  if (has(templateSpec(spec), "activeDeadlineSeconds")) {
    errs.push_back(forbidden(p.child("template", "spec", "activeDeadlineSeconds"),
                             "activeDeadlineSeconds in StatefulSet is not Supported"));
  }
  return errs;
}

ErrorList validateSelectorUnchanged(const Json& obj, const Json& old) {
  Json now = fieldOr(specOf(obj), "selector");
  if (now != fieldOr(specOf(old), "selector")) {
    return {immutable(Path("spec").child("selector"), now)};
  }
  return {};
}

ErrorList validateStatefulSetUpdate(const Json& obj, const Json& old) {
  Json now = specOf(obj);
  Json before = specOf(old);
  for (const char* mutableField : {"replicas", "ordinals", "template", "updateStrategy",
                                   "persistentVolumeClaimRetentionPolicy", "minReadySeconds"}) {
    now.erase(mutableField);
    before.erase(mutableField);
  }
  if (now != before) {
    return {forbidden(Path("spec"),
                      "updates to statefulset spec for fields other than 'replicas', "
                      "'ordinals', 'template', 'updateStrategy', "
                      "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are "
                      "forbidden")};
  }
  return {};
}

namespace {

// spec.podFailurePolicy, as upstream's validatePodFailurePolicy: at most 20 rules, each with
// an action and exactly one of onExitCodes (In or NotIn over sorted, distinct codes; 0 never
// with In; a container the template has) and onPodConditions (a type and a status).
ErrorList validatePodFailurePolicy(const Json& spec, const Path& p) {
  ErrorList errs;
  const Json& policy = objectOrEmpty(objectField(spec, "podFailurePolicy"));
  const Path rulesPath = p.child("rules");
  const Json* rules = arrayField(policy, "rules");
  if (rules == nullptr) {
    errs.push_back(required(rulesPath));
    return errs;
  }
  if (rules->size() > 20) {
    errs.push_back(tooMany(rulesPath, rules->size(), 20));
  }
  std::set<std::string> containers;
  const Json& podSpec = objectOrEmpty(objectField(objectOrEmpty(objectField(spec, "template")), "spec"));
  for (const char* key : {"containers", "initContainers"}) {
    forEachObject(podSpec, key, [&](const Json& c, size_t) {
      containers.insert(stringField(c, "name"));
    });
  }
  for (size_t i = 0; i < rules->size(); ++i) {
    const Json& rule = (*rules)[i];
    const Path rp = rulesPath.index(i);
    if (!rule.is_object()) {
      errs.push_back(invalid(rp, rule, "must be an object"));
      continue;
    }
    const std::string action = stringField(rule, "action");
    if (action.empty()) {
      errs.push_back(required(rp.child("action")));
    } else if (action != "FailJob" && action != "FailIndex" && action != "Ignore" &&
               action != "Count") {
      errs.push_back(notSupported(rp.child("action"), action,
                                  {"Count", "FailIndex", "FailJob", "Ignore"}));
    } else if (action == "FailIndex" && !has(spec, "backoffLimitPerIndex")) {
      errs.push_back(invalid(rp.child("action"), action,
                             "requires the backoffLimitPerIndex to be set"));
    }
    const bool exitCodes = has(rule, "onExitCodes");
    const bool conditions = has(rule, "onPodConditions");
    // Upstream omits the rule itself from these two messages.
    if (exitCodes && conditions) {
      FieldError e = invalid(rp, nullptr,
                             "specifying both OnExitCodes and OnPodConditions is not supported");
      e.showValue = false;
      errs.push_back(std::move(e));
    } else if (!exitCodes && !conditions) {
      FieldError e = invalid(rp, nullptr,
                             "specifying one of OnExitCodes and OnPodConditions is required");
      e.showValue = false;
      errs.push_back(std::move(e));
    }
    if (exitCodes) {
      const Json& req = objectOrEmpty(objectField(rule, "onExitCodes"));
      const Path ep = rp.child("onExitCodes");
      if (has(req, "containerName") && !containers.count(stringField(req, "containerName"))) {
        errs.push_back(invalid(ep.child("containerName"), req["containerName"],
                               "must be one of the container or initContainer names in the pod "
                               "template"));
      }
      const std::string op = stringField(req, "operator");
      if (op.empty()) {
        errs.push_back(required(ep.child("operator")));
      } else if (op != "In" && op != "NotIn") {
        errs.push_back(notSupported(ep.child("operator"), op, {"In", "NotIn"}));
      }
      const Json* values = arrayField(req, "values");
      const Path vp = ep.child("values");
      if (values == nullptr || values->empty()) {
        errs.push_back(required(vp, "at least one value is required"));
      } else {
        if (values->size() > 255) {
          errs.push_back(tooMany(vp, values->size(), 255));
        }
        std::set<long long> seen;
        std::optional<long long> previous;
        bool ordered = true;
        for (size_t j = 0; j < values->size(); ++j) {
          const Json& v = (*values)[j];
          if (!v.is_number_integer()) {
            errs.push_back(invalid(vp.index(j), v, "must be an integer"));
            continue;
          }
          long long code = v.get<long long>();
          if (!seen.insert(code).second) {
            errs.push_back(duplicate(vp.index(j), v));
          }
          if (op == "In" && code == 0) {
            errs.push_back(invalid(vp.index(j), v, "must not be 0 for the In operator"));
          }
          if (previous && *previous > code) {
            ordered = false;
          }
          previous = code;
        }
        if (!ordered) {
          // Shown as Go prints the []int32 the values are upstream.
          std::string shown = "[]int32{";
          for (size_t j = 0; j < values->size(); ++j) {
            shown += (j > 0 ? ", " : "") + (*values)[j].dump();
          }
          FieldError e = invalid(vp, *values, shown + "}: must be ordered");
          e.showValue = false;
          errs.push_back(std::move(e));
        }
      }
    }
    if (conditions) {
      const Path cp = rp.child("onPodConditions");
      const Json* list = arrayField(rule, "onPodConditions");
      if (list == nullptr) {
        errs.push_back(invalid(cp, rule["onPodConditions"], "must be a list"));
        continue;
      }
      if (list->size() > 20) {
        errs.push_back(tooMany(cp, list->size(), 20));
      }
      for (size_t j = 0; j < list->size(); ++j) {
        const Json& c = (*list)[j];
        const std::string type = c.is_object() ? stringField(c, "type") : "";
        const std::string status = c.is_object() ? stringField(c, "status") : "";
        if (type.empty()) {
          errs.push_back(required(cp.index(j).child("type")));
        }
        if (status.empty()) {
          errs.push_back(required(cp.index(j).child("status")));
        } else if (status != "True" && status != "False" && status != "Unknown") {
          errs.push_back(notSupported(cp.index(j).child("status"), status,
                                      {"False", "True", "Unknown"}));
        }
      }
    }
  }
  return errs;
}

// Reads "1,3-5" as upstream's validateIndexesFormat does: intervals in increasing order, each
// one index or "first-last" with first < last, all below `completions`. Returns how many
// indexes it names, or sets `error` to upstream's words.
long long countIndexes(const std::string& text, long long completions, std::string* error) {
  auto number = [&](const std::string& part, long long* out) {
    const bool digits = !part.empty() && part.size() <= 18 &&
                        std::all_of(part.begin() + (part[0] == '+' ? 1 : 0), part.end(),
                                    [](char c) { return c >= '0' && c <= '9'; }) &&
                        part != "+";
    if (!digits) {
      *error = "cannot convert string to integer for index: \"" + part + "\"";
      return false;
    }
    *out = std::stoll(part);
    if (*out >= completions) {
      *error = "too large index: \"" + part + "\"";
      return false;
    }
    return true;
  };
  if (text.empty()) {
    return 0;
  }
  long long total = 0;
  std::optional<long long> last;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string interval =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const size_t dash = interval.find('-');
    if (dash != std::string::npos && interval.find('-', dash + 1) != std::string::npos) {
      *error = "the fragment \"" + interval +
               "\" violates the requirement that an index interval can have at most two parts "
               "separated by '-'";
      return 0;
    }
    long long first = 0, end = 0;
    if (!number(interval.substr(0, dash), &first)) {
      return 0;
    }
    end = first;
    if (dash != std::string::npos) {
      if (!number(interval.substr(dash + 1), &end)) {
        return 0;
      }
      if (first >= end) {
        *error = "non-increasing order, previous: " + std::to_string(first) +
                 ", current: " + std::to_string(end);
        return 0;
      }
    }
    if (last && *last >= first) {
      *error = "non-increasing order, previous: " + std::to_string(*last) +
               ", current: " + std::to_string(first);
      return 0;
    }
    total += end - first + 1;
    last = end;
    if (comma == std::string::npos) {
      return total;
    }
    start = comma + 1;
  }
}

// spec.successPolicy of an Indexed Job, as upstream's validateSuccessPolicy: 1 to 20 rules,
// each with succeededIndexes (well formed, below completions) and/or succeededCount (at most
// completions, and at most the number of succeededIndexes).
ErrorList validateSuccessPolicy(const Json& spec, const Path& p) {
  ErrorList errs;
  const Path rulesPath = p.child("rules");
  const Json* rules = arrayField(objectOrEmpty(objectField(spec, "successPolicy")), "rules");
  if (rules == nullptr || rules->empty()) {
    errs.push_back(required(rulesPath,
                            "at least one rules must be specified when the successPolicy is "
                            "specified"));
    return errs;
  }
  if (rules->size() > 20) {
    errs.push_back(tooMany(rulesPath, rules->size(), 20));
  }
  const auto completions = intField(spec, "completions");
  for (size_t i = 0; i < rules->size(); ++i) {
    static const Json kEmpty = Json::object();
    const Json& rule = (*rules)[i].is_object() ? (*rules)[i] : kEmpty;
    const Path rp = rulesPath.index(i);
    const Json* indexes = field(rule, "succeededIndexes");
    const auto count = intField(rule, "succeededCount");
    if (indexes == nullptr && !count) {
      errs.push_back(
          required(rp, "at least one of succeededCount or succeededIndexes must be specified"));
    }
    long long total = 0;
    if (indexes != nullptr) {
      const Path ip = rp.child("succeededIndexes");
      const std::string text = indexes->is_string() ? indexes->get<std::string>() : "";
      if (text.size() > 64 * 1024) {
        errs.push_back(tooLong(ip, 64 * 1024));
      }
      std::string error;
      total = countIndexes(text, completions.value_or(0), &error);
      if (!error.empty()) {
        errs.push_back(invalid(ip, text, "error parsing succeededIndexes: " + error));
      }
    }
    if (count) {
      const Path cp = rp.child("succeededCount");
      append(errs, nonNegative(rule, "succeededCount", cp));
      if (completions && *count > *completions) {
        errs.push_back(invalid(cp, *count,
                               "must be less than or equal to " + std::to_string(*completions) +
                                   " (the number of specified completions)"));
      }
      if (indexes != nullptr && *count > total) {
        errs.push_back(invalid(cp, *count,
                               "must be less than or equal to " + std::to_string(total) +
                                   " (the number of indexes in the specified succeededIndexes "
                                   "field)"));
      }
    }
  }
  return errs;
}

// backoffLimitPerIndex and maxFailedIndexes: Indexed Jobs only, maxFailedIndexes only with a
// per-index limit and at most completions (and 100000).
ErrorList validateIndexLimits(const Json& spec, const Path& p) {
  ErrorList errs;
  for (const char* n : {"backoffLimitPerIndex", "maxFailedIndexes"}) {
    append(errs, nonNegative(spec, n, p.child(n)));
  }
  const auto perIndex = intField(spec, "backoffLimitPerIndex");
  const auto maxFailed = intField(spec, "maxFailedIndexes");
  const auto completions = intField(spec, "completions");
  const auto parallelism = intField(spec, "parallelism");
  if (maxFailed && !perIndex) {
    errs.push_back(required(p.child("backoffLimitPerIndex"), "when maxFailedIndexes is specified"));
  }
  if (stringField(spec, "completionMode") == "Indexed") {
    if (parallelism && *parallelism > 100000) {
      errs.push_back(invalid(p.child("parallelism"), *parallelism,
                             "must be less than or equal to 100000 when completion mode is "
                             "Indexed"));
    }
    if (completions && maxFailed && *maxFailed > *completions) {
      errs.push_back(invalid(p.child("maxFailedIndexes"), *maxFailed,
                             "must be less than or equal to completions"));
    }
    if (maxFailed && *maxFailed > 100000) {
      errs.push_back(
          invalid(p.child("maxFailedIndexes"), *maxFailed, "must be less than or equal to 100000"));
    }
    if (completions && *completions > 100000 && perIndex) {
      if (!maxFailed) {
        errs.push_back(required(p.child("maxFailedIndexes"),
                                "must be specified when completions is above 100000"));
      }
      if (parallelism && *parallelism > 10000) {
        errs.push_back(invalid(p.child("parallelism"), *parallelism,
                               "must be less than or equal to 10000 when completions are above "
                               "100000 and used with backoff limit per index"));
      }
      if (maxFailed && *maxFailed > 10000) {
        errs.push_back(invalid(p.child("maxFailedIndexes"), *maxFailed,
                               "must be less than or equal to 10000 when completions are above "
                               "100000 and used with backoff limit per index"));
      }
    }
  } else {
    if (perIndex) {
      errs.push_back(
          invalid(p.child("backoffLimitPerIndex"), *perIndex, "requires indexed completion mode"));
    }
    if (maxFailed) {
      errs.push_back(
          invalid(p.child("maxFailedIndexes"), *maxFailed, "requires indexed completion mode"));
    }
  }
  return errs;
}

}  // namespace

ErrorList validateJob(const Json& obj) {
  const Json& spec = specOf(obj);
  const Path p("spec");
  ErrorList errs;
  for (const char* n : {"parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                        "ttlSecondsAfterFinished"}) {
    append(errs, nonNegative(spec, n, p.child(n)));
  }
  append(errs, oneOf(spec, "completionMode", p.child("completionMode"), {"NonIndexed", "Indexed"},
                     false));
  if (stringField(spec, "completionMode") == "Indexed" && !has(spec, "completions")) {
    errs.push_back(required(p.child("completions"),
                            "when completion mode is Indexed"));
  }
  append(errs, validateIndexLimits(spec, p));
  if (has(spec, "successPolicy")) {
    if (stringField(spec, "completionMode") != "Indexed") {
      // Upstream shows the Go struct with its pointers' addresses here; the value is left out.
      FieldError e = invalid(p.child("successPolicy"), nullptr, "requires indexed completion mode");
      e.showValue = false;
      errs.push_back(std::move(e));
    } else {
      append(errs, validateSuccessPolicy(spec, p.child("successPolicy")));
    }
  }
  append(errs, oneOf(spec, "podReplacementPolicy", p.child("podReplacementPolicy"),
                     {"TerminatingOrFailed", "Failed"}, false));
  ErrorList selectorErrs;
  if (const Json* selector = objectField(spec, "selector")) {
    selectorErrs = validateLabelSelector(*selector, p.child("selector"));
    const Json* labels = templateLabels(objectOrEmpty(objectField(spec, "template")));
    if (selectorErrs.empty() && !selectorMatches(*selector, labels)) {
      selectorErrs.push_back(invalid(p.child("template", "metadata", "labels"),
                                     labels ? *labels : Json::object(),
                                     "`selector` does not match template `labels`"));
    }
  } else {
    selectorErrs.push_back(required(p.child("selector")));
  }
  append(errs, std::move(selectorErrs));
  append(errs, validatePodTemplateSpec(objectOrEmpty(objectField(spec, "template")),
                                       p.child("template")));
  const Json* policy = field(templateSpec(spec), "restartPolicy");
  if (policy != nullptr && *policy != "OnFailure" && *policy != "Never") {
    errs.push_back(notSupported(p.child("template", "spec", "restartPolicy"), *policy,
                                {"OnFailure", "Never"}));
  }
  if (has(spec, "podFailurePolicy")) {
    append(errs, validatePodFailurePolicy(spec, p.child("podFailurePolicy")));
    if (policy != nullptr && *policy != "Never") {
      errs.push_back(invalid(p.child("template", "spec", "restartPolicy"), *policy,
                             "only \"Never\" is supported when podFailurePolicy is specified"));
    }
  }
  return errs;
}

ErrorList validateJobUpdate(const Json& obj, const Json& old) {
  ErrorList errs;
  const Json& spec = specOf(obj);
  const Json& before = specOf(old);
  const Path p("spec");
  append(errs, validateSelectorUnchanged(obj, old));
  Json tmpl = fieldOr(spec, "template");
  if (tmpl != fieldOr(before, "template")) {
    errs.push_back(immutable(p.child("template"), tmpl));
  }
  for (const char* key :
       {"completionMode", "podFailurePolicy", "backoffLimitPerIndex", "successPolicy"}) {
    if (fieldOr(spec, key) != fieldOr(before, key)) {
      errs.push_back(immutable(p.child(key), fieldOr(spec, key)));
    }
  }
  // Completions may change only together with parallelism of an Indexed job.
  Json completions = fieldOr(spec, "completions");
  if (completions != fieldOr(before, "completions") &&
      !(stringField(spec, "completionMode") == "Indexed" &&
        completions == fieldOr(spec, "parallelism"))) {
    errs.push_back(immutable(p.child("completions"), completions));
  }
  return errs;
}

// The schedule must parse as upstream's cron parser reads it, and a time zone belongs in
// spec.timeZone, not in a TZ= or CRON_TZ= prefix.
ErrorList validateSchedule(const Json& spec, const Path& p) {
  const std::string schedule = stringField(spec, "schedule");
  if (schedule.empty()) {
    return {required(p)};
  }
  ErrorList errs;
  if (auto parsed = cron::parse(schedule); !parsed.ok()) {
    errs.push_back(invalid(p, schedule, parsed.status().message()));
  }
  if (schedule.find("TZ") != std::string::npos) {
    errs.push_back(
        invalid(p, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
  }
  return errs;
}

ErrorList validateTimeZone(const Json& spec, const Path& p) {
  const Json* zone = field(spec, "timeZone");
  if (zone == nullptr || zone->is_null() || !zone->is_string()) {
    return {};
  }
  const std::string name = zone->get<std::string>();
  if (name.empty()) {
    return {invalid(p, name, "timeZone must be nil or non-empty string")};
  }
  if (name.size() == 5 && strcasecmp(name.c_str(), "local") == 0) {
    return {invalid(p, name,
                    "timeZone must be an explicit time zone as defined in "
                    "https://www.iana.org/time-zones")};
  }
  if (auto loaded = TimeZone::load(name); !loaded.ok()) {
    return {invalid(p, name, loaded.status().message())};
  }
  return {};
}

ErrorList validateCronJob(const Json& obj) {
  const Json& spec = specOf(obj);
  const Path p("spec");
  ErrorList errs;
  const Json* meta = objectField(obj, "metadata");
  const std::string name = meta ? stringField(*meta, "name") : "";
  // Jobs are named <cronjob>-<minutes since epoch>: 11 characters are kept for the suffix.
  if (name.size() > 52) {
    errs.push_back(invalid(Path("metadata").child("name"), name, maxLenError(52)));
  }
  append(errs, validateSchedule(spec, p.child("schedule")));
  append(errs, validateTimeZone(spec, p.child("timeZone")));
  append(errs, oneOf(spec, "concurrencyPolicy", p.child("concurrencyPolicy"),
                     {"Allow", "Forbid", "Replace"}, true));
  for (const char* n : {"startingDeadlineSeconds", "successfulJobsHistoryLimit",
                        "failedJobsHistoryLimit"}) {
    append(errs, nonNegative(spec, n, p.child(n)));
  }
  const Json& jobTemplate = objectOrEmpty(objectField(spec, "jobTemplate"));
  const Json& jobSpec = objectOrEmpty(objectField(jobTemplate, "spec"));
  const Path jp = p.child("jobTemplate", "spec");
  if (const Json* jtMeta = objectField(jobTemplate, "metadata")) {
    append(errs, validateLabels(objectField(*jtMeta, "labels"),
                                p.child("jobTemplate", "metadata", "labels")));
  }
  for (const char* n : {"parallelism", "completions", "activeDeadlineSeconds", "backoffLimit"}) {
    append(errs, nonNegative(jobSpec, n, jp.child(n)));
  }
  append(errs, validatePodTemplateSpec(objectOrEmpty(objectField(jobSpec, "template")),
                                       jp.child("template")));
  const Json* policy = field(templateSpec(jobSpec), "restartPolicy");
  if (policy != nullptr && *policy != "OnFailure" && *policy != "Never") {
    errs.push_back(notSupported(jp.child("template", "spec", "restartPolicy"), *policy,
                                {"OnFailure", "Never"}));
  }
  return errs;
}

}  // namespace tug::api::validation
