#pragma once

#include <nlohmann/json.hpp>

namespace tug::apiserver {

// The body of GET /version. gitVersion is the Kubernetes version with tug's own as semver build
// metadata ("v1.31.0+tug.0.1.0"), so kubectl's version-skew check reads it as 1.31.
nlohmann::json versionInfo();

}  // namespace tug::apiserver
