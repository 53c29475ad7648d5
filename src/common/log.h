#pragma once

#include <sstream>
#include <string>
#include <string_view>

#include "common/status.h"

// One line per event: "<UTC time> <LEVEL> <component>: <message>". Thread-safe; a line is
// written whole or not at all.
namespace tug::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void setLevel(Level level);
Level level();
inline bool enabled(Level l) { return static_cast<int>(l) >= static_cast<int>(level()); }

// Appends log lines to `path` instead of stderr. An empty path goes back to stderr.
Status setFile(const std::string& path);

// Formats the line prefix; exposed for tests.
std::string formatPrefix(Level level, std::string_view component);

class Line {
 public:
  Line(Level level, std::string_view component);
  ~Line();
  Line(const Line&) = delete;
  Line& operator=(const Line&) = delete;
  std::ostream& stream() { return out_; }

 private:
  std::ostringstream out_;
};

}  // namespace tug::log

#define TUG_LOG(lvl, component)                                   \
  if (!::tug::log::enabled(::tug::log::Level::lvl)) {             \
  } else                                                          \
    ::tug::log::Line(::tug::log::Level::lvl, component).stream()
