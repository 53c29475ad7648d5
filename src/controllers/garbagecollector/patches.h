#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controllers/garbagecollector/object_meta.h"

// The JSON patches (RFC 6902) the collector writes. Each tests the uid and the entries it
// touches before changing them, so a patch computed from a stale read fails (and is retried
// from a fresh one) instead of changing the wrong entry. nullopt: nothing to change.
namespace tug::controllers::gc {

// Drops the ownerReferences to the owners in `ownerUids` (the whole list when none remain).
std::optional<std::string> removeOwnerReferencesPatch(const json& obj,
                                                      const std::vector<std::string>& ownerUids);
// Sets blockOwnerDeletion=false on every reference that has it true.
std::optional<std::string> unblockOwnerReferencesPatch(const json& obj);
// Drops `finalizer` from metadata.finalizers.
std::optional<std::string> removeFinalizerPatch(const json& obj, const std::string& finalizer);

}  // namespace tug::controllers::gc
