#pragma once

#include <cstdint>
#include <string_view>

// The 32-bit Fowler-Noll-Vo hashes that upstream's controllers name their objects by: the
// Deployment's pod-template-hash uses FNV-1a, ControllerRevision names (StatefulSet,
// DaemonSet) use FNV-1. The names of existing objects depend on the exact bytes and order.
namespace tug {

enum class FnvVariant { kFnv1, kFnv1a };

template <FnvVariant V>
class Fnv32 {
 public:
  void add(std::string_view bytes) {
    for (unsigned char b : bytes) {
      add(b);
    }
  }
  void add(unsigned char b) {
    if constexpr (V == FnvVariant::kFnv1) {
      h_ *= kPrime;
      h_ ^= b;
    } else {
      h_ ^= b;
      h_ *= kPrime;
    }
  }
  uint32_t value() const { return h_; }

 private:
  static constexpr uint32_t kPrime = 16777619u;
  uint32_t h_ = 2166136261u;
};

using Fnv1Hash32 = Fnv32<FnvVariant::kFnv1>;
using Fnv1aHash32 = Fnv32<FnvVariant::kFnv1a>;

}  // namespace tug
