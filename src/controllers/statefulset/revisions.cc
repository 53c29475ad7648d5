#include "controllers/statefulset/revisions.h"

#include <algorithm>
#include <set>

#include "common/fnv.h"
#include "controllers/deployment/deployment_util.h"
#include "controllers/statefulset/stateful_pods.h"

namespace tug::controllers::statefulset {
namespace {

constexpr const char* kHashLabel = "controller.kubernetes.io/hash";
constexpr size_t kMaxParentChars = 223;

}  // namespace

json revisionData(const json& set) {
  json tmpl = json::object();
  if (const json* t = at(set, {"spec", "template"}); t != nullptr && t->is_object()) {
    tmpl = *t;
  }
  tmpl["$patch"] = "replace";
  return {{"spec", {{"template", std::move(tmpl)}}}};
}

std::string revisionHash(const json& data, int64_t collisionCount) {
  Fnv1Hash32 h;
  h.add(data.dump());
  h.add(std::to_string(collisionCount));
  return deployment::safeEncodeString(std::to_string(h.value()));
}

std::string revisionName(const std::string& parent, const std::string& hash) {
  return parent.substr(0, kMaxParentChars) + "-" + hash;
}

json newRevision(const json& set, int64_t number, int64_t collisionCount) {
  json labels = json::object();
  if (const json* l = at(set, {"spec", "template", "metadata", "labels"});
      l != nullptr && l->is_object()) {
    labels = *l;
  }
  json data = revisionData(set);
  std::string hash = revisionHash(data, collisionCount);
  labels[kHashLabel] = hash;
  json revision = {
      {"apiVersion", "apps/v1"},
      {"kind", "ControllerRevision"},
      {"metadata",
       {{"name", revisionName(nameOf(set), hash)},
        {"namespace", namespaceOf(set)},
        {"labels", std::move(labels)},
        {"ownerReferences", json::array({newControllerRef(set, "apps/v1", "StatefulSet")})}}},
      {"data", std::move(data)},
      {"revision", number}};
  // The set's annotations travel with the revision (`kubectl rollout history` shows the
  // change-cause one).
  if (const json* a = at(set, {"metadata", "annotations"});
      a != nullptr && a->is_object() && !a->empty()) {
    revision["metadata"]["annotations"] = *a;
  }
  return revision;
}

int64_t revisionNumber(const json& revision) { return intAt(revision, {"revision"}, 0); }

void sortRevisions(std::vector<json>& revisions) {
  std::stable_sort(revisions.begin(), revisions.end(), [](const json& a, const json& b) {
    if (revisionNumber(a) != revisionNumber(b)) {
      return revisionNumber(a) < revisionNumber(b);
    }
    std::string ta = metaString(a, "creationTimestamp"), tb = metaString(b, "creationTimestamp");
    if (ta != tb) {
      return ta < tb;
    }
    return nameOf(a) < nameOf(b);
  });
}

bool equalRevision(const json& a, const json& b) {
  return a.value("data", json()) == b.value("data", json());
}

int64_t nextRevisionNumber(const std::vector<json>& revisions) {
  return revisions.empty() ? 1 : revisionNumber(revisions.back()) + 1;
}

json applyRevision(const json& set, const json& revision) {
  json out = set;
  const json* tmpl = at(revision, {"data", "spec", "template"});
  if (tmpl != nullptr && tmpl->is_object()) {
    json restored = *tmpl;
    restored.erase("$patch");
    out["spec"]["template"] = std::move(restored);
  }
  return out;
}

std::vector<std::string> revisionsToTruncate(const json& set, const std::vector<json>& revisions,
                                             const std::vector<json>& pods,
                                             const std::string& current,
                                             const std::string& update) {
  std::set<std::string> live = {current, update};
  for (const json& pod : pods) {
    live.insert(podRevision(pod));
  }
  std::vector<std::string> history;
  for (const json& r : revisions) {
    if (!live.count(nameOf(r))) {
      history.push_back(nameOf(r));
    }
  }
  const int64_t limit = intAt(set, {"spec", "revisionHistoryLimit"}, 10);
  if (limit < 0 || static_cast<int64_t>(history.size()) <= limit) {
    return {};
  }
  history.resize(history.size() - static_cast<size_t>(limit));
  return history;
}

}  // namespace tug::controllers::statefulset
