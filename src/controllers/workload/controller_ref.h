#pragma once

#include <functional>
#include <string>
#include <vector>

#include "client/client.h"
#include "controllers/workload/object_helpers.h"

// Ownership of dependents by a controller (upstream's ControllerRefManager): a controller
// claims the objects its selector matches. It keeps what it owns and still matches, adopts
// matching orphans (adds its controller reference), releases what it owns that no longer
// matches (removes its reference), and leaves objects other controllers own alone.
namespace tug::controllers {

enum class ClaimAction { kKeep, kAdopt, kRelease, kIgnore };

// What `owner` (whose selector is `selector`) should do about `obj`. Pure.
ClaimAction claimAction(const json& owner, const json& selector, const json& obj);

// The strategic merge patch that adds `ref` to obj's ownerReferences, and the one that removes
// the reference to `ownerUid`. Both carry obj's uid, so they fail (422) on a re-created object.
std::string adoptPatch(const json& obj, const json& ref);
std::string releasePatch(const json& obj, const std::string& ownerUid);

struct ClaimTarget {
  client::Client& client;
  client::Resource resource;  // of the dependents
  json owner;
  json selector;
  json ownerRef;  // the controller reference adoptions add
  // Asked once before the first adoption: false when the owner is gone or being deleted
  // (a fresh read, not the cache), so a deleted owner adopts nothing.
  std::function<Result<bool>()> canAdopt;
};

// Claims `candidates` for the target's owner and returns those it owns afterwards (adopted
// ones as patched). Objects that vanished meanwhile are skipped; other errors are returned.
Result<std::vector<json>> claim(ClaimTarget& target, const std::vector<json>& candidates);

}  // namespace tug::controllers
