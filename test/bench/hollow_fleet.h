#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "bench/api_bench_server.h"

namespace tug::bench {

// The hollow_nodes tool ($HOLLOW_NODES) acting as the kubelets of fake nodes of `server`: it
// registers them, keeps their Leases fresh and turns pods bound to them Running and Ready,
// as kubemark's hollow nodes do. The constructor returns once every node is registered; the
// destructor stops the tool (the nodes stay registered).
class HollowFleet {
 public:
  // `args`: hollow_nodes' options beyond the server's address and credentials.
  HollowFleet(const TugServer& server, std::vector<std::string> args);
  ~HollowFleet();
  HollowFleet(const HollowFleet&) = delete;
  HollowFleet& operator=(const HollowFleet&) = delete;

 private:
  TrackedScratchDir dir_;
  pid_t pid_ = -1;
  int stdout_ = -1;  // kept open until the end: the tool says "stopped" as it goes
};

}  // namespace tug::bench
