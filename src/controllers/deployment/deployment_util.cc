#include "controllers/deployment/deployment_util.h"

#include <algorithm>
#include <set>

#include "common/fnv.h"

namespace tug::controllers::deployment {
namespace {

const std::set<std::string>& annotationsNotCopied() {
  static const std::set<std::string> kSkip = {
      "kubectl.kubernetes.io/last-applied-configuration", kRevision, kRevisionHistory,
      kDesiredReplicas, kMaxReplicas, "deprecated.deployment.rollback.to"};
  return kSkip;
}

std::optional<int64_t> parseInt(const std::string& s) {
  if (s.empty()) {
    return std::nullopt;
  }
  try {
    size_t used = 0;
    int64_t v = std::stoll(s, &used);
    return used == s.size() ? std::optional<int64_t>(v) : std::nullopt;
  } catch (...) {
    return std::nullopt;
  }
}

std::string annotation(const json& obj, const std::string& key) {
  const json* v = at(obj, {"metadata", "annotations"});
  if (v == nullptr || !v->is_object()) {
    return "";
  }
  auto it = v->find(key);
  return it != v->end() && it->is_string() ? it->get<std::string>() : "";
}

bool hasAnnotation(const json& obj, const std::string& key) {
  const json* v = at(obj, {"metadata", "annotations"});
  return v != nullptr && v->is_object() && v->contains(key);
}

json& annotationsOf(json& obj) {
  json& a = obj["metadata"]["annotations"];
  if (!a.is_object()) {
    a = json::object();
  }
  return a;
}

std::string creationOf(const json& obj) { return metaString(obj, "creationTimestamp"); }

int64_t statusInt(const json& status, const char* key) {
  auto it = status.find(key);
  return it != status.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

void putCount(json& status, const char* key, int64_t value) {
  if (value != 0) {
    status[key] = value;
  }
}

// Go's integer.RoundToInt32: halves away from zero.
int64_t roundHalfAway(double v) {
  return v < 0 ? static_cast<int64_t>(v - 0.5) : static_cast<int64_t>(v + 0.5);
}

int64_t proportionFor(const json& rs, const json& d, int64_t toAdd, int64_t added) {
  const int64_t size = replicasOf(rs);
  if (size == 0 || toAdd == 0 || toAdd == added) {
    return 0;
  }
  int64_t fraction;
  if (replicasOf(d) == 0) {
    fraction = -size;
  } else {
    const int64_t deploymentReplicas = replicasOf(d) + maxSurge(d);
    int64_t annotated = intAnnotation(rs, kMaxReplicas)
                            .value_or(intAt(d, {"status", "replicas"}, 0));
    if (annotated == 0) {
      return 0;  // never proportionally scale from zero
    }
    double newSize = static_cast<double>(size * deploymentReplicas) / static_cast<double>(annotated);
    fraction = roundHalfAway(newSize) - size;
  }
  const int64_t allowed = toAdd - added;
  return toAdd > 0 ? std::min(fraction, allowed) : std::max(fraction, allowed);
}

// The template as Go would compare it: a null member is the same as an absent one
// (`creationTimestamp: null` comes back in templates that clients send whole).
json withoutNulls(const json& v) {
  if (v.is_object()) {
    json out = json::object();
    for (const auto& [k, x] : v.items()) {
      if (!x.is_null()) {
        out[k] = withoutNulls(x);
      }
    }
    return out;
  }
  if (v.is_array()) {
    json out = json::array();
    for (const json& x : v) {
      out.push_back(withoutNulls(x));
    }
    return out;
  }
  return v;
}

}  // namespace

std::string safeEncodeString(const std::string& s) {
  static constexpr char kAlphanums[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(kAlphanums[c % (sizeof kAlphanums - 1)]);
  }
  return out;
}

std::string computeHash(const json& podTemplate, std::optional<int64_t> collisionCount) {
  Fnv1aHash32 h;
  h.add(withoutNulls(podTemplate).dump());
  if (collisionCount) {
    // Go's hasher writes the count as 8 bytes: the low 32 bits little-endian, then zeros.
    uint32_t v = static_cast<uint32_t>(*collisionCount);
    for (int i = 0; i < 8; ++i) {
      h.add(static_cast<unsigned char>(i < 4 ? (v >> (8 * i)) & 0xff : 0));
    }
  }
  return safeEncodeString(std::to_string(h.value()));
}

bool equalIgnoreHash(const json& a, const json& b) {
  json x = withoutNulls(a), y = withoutNulls(b);
  for (json* t : {&x, &y}) {
    if (t->is_object() && t->contains("metadata") && (*t)["metadata"].is_object()) {
      json& labels = (*t)["metadata"]["labels"];
      if (labels.is_object()) {
        labels.erase(kHashLabel);
      }
      if (labels.is_null() || labels.empty()) {
        (*t)["metadata"].erase("labels");
      }
    }
  }
  return x == y;
}

int64_t replicasOf(const json& obj) { return intAt(obj, {"spec", "replicas"}, 1); }
int64_t availableOf(const json& rs) { return intAt(rs, {"status", "availableReplicas"}, 0); }

bool isRollingUpdate(const json& d) {
  const json* t = at(d, {"spec", "strategy", "type"});
  return t != nullptr && t->is_string() && *t == "RollingUpdate";
}

std::optional<int64_t> scaledValue(const json& v, int64_t total, bool roundUp) {
  if (v.is_null()) {
    return 0;
  }
  if (v.is_number_integer()) {
    return v.get<int64_t>();
  }
  if (!v.is_string()) {
    return std::nullopt;
  }
  std::string s = v.get<std::string>();
  if (s.empty() || s.back() != '%') {
    return std::nullopt;
  }
  auto percent = parseInt(s.substr(0, s.size() - 1));
  if (!percent) {
    return std::nullopt;
  }
  int64_t product = *percent * total;
  return roundUp ? (product + 99) / 100 : product / 100;
}

Fenceposts resolveFenceposts(const json& d) {
  const json* ru = at(d, {"spec", "strategy", "rollingUpdate"});
  json surge = ru != nullptr && ru->is_object() ? ru->value("maxSurge", json()) : json();
  json unavailable = ru != nullptr && ru->is_object() ? ru->value("maxUnavailable", json()) : json();
  const int64_t desired = replicasOf(d);
  Fenceposts f{scaledValue(surge, desired, true).value_or(0),
               scaledValue(unavailable, desired, false).value_or(0)};
  if (f.surge == 0 && f.unavailable == 0) {
    f.unavailable = 1;
  }
  return f;
}

int64_t maxSurge(const json& d) { return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0; }

int64_t maxUnavailable(const json& d) {
  if (!isRollingUpdate(d) || replicasOf(d) == 0) {
    return 0;
  }
  return std::min(resolveFenceposts(d).unavailable, replicasOf(d));
}

int64_t sumReplicas(const std::vector<const json*>& rss) {
  int64_t n = 0;
  for (const json* rs : rss) {
    n += rs != nullptr ? replicasOf(*rs) : 0;
  }
  return n;
}

int64_t sumStatusReplicas(const std::vector<const json*>& rss) {
  int64_t n = 0;
  for (const json* rs : rss) {
    n += rs != nullptr ? intAt(*rs, {"status", "replicas"}, 0) : 0;
  }
  return n;
}

int64_t sumAvailable(const std::vector<const json*>& rss) {
  int64_t n = 0;
  for (const json* rs : rss) {
    n += rs != nullptr ? availableOf(*rs) : 0;
  }
  return n;
}

int64_t sumReady(const std::vector<const json*>& rss) {
  int64_t n = 0;
  for (const json* rs : rss) {
    n += rs != nullptr ? intAt(*rs, {"status", "readyReplicas"}, 0) : 0;
  }
  return n;
}

std::vector<const json*> activeOnly(const std::vector<const json*>& rss) {
  std::vector<const json*> out;
  for (const json* rs : rss) {
    if (rs != nullptr && replicasOf(*rs) > 0) {
      out.push_back(rs);
    }
  }
  return out;
}

bool createdBefore(const json& a, const json& b) {
  auto ta = parseTime(creationOf(a)), tb = parseTime(creationOf(b));
  if (ta == tb) {
    return nameOf(a) < nameOf(b);
  }
  if (!ta || !tb) {
    return !ta;
  }
  return *ta < *tb;
}

void sortByCreation(std::vector<const json*>& rss) {
  std::stable_sort(rss.begin(), rss.end(),
                   [](const json* a, const json* b) { return createdBefore(*a, *b); });
}

void sortByRevision(std::vector<const json*>& rss) {
  std::stable_sort(rss.begin(), rss.end(), [](const json* a, const json* b) {
    int64_t ra = revisionOf(*a), rb = revisionOf(*b);
    return ra == rb ? createdBefore(*a, *b) : ra < rb;
  });
}

const json* findNewReplicaSet(const json& d, const std::vector<const json*>& rss) {
  std::vector<const json*> sorted = rss;
  sortByCreation(sorted);
  const json* tmpl = at(d, {"spec", "template"});
  for (const json* rs : sorted) {
    const json* rsTmpl = at(*rs, {"spec", "template"});
    if (tmpl != nullptr && rsTmpl != nullptr && equalIgnoreHash(*rsTmpl, *tmpl)) {
      return rs;
    }
  }
  return nullptr;
}

int64_t newRSNewReplicas(const json& d, const std::vector<const json*>& allRSs,
                         const json& newRS) {
  if (!isRollingUpdate(d)) {
    return replicasOf(d);
  }
  const int64_t current = sumReplicas(allRSs);
  const int64_t maxTotal = replicasOf(d) + maxSurge(d);
  if (current >= maxTotal) {
    return replicasOf(newRS);
  }
  int64_t up = std::min(maxTotal - current, replicasOf(d) - replicasOf(newRS));
  return replicasOf(newRS) + up;
}

int64_t revisionOf(const json& rs) { return parseInt(annotation(rs, kRevision)).value_or(0); }

int64_t maxRevision(const std::vector<const json*>& rss) {
  int64_t most = 0;
  for (const json* rs : rss) {
    if (rs != nullptr) {
      most = std::max(most, revisionOf(*rs));
    }
  }
  return most;
}

std::optional<int64_t> intAnnotation(const json& obj, const char* key) {
  return parseInt(annotation(obj, key));
}

bool setReplicasAnnotations(json& rs, int64_t desired, int64_t max) {
  bool changed = false;
  json& a = annotationsOf(rs);
  for (auto [key, value] : {std::pair{kDesiredReplicas, desired}, std::pair{kMaxReplicas, max}}) {
    std::string text = std::to_string(value);
    if (a.value(key, std::string()) != text || !a.contains(key)) {
      a[key] = text;
      changed = true;
    }
  }
  return changed;
}

bool replicasAnnotationsNeedUpdate(const json& rs, int64_t desired, int64_t max) {
  return annotation(rs, kDesiredReplicas) != std::to_string(desired) ||
         annotation(rs, kMaxReplicas) != std::to_string(max) ||
         !hasAnnotation(rs, kDesiredReplicas) || !hasAnnotation(rs, kMaxReplicas);
}

bool setNewReplicaSetAnnotations(const json& d, json& rs, const std::string& newRevision,
                                 bool exists) {
  bool changed = false;
  json& a = annotationsOf(rs);
  const json* from = at(d, {"metadata", "annotations"});
  if (from != nullptr && from->is_object()) {
    for (const auto& [k, v] : from->items()) {
      if (annotationsNotCopied().count(k) || (a.contains(k) && a[k] == v)) {
        continue;
      }
      a[k] = v;
      changed = true;
    }
  }
  const bool hadRevision = a.contains(kRevision);
  const std::string oldRevision = a.value(kRevision, std::string());
  auto oldInt = parseInt(oldRevision);
  if (!oldInt) {
    if (!oldRevision.empty()) {
      return false;  // upstream gives up on a revision it cannot read
    }
    oldInt = 0;
  }
  auto newInt = parseInt(newRevision);
  if (!newInt) {
    return false;
  }
  if (*oldInt < *newInt) {
    a[kRevision] = newRevision;
    changed = true;
  }
  if (hadRevision && *oldInt < *newInt) {
    // A revision that comes back (a rollback) keeps the ones it had, as far as they fit.
    std::string history = a.value(kRevisionHistory, std::string());
    if (history.empty()) {
      a[kRevisionHistory] = oldRevision;
    } else {
      std::vector<std::string> revs;
      size_t pos = 0;
      while (true) {
        size_t comma = history.find(',', pos);
        revs.push_back(history.substr(pos, comma - pos));
        if (comma == std::string::npos) {
          break;
        }
        pos = comma + 1;
      }
      int64_t total = static_cast<int64_t>(history.size() + oldRevision.size() + 1);
      size_t start = 0;
      while (total > kRevisionHistoryChars && start < revs.size()) {
        total -= static_cast<int64_t>(revs[start].size()) + 1;
        ++start;
      }
      if (total <= kRevisionHistoryChars) {
        std::string joined;
        for (size_t i = start; i < revs.size(); ++i) {
          joined += revs[i] + ",";
        }
        a[kRevisionHistory] = joined + oldRevision;
      }
    }
  }
  if (!exists &&
      setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) {
    changed = true;
  }
  return changed;
}

json newCondition(const std::string& type, const std::string& status, const std::string& reason,
                  const std::string& message, TimePoint now) {
  std::string t = formatTime(now);
  return {{"type", type},       {"status", status},  {"lastUpdateTime", t},
          {"lastTransitionTime", t}, {"reason", reason}, {"message", message}};
}

const json* getCondition(const json& status, const std::string& type) {
  auto it = status.find("conditions");
  if (it == status.end() || !it->is_array()) {
    return nullptr;
  }
  for (const json& c : *it) {
    if (c.is_object() && c.value("type", "") == type) {
      return &c;
    }
  }
  return nullptr;
}

void removeCondition(json& status, const std::string& type) {
  auto it = status.find("conditions");
  if (it == status.end() || !it->is_array()) {
    return;
  }
  json kept = json::array();
  for (const json& c : *it) {
    if (!(c.is_object() && c.value("type", "") == type)) {
      kept.push_back(c);
    }
  }
  if (kept.empty()) {
    status.erase("conditions");
  } else {
    *it = std::move(kept);
  }
}

void setCondition(json& status, json condition) {
  const std::string type = condition.value("type", "");
  if (const json* current = getCondition(status, type)) {
    if (current->value("status", "") == condition.value("status", "") &&
        current->value("reason", "") == condition.value("reason", "")) {
      return;
    }
    if (current->value("status", "") == condition.value("status", "")) {
      condition["lastTransitionTime"] = current->value("lastTransitionTime", json());
    }
  }
  removeCondition(status, type);
  status["conditions"].push_back(std::move(condition));
}

bool hasProgressDeadline(const json& d) {
  const json* v = at(d, {"spec", "progressDeadlineSeconds"});
  return v != nullptr && v->is_number_integer() && v->get<int64_t>() != 2147483647;
}

json calculateStatus(const std::vector<const json*>& allRSs, const json* newRS, const json& d,
                     TimePoint now) {
  const int64_t available = sumAvailable(allRSs);
  const int64_t unavailable = std::max<int64_t>(sumReplicas(allRSs) - available, 0);
  json status = json::object();
  putCount(status, "observedGeneration", intAt(d, {"metadata", "generation"}, 0));
  putCount(status, "replicas", sumStatusReplicas(allRSs));
  putCount(status, "updatedReplicas", sumStatusReplicas({newRS}));
  putCount(status, "readyReplicas", sumReady(allRSs));
  putCount(status, "availableReplicas", available);
  putCount(status, "unavailableReplicas", unavailable);
  if (const json* cc = at(d, {"status", "collisionCount"}); cc != nullptr && !cc->is_null()) {
    status["collisionCount"] = *cc;
  }
  if (const json* conds = at(d, {"status", "conditions"});
      conds != nullptr && conds->is_array() && !conds->empty()) {
    status["conditions"] = *conds;
  }
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition("Available", "True", "MinimumReplicasAvailable",
                                      "Deployment has minimum availability.", now));
  } else {
    setCondition(status, newCondition("Available", "False", "MinimumReplicasUnavailable",
                                      "Deployment does not have minimum availability.", now));
  }
  return status;
}

