#include "controllers/workload/object_helpers.h"

#include <cstring>
#include <ctime>

#include "common/label_selector.h"
#include "common/rfc3339.h"

namespace tug::controllers {

std::string metaString(const json& obj, const char* key) {
  const json* v = at(obj, {"metadata", key});
  return v != nullptr && v->is_string() ? v->get<std::string>() : "";
}

std::string nameOf(const json& obj) { return metaString(obj, "name"); }
std::string namespaceOf(const json& obj) { return metaString(obj, "namespace"); }
std::string uidOf(const json& obj) { return metaString(obj, "uid"); }

bool beingDeleted(const json& obj) {
  const json* v = at(obj, {"metadata", "deletionTimestamp"});
  return v != nullptr && !v->is_null();
}

json labelsOf(const json& obj) {
  const json* v = at(obj, {"metadata", "labels"});
  return v != nullptr && v->is_object() ? *v : json::object();
}

const json* at(const json& obj, std::initializer_list<const char*> path) {
  const json* cur = &obj;
  for (const char* key : path) {
    if (!cur->is_object()) {
      return nullptr;
    }
    auto it = cur->find(key);
    if (it == cur->end()) {
      return nullptr;
    }
    cur = &*it;
  }
  return cur;
}

int64_t intAt(const json& obj, std::initializer_list<const char*> path, int64_t fallback) {
  const json* v = at(obj, path);
  return v != nullptr && v->is_number_integer() ? v->get<int64_t>() : fallback;
}

const json* controllerOf(const json& obj) {
  const json* refs = at(obj, {"metadata", "ownerReferences"});
  if (refs == nullptr || !refs->is_array()) {
    return nullptr;
  }
  for (const json& ref : *refs) {
    if (ref.is_object() && ref.value("controller", false)) {
      return &ref;
    }
  }
  return nullptr;
}

json newControllerRef(const json& owner, std::string_view apiVersion, std::string_view kind) {
  return {{"apiVersion", apiVersion},
          {"kind", kind},
          {"name", nameOf(owner)},
          {"uid", uidOf(owner)},
          {"controller", true},
          {"blockOwnerDeletion", true}};
}

std::string formatTime(TimePoint t) { return formatRfc3339(t); }

std::optional<TimePoint> parseTime(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  const char* rest = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) {
    return std::nullopt;
  }
  auto t = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (*rest == '.') {  // fractions: keep microseconds
    ++rest;
    int64_t micros = 0;
    int digits = 0;
    for (; *rest >= '0' && *rest <= '9'; ++rest, ++digits) {
      if (digits < 6) {
        micros = micros * 10 + (*rest - '0');
      }
    }
    for (; digits < 6; ++digits) {
      micros *= 10;
    }
    t += std::chrono::microseconds(micros);
  }
  if (*rest == 'Z' || *rest == 'z') {
    return t;
  }
  if ((*rest == '+' || *rest == '-') && std::strlen(rest) == 6 && rest[3] == ':') {
    int h = std::atoi(std::string(rest + 1, 2).c_str());
    int m = std::atoi(std::string(rest + 4, 2).c_str());
    auto offset = std::chrono::hours(h) + std::chrono::minutes(m);
    return *rest == '+' ? t - offset : t + offset;
  }
  return std::nullopt;
}

bool selectorMatches(const json& selector, const json& labels) {
  if (!selector.is_object()) {
    return false;
  }
  auto r = labelSelectorMatches(selector, labels);
  return r.ok() && *r;
}

bool selectorIsEmpty(const json& selector) {
  if (!selector.is_object()) {
    return true;
  }
  for (const char* k : {"matchLabels", "matchExpressions"}) {
    auto it = selector.find(k);
    if (it != selector.end() && !it->is_null() && !it->empty()) {
      return false;
    }
  }
  return true;
}

std::string podPhase(const json& pod) {
  const json* v = at(pod, {"status", "phase"});
  return v != nullptr && v->is_string() ? v->get<std::string>() : "";
}

bool podIsActive(const json& pod) {
  std::string phase = podPhase(pod);
  return phase != "Succeeded" && phase != "Failed" && !beingDeleted(pod);
}

const json* findCondition(const json& obj, std::string_view type) {
  const json* conds = at(obj, {"status", "conditions"});
  if (conds == nullptr || !conds->is_array()) {
    return nullptr;
  }
  for (const json& c : *conds) {
    if (c.is_object() && c.value("type", "") == type) {
      return &c;
    }
  }
  return nullptr;
}

bool podIsReady(const json& pod) {
  const json* c = findCondition(pod, "Ready");
  return c != nullptr && c->value("status", "") == "True";
}

std::optional<TimePoint> podReadySince(const json& pod) {
  const json* c = findCondition(pod, "Ready");
  if (c == nullptr || c->value("status", "") != "True") {
    return std::nullopt;
  }
  auto t = c->find("lastTransitionTime");
  return t != c->end() && t->is_string() ? parseTime(t->get<std::string>()) : std::nullopt;
}

bool podIsAvailable(const json& pod, int64_t minReadySeconds, TimePoint now) {
  if (!podIsReady(pod)) {
    return false;
  }
  if (minReadySeconds <= 0) {
    return true;
  }
  auto since = podReadySince(pod);
  return since && *since + std::chrono::seconds(minReadySeconds) < now;
}

int podMaxRestarts(const json& pod) {
  const json* statuses = at(pod, {"status", "containerStatuses"});
  int most = 0;
  if (statuses != nullptr && statuses->is_array()) {
    for (const json& s : *statuses) {
      if (s.is_object()) {
        most = std::max(most, s.value("restartCount", 0));
      }
    }
  }
  return most;
}

}  // namespace tug::controllers
