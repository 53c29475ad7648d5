#include "common/log.h"

#include <fstream>
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "support/temp_dir.h"

namespace {
std::string readAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("a log line carries UTC time, level and component", "[log]") {
  std::string p = tug::log::formatPrefix(tug::log::Level::kWarn, "store");
  std::regex shape(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARN  store: $)");
  CHECK(std::regex_match(p, shape));
}

TEST_CASE("lines go to the log file, debug only when enabled", "[log]") {
  tug::testing::TempDir dir;
  std::string path = dir.file("tug.log");
  REQUIRE(tug::log::setFile(path).isOk());
  tug::log::setLevel(tug::log::Level::kInfo);
  TUG_LOG(kDebug, "test") << "hidden";
  TUG_LOG(kInfo, "test") << "shown " << 1;
  tug::log::setLevel(tug::log::Level::kDebug);
  TUG_LOG(kDebug, "test") << "now visible";
  tug::log::setLevel(tug::log::Level::kInfo);
  REQUIRE(tug::log::setFile("").isOk());

  std::string text = readAll(path);
  CHECK(text.find("hidden") == std::string::npos);
  CHECK(text.find("INFO  test: shown 1\n") != std::string::npos);
  CHECK(text.find("DEBUG test: now visible\n") != std::string::npos);
}

TEST_CASE("an unwritable log file is a clear error", "[log]") {
  tug::Status s = tug::log::setFile("/nonexistent-dir-for-tug/tug.log");
  CHECK(s.code() == tug::Code::kInvalid);
  CHECK(s.message().find("/nonexistent-dir-for-tug/tug.log") != std::string::npos);
}