bool deploymentComplete(const json& d, const json& status) {
  const int64_t want = replicasOf(d);
  return statusInt(status, "updatedReplicas") == want && statusInt(status, "replicas") == want &&
         statusInt(status, "availableReplicas") == want &&
         statusInt(status, "observedGeneration") >= intAt(d, {"metadata", "generation"}, 0);
}

bool deploymentProgressing(const json& d, const json& status) {
  const json old = d.value("status", json::object());
  const int64_t oldOld = statusInt(old, "replicas") - statusInt(old, "updatedReplicas");
  const int64_t newOld = statusInt(status, "replicas") - statusInt(status, "updatedReplicas");
  return statusInt(status, "updatedReplicas") > statusInt(old, "updatedReplicas") ||
         newOld < oldOld || statusInt(status, "readyReplicas") > statusInt(old, "readyReplicas") ||
         statusInt(status, "availableReplicas") > statusInt(old, "availableReplicas");
}

bool deploymentTimedOut(const json& d, const json& status, TimePoint now) {
  if (!hasProgressDeadline(d)) {
    return false;
  }
  const json* c = getCondition(status, "Progressing");
  if (c == nullptr) {
    return false;
  }
  const std::string reason = c->value("reason", "");
  if (reason == "NewReplicaSetAvailable") {
    return false;
  }
  if (reason == "ProgressDeadlineExceeded") {
    return true;
  }
  auto from = parseTime(c->value("lastUpdateTime", ""));
  if (!from) {
    return false;
  }
  return *from + std::chrono::seconds(intAt(d, {"spec", "progressDeadlineSeconds"})) < now;
}

