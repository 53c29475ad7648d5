#include "common/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>

namespace tug::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::mutex g_mu;
FILE* g_out = nullptr;  // nullptr means stderr. Guarded by g_mu.

const char* levelName(Level l) {
  switch (l) {
    case Level::kDebug: return "DEBUG";
    case Level::kInfo: return "INFO ";
    case Level::kWarn: return "WARN ";
    case Level::kError: return "ERROR";
  }
  return "?    ";
}

}  // namespace

void setLevel(Level l) { g_level.store(l); }
Level level() { return g_level.load(std::memory_order_relaxed); }

Status setFile(const std::string& path) {
  FILE* f = nullptr;
  if (!path.empty()) {
    f = std::fopen(path.c_str(), "a");
    if (f == nullptr) {
      return invalid("cannot open log file " + path + ": " + std::strerror(errno));
    }
    std::setvbuf(f, nullptr, _IOLBF, 0);
  }
  std::lock_guard lock(g_mu);
  if (g_out != nullptr) {
    std::fclose(g_out);
  }
  g_out = f;
  return Status::ok();
}

std::string formatPrefix(Level l, std::string_view component) {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - secs).count();
  std::time_t t = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ %s ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms),
                levelName(l));
  std::string s(buf);
  s += component;
  s += ": ";
  return s;
}

Line::Line(Level l, std::string_view component) { out_ << formatPrefix(l, component); }

Line::~Line() {
  out_ << '\n';
  std::string s = out_.str();
  std::lock_guard lock(g_mu);
  FILE* f = g_out != nullptr ? g_out : stderr;
  std::fwrite(s.data(), 1, s.size(), f);
  std::fflush(f);
}

}  // namespace tug::log
