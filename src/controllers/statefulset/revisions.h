#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "controllers/workload/object_helpers.h"

// A StatefulSet's ControllerRevisions (apps/v1) as pure functions over JSON (upstream's
// controller/history and the revision parts of stateful_set_utils.go are the specification).
// A revision holds the patch that restores the set's pod template,
// {"spec":{"template":{...,"$patch":"replace"}}}, is named "<set>-<hash>" and numbered by
// `revision`; the pods of a revision carry its name in their controller-revision-hash label.
namespace tug::controllers::statefulset {

// The patch a revision of `set` stores.
json revisionData(const json& set);
// FNV-32 over the data's compact JSON (keys sorted) followed by the decimal collision count,
// the 32-bit sum in decimal spelled with SafeEncodeString's alphabet (as upstream's
// HashControllerRevision; upstream hashes Go's encoding, so the values differ from upstream's,
// but the same template and count always give the same hash).
std::string revisionHash(const json& data, int64_t collisionCount);
// "<parent>-<hash>", the parent cut to 223 characters so the name fits.
std::string revisionName(const std::string& parent, const std::string& hash);

// A new ControllerRevision of `set`: labels from the template plus the hash label, the set's
// annotations, a controller reference, the data and `number`, named after the hash with
// `collisionCount`.
json newRevision(const json& set, int64_t number, int64_t collisionCount);

int64_t revisionNumber(const json& revision);
// By revision number, then creation time, then name.
void sortRevisions(std::vector<json>& revisions);
// Same data (the template patch).
bool equalRevision(const json& a, const json& b);
// One more than the highest number of sorted `revisions`, 1 when there are none.
int64_t nextRevisionNumber(const std::vector<json>& revisions);
// `set` with the pod template a revision stores.
json applyRevision(const json& set, const json& revision);

// The names of the revisions to delete so that at most spec.revisionHistoryLimit revisions
// remain besides the live ones (current, update, and those pods still carry), oldest first.
// `revisions` are sorted.
std::vector<std::string> revisionsToTruncate(const json& set, const std::vector<json>& revisions,
                                             const std::vector<json>& pods,
                                             const std::string& current, const std::string& update);

}  // namespace tug::controllers::statefulset
