#include "common/rfc3339.h"

#include <cstdio>
#include <ctime>

namespace tug {

std::string formatRfc3339(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string formatRfc3339Micro(std::chrono::system_clock::time_point t) {
  std::string whole = formatRfc3339(std::chrono::floor<std::chrono::seconds>(t));
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    t - std::chrono::floor<std::chrono::seconds>(t))
                    .count();
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%06lldZ", static_cast<long long>(micros));
  whole.pop_back();  // the Z
  return whole + frac;
}

std::string nowRfc3339() { return formatRfc3339(std::chrono::system_clock::now()); }

}  // namespace tug
