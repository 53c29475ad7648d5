#include "api/quota/limit_ranger.h"

#include <cstdio>
#include <set>

#include "api/json_member.h"
#include "api/quota/pod_resources.h"
#include "api/quota/resource_list.h"

namespace tug::api::quota {
namespace {

using nlohmann::json;

template <typename F>
void forEachItem(const json& limitRange, F f) {
  const json& items = member(member(limitRange, "spec"), "limits");
  if (items.is_array()) {
    for (const auto& item : items) {
      f(item, memberString(item, "type"));
    }
  }
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) {
    out += (out.empty() ? "" : sep) + p;
  }
  return out;
}

// Sets `defaults` into the container's resources.<which> where absent; returns the names set.
std::vector<std::string> fillIn(json& container, const char* which, const json& defaults) {
  std::vector<std::string> set;
  if (!defaults.is_object() || defaults.empty()) {
    return set;
  }
  json& resources = container["resources"];
  if (!resources.is_object()) {
    resources = json::object();
  }
  json& list = resources[which];
  if (!list.is_object()) {
    list = json::object();
  }
  for (auto it = defaults.begin(); it != defaults.end(); ++it) {
    if (!list.contains(it.key())) {
      list[it.key()] = it.value();
      set.push_back(it.key());
    }
  }
  return set;
}

void check(std::vector<std::string>& errors, const std::string& type, const json& bounds,
           const ResourceList& requests, const ResourceList& limits,
           void (*rule)(std::vector<std::string>&, const std::string&, const std::string&,
                        const Amount&, const ResourceList&, const ResourceList&)) {
  for (const auto& [name, bound] : resourceListFrom(bounds)) {
    rule(errors, type, name, bound, requests, limits);
  }
}

const Amount* find(const ResourceList& list, const std::string& name) {
  auto it = list.find(name);
  return it == list.end() ? nullptr : &it->second;
}

void minimum(std::vector<std::string>& errors, const std::string& type, const std::string& name,
             const Amount& bound, const ResourceList& requests, const ResourceList& limits) {
  const std::string head = "minimum " + name + " usage per " + type + " is " + bound.text();
  const Amount* req = find(requests, name);
  const Amount* lim = find(limits, name);
  if (req == nullptr) {
    errors.push_back(head + ".  No request is specified");
  } else if (req->quantity < bound.quantity) {
    errors.push_back(head + ", but request is " + req->text());
  } else if (lim != nullptr && lim->quantity < bound.quantity) {
    errors.push_back(head + ", but limit is " + lim->text());
  }
}

void maximum(std::vector<std::string>& errors, const std::string& type, const std::string& name,
             const Amount& bound, const ResourceList& requests, const ResourceList& limits) {
  const std::string head = "maximum " + name + " usage per " + type + " is " + bound.text();
  const Amount* req = find(requests, name);
  const Amount* lim = find(limits, name);
  if (lim == nullptr) {
    errors.push_back(head + ".  No limit is specified");
  } else if (bound.quantity < lim->quantity) {
    errors.push_back(head + ", but limit is " + lim->text());
  } else if (req != nullptr && bound.quantity < req->quantity) {
    errors.push_back(head + ", but request is " + req->text());
  }
}

// Claims have no limits: their max bounds the request.
void maximumRequest(std::vector<std::string>& errors, const std::string& type,
                    const std::string& name, const Amount& bound, const ResourceList& requests,
                    const ResourceList&) {
  const std::string head = "maximum " + name + " usage per " + type + " is " + bound.text();
  const Amount* req = find(requests, name);
  if (req == nullptr) {
    errors.push_back(head + ".  No request is specified");
  } else if (bound.quantity < req->quantity) {
    errors.push_back(head + ", but request is " + req->text());
  }
}

void ratio(std::vector<std::string>& errors, const std::string& type, const std::string& name,
           const Amount& bound, const ResourceList& requests, const ResourceList& limits) {
  const std::string head =
      name + " max limit to request ratio per " + type + " is " + bound.text();
  const Amount* req = find(requests, name);
  const Amount* lim = find(limits, name);
  if (req == nullptr || req->quantity.milliValue() == 0) {
    errors.push_back(head + ", but no request is specified or request is 0");
    return;
  }
  if (lim == nullptr || lim->quantity.milliValue() == 0) {
    errors.push_back(head + ", but no limit is specified or limit is 0");
    return;
  }
  const double observed = static_cast<double>(lim->quantity.milliValue()) /
                          static_cast<double>(req->quantity.milliValue());
  if (observed * 1000 > static_cast<double>(bound.quantity.milliValue())) {
    char shown[64];
    std::snprintf(shown, sizeof shown, "%f", observed);
    errors.push_back(head + ", but provided ratio is " + shown);
  }
}

void checkAll(std::vector<std::string>& errors, const std::string& type, const json& item,
              const ResourceList& requests, const ResourceList& limits) {
  check(errors, type, member(item, "min"), requests, limits, minimum);
  check(errors, type, member(item, "max"), requests, limits, maximum);
  check(errors, type, member(item, "maxLimitRequestRatio"), requests, limits, ratio);
}

}  // namespace

