#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tug::apiserver {

// The named checks behind /healthz, /livez and /readyz, answered the way the upstream API
// server does: "ok", or with ?verbose one "[+]name ok" / "[-]name failed" line per check.
class HealthChecks {
 public:
  using Check = std::function<Status()>;
  void add(std::string name, Check check);

  struct Answer {
    int code;  // 200, or 500 when a check failed, or 404 for an unknown single check
    std::string body;
  };

  // `endpoint` is "healthz", "livez" or "readyz"; `only` names a single check (the
  // /healthz/<name> form) or is empty; `exclude` lists checks to skip (?exclude=name).
  Answer run(std::string_view endpoint, std::string_view only, bool verbose,
             const std::vector<std::string>& exclude) const;

 private:
  std::vector<std::pair<std::string, Check>> checks_;
};

}  // namespace tug::apiserver
