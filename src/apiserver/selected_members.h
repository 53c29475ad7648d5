#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "apiserver/resource_selector.h"
#include "common/status.h"
#include "store/store.h"

// The few members of a stored object that a label or field selector reads, decoded out of its
// text while the rest is only skipped over (json_text.h). A watch with a selector (the
// scheduler's `status.phase!=...`, a kubelet's `spec.nodeName=...`) looks at every event of its
// resource; decoding each whole object to read one field of it is most of what such a watch
// would cost.
namespace tug::apiserver {

// An object holding, of the stored object `text`, each member named by one of `paths` (dotted
// member paths such as "status.phase" or "metadata.labels") that exists, with its value, and
// the objects on the way to it. A selector matches it exactly as it matches the whole object.
// Nothing when the text is not in the compact form tug stores objects in: decode it whole.
std::optional<nlohmann::json> selectedMembers(std::string_view text,
                                              const std::vector<std::string>& paths);

// What selectors reading `paths` need of a stored object: its selected members, or the whole
// object decoded when its text is not in the compact form. InternalError for damaged text.
Result<nlohmann::json> selectorView(const store::KeyValue& kv,
                                    const std::vector<std::string>& paths);

// The member paths `labels` and `fields` read of an object.
std::vector<std::string> selectorPaths(const LabelSelector& labels, const FieldSelector& fields);

}  // namespace tug::apiserver