std::vector<std::pair<std::string, int64_t>> proportionalSizes(
    const json& d, const std::vector<const json*>& activeRSs) {
  std::vector<const json*> rss = activeRSs;
  const int64_t current = sumReplicas(rss);
  const int64_t allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const int64_t toAdd = allowed - current;
  if (toAdd > 0) {  // larger first; among equals, newer first
    std::stable_sort(rss.begin(), rss.end(), [](const json* a, const json* b) {
      return replicasOf(*a) == replicasOf(*b) ? createdBefore(*b, *a)
                                              : replicasOf(*a) > replicasOf(*b);
    });
  } else if (toAdd < 0) {  // larger first; among equals, older first
    std::stable_sort(rss.begin(), rss.end(), [](const json* a, const json* b) {
      return replicasOf(*a) == replicasOf(*b) ? createdBefore(*a, *b)
                                              : replicasOf(*a) > replicasOf(*b);
    });
  }
  std::vector<std::pair<std::string, int64_t>> sizes;
  int64_t added = 0;
  for (const json* rs : rss) {
    int64_t p = toAdd != 0 ? proportionFor(*rs, d, toAdd, added) : 0;
    sizes.emplace_back(nameOf(*rs), replicasOf(*rs) + p);
    added += p;
  }
  if (!sizes.empty() && toAdd != 0) {
    sizes[0].second = std::max<int64_t>(sizes[0].second + toAdd - added, 0);
  }
  return sizes;
}

