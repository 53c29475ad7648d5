#include "apiserver/namespace_states.h"

#include "apiserver/object_meta.h"

namespace tug::apiserver {

NamespaceStates::NamespaceStates(store::Store& store, std::string prefix)
    : keys_(store, std::move(prefix), [](const store::KeyValue& kv) {
        return std::string(storedMetaString(kv, "deletionTimestamp").empty() ? "active"
                                                                             : "terminating");
      }) {}

NamespaceStates::State NamespaceStates::state(std::string_view name) const {
  auto digest = keys_.find(name);
  if (!digest) {
    return State::kUnknown;
  }
  return *digest == "terminating" ? State::kTerminating : State::kActive;
}

}  // namespace tug::apiserver
