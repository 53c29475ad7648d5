#include "apiserver/health.h"

#include <algorithm>

namespace tug::apiserver {

void HealthChecks::add(std::string name, Check check) {
  checks_.emplace_back(std::move(name), std::move(check));
}

HealthChecks::Answer HealthChecks::run(std::string_view endpoint, std::string_view only,
                                       bool verbose,
                                       const std::vector<std::string>& exclude) const {
  if (!only.empty()) {
    for (const auto& [name, check] : checks_) {
      if (name == only) {
        Status s = check();
        return s.isOk() ? Answer{200, "ok"}
                        : Answer{500, "internal server error: " + s.message() + "\n"};
      }
    }
    return Answer{404, "404 page not found\n"};
  }
  std::string lines;
  bool failed = false;
  for (const auto& [name, check] : checks_) {
    if (std::find(exclude.begin(), exclude.end(), name) != exclude.end()) {
      lines += "[+]" + name + " excluded: ok\n";
      continue;
    }
    Status s = check();
    if (s.isOk()) {
      lines += "[+]" + name + " ok\n";
    } else {
      failed = true;
      // Upstream withholds the reason from the endpoint; it goes to the log instead.
      lines += "[-]" + name + " failed: reason withheld\n";
    }
  }
  std::string verdict = std::string(endpoint) + " check " + (failed ? "failed" : "passed") + "\n";
  if (failed) {
    return Answer{500, lines + verdict};
  }
  return Answer{200, verbose ? lines + verdict : "ok"};
}

}  // namespace tug::apiserver