const json* findActiveOrLatest(const json* newRS, std::vector<const json*> oldRSs) {
  if (newRS == nullptr && oldRSs.empty()) {
    return nullptr;
  }
  sortByCreation(oldRSs);
  std::reverse(oldRSs.begin(), oldRSs.end());
  std::vector<const json*> all = oldRSs;
  all.push_back(newRS);
  std::vector<const json*> active = activeOnly(all);
  if (active.empty()) {
    return newRS != nullptr ? newRS : oldRSs[0];
  }
  return active.size() == 1 ? active[0] : nullptr;
}

bool isSaturated(const json& d, const json* rs) {
  if (rs == nullptr) {
    return false;
  }
  auto desired = intAnnotation(*rs, kDesiredReplicas);
  return desired && replicasOf(*rs) == replicasOf(d) && *desired == replicasOf(d) &&
         availableOf(*rs) == replicasOf(d);
}

std::vector<std::pair<std::string, int64_t>> oldReplicaSetScaleDowns(
    const json& d, const std::vector<const json*>& oldRSs, const json& newRS) {
  std::vector<std::pair<std::string, int64_t>> plan;
  // Working copies: sizes change as the plan is made.
  std::vector<json> olds;
  for (const json* rs : activeOnly(oldRSs)) {
    olds.push_back(*rs);
  }
  auto oldPtrs = [&olds] {
    std::vector<const json*> v;
    for (const json& rs : olds) {
      v.push_back(&rs);
    }
    return v;
  };
  const int64_t oldPods = sumReplicas(oldPtrs());
  if (oldPods == 0) {
    return plan;
  }
  const int64_t allPods = oldPods + replicasOf(newRS);
  const int64_t minAvailable = replicasOf(d) - maxUnavailable(d);
  const int64_t newUnavailable = replicasOf(newRS) - availableOf(newRS);
  const int64_t maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) {
    return plan;
  }
  std::stable_sort(olds.begin(), olds.end(), createdBefore);
  int64_t cleaned = 0;
  for (json& rs : olds) {
    if (cleaned >= maxScaledDown) {
      break;
    }
    const int64_t size = replicasOf(rs);
    if (size == 0 || size == availableOf(rs)) {
      continue;
    }
    const int64_t down = std::min(maxScaledDown - cleaned, size - availableOf(rs));
    rs["spec"]["replicas"] = size - down;
    plan.emplace_back(nameOf(rs), size - down);
    cleaned += down;
  }
  std::vector<const json*> all = oldPtrs();
  all.push_back(&newRS);
  const int64_t availablePods = sumAvailable(all);
  if (availablePods <= minAvailable) {
    return plan;
  }
  const int64_t toScaleDown = availablePods - minAvailable;
  int64_t scaled = 0;
  for (json& rs : olds) {
    if (scaled >= toScaleDown) {
      break;
    }
    const int64_t size = replicasOf(rs);
    if (size == 0) {
      continue;
    }
    const int64_t down = std::min(size, toScaleDown - scaled);
    rs["spec"]["replicas"] = size - down;
    plan.emplace_back(nameOf(rs), size - down);
    scaled += down;
  }
  return plan;
}

}  // namespace tug::controllers::deployment
