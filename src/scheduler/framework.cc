#include "scheduler/framework.h"

#include <algorithm>

namespace tug::scheduler {

void defaultNormalize(std::vector<int64_t>& scores, bool reverse) {
  int64_t max = 0;
  for (int64_t s : scores) {
    max = std::max(max, s);
  }
  for (int64_t& s : scores) {
    if (max == 0) {
      s = reverse ? kMaxNodeScore : 0;
      continue;
    }
    s = kMaxNodeScore * s / max;
    if (reverse) {
      s = kMaxNodeScore - s;
    }
  }
}

}  // namespace tug::scheduler