void applyContainerDefaults(const json& limitRange, json& pod) {
  json limits = json::object(), requests = json::object();
  forEachItem(limitRange, [&](const json& item, const std::string& type) {
    if (type != "Container") {
      return;
    }
    for (const auto& [from, into] : {std::pair{"default", &limits},
                                     std::pair{"defaultRequest", &requests}}) {
      const json& values = member(item, from);
      if (values.is_object()) {
        into->update(values);
      }
    }
  });
  if ((limits.empty() && requests.empty()) || !pod.is_object() || !pod.contains("spec")) {
    return;
  }
  std::vector<std::string> notes;
  json& spec = pod["spec"];
  for (const auto& [list, label] : {std::pair{"containers", "container"},
                                    std::pair{"initContainers", "init container"}}) {
    if (!spec.is_object() || !spec.contains(list) || !spec[list].is_array()) {
      continue;
    }
    for (json& c : spec[list]) {
      if (!c.is_object()) {
        continue;
      }
      const std::string name = memberString(c, "name");
      std::vector<std::string> setLimits = fillIn(c, "limits", limits);
      std::vector<std::string> setRequests = fillIn(c, "requests", requests);
      if (!setRequests.empty()) {
        notes.push_back(join(setRequests, ", ") + " request for " + label + " " + name);
      }
      if (!setLimits.empty()) {
        notes.push_back(join(setLimits, ", ") + " limit for " + label + " " + name);
      }
    }
  }
  if (!notes.empty()) {
    json& meta = pod["metadata"];
    if (!meta.contains("annotations") || !meta["annotations"].is_object()) {
      meta["annotations"] = json::object();
    }
    meta["annotations"][kLimitRangerAnnotation] = "LimitRanger plugin set: " + join(notes, "; ");
  }
}

std::vector<std::string> podViolations(const json& limitRange, const json& pod) {
  std::vector<std::string> errors;
  const json& spec = member(pod, "spec");
  forEachItem(limitRange, [&](const json& item, const std::string& type) {
    if (type == "Container") {
      for (const char* list : {"containers", "initContainers"}) {
        const json& containers = member(spec, list);
        if (!containers.is_array()) {
          continue;
        }
        for (const auto& c : containers) {
          checkAll(errors, type, item, containerResources(c, "requests"),
                   containerResources(c, "limits"));
        }
      }
    } else if (type == "Pod") {
      checkAll(errors, type, item, podResources(pod, "requests", false),
               podResources(pod, "limits", false));
    }
  });
  return errors;
}

std::vector<std::string> claimViolations(const json& limitRange, const json& pvc) {
  std::vector<std::string> errors;
  ResourceList requests =
      resourceListFrom(member(member(member(pvc, "spec"), "resources"), "requests"));
  forEachItem(limitRange, [&](const json& item, const std::string& type) {
    if (type == "PersistentVolumeClaim") {
      check(errors, type, member(item, "min"), requests, {}, minimum);
      check(errors, type, member(item, "max"), requests, {}, maximumRequest);
    }
  });
  return errors;
}

std::string aggregateMessages(const std::vector<std::string>& messages) {
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const std::string& m : messages) {
    if (seen.insert(m).second) {
      unique.push_back(m);
    }
  }
  if (unique.size() == 1) {
    return unique[0];
  }
  return "[" + join(unique, ", ") + "]";
}

}  // namespace tug::api::quota
