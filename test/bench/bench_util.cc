#include "bench/bench_util.h"

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>

namespace tug::bench {

ScratchDir::ScratchDir() {
  const char* base = std::getenv("TUG_BENCH_DIR");
  std::string tmpl = std::string(base != nullptr ? base : ".") + "/tug-bench-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    throw std::runtime_error("cannot create a scratch directory under " + tmpl);
  }
  path_ = std::filesystem::absolute(tmpl).string();
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

long long databaseBytes(const std::string& path) {
  long long n = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code ec;
    auto size = std::filesystem::file_size(path + suffix, ec);
    n += ec ? 0 : static_cast<long long>(size);
  }
  return n;
}

}  // namespace tug::bench
