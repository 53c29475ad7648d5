#pragma once

#include <string>

namespace tug::cli {

// "v0.1.0 (git <commit>)", for logs.
std::string shortVersion();

// `tug version`: "tug version v0.1.0 (git <commit>)\nkubernetes v1.31.0\n".
std::string versionText();

}  // namespace tug::cli
