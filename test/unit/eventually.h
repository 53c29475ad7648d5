#pragma once

#include <chrono>
#include <thread>

namespace tug::testing {

// Polls `check` until it holds or `within` has passed; whether it held. For what another
// thread (a watch, a worker) brings about a moment later.
template <class Check>
bool eventually(Check check, std::chrono::milliseconds within = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (check()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return check();
}

}  // namespace tug::testing
