#include "auth/bootstrap_policy.h"

#include <string_view>

namespace tug::embedded {
extern const std::string_view kRbacBootstrapJson;
}  // namespace tug::embedded

namespace tug::auth {

BootstrapPolicy bootstrapPolicy() {
  // Parsed once: the asset is part of the binary, so a parse failure is a build defect and
  // throws on first use in any test.
  static const nlohmann::json parsed = nlohmann::json::parse(embedded::kRbacBootstrapJson);
  return BootstrapPolicy{parsed.at("clusterRoles").get<std::vector<nlohmann::json>>(),
                         parsed.at("clusterRoleBindings").get<std::vector<nlohmann::json>>()};
}

}  // namespace tug::auth
