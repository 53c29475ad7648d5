#include "apiserver/version_info.h"

#include <regex>

#include <catch2/catch.hpp>

TEST_CASE("/version speaks Kubernetes 1.31 with a semver gitVersion", "[apiserver]") {
  auto v = tug::apiserver::versionInfo();
  CHECK(v["major"] == "1");
  CHECK(v["minor"] == "31");
  std::string git = v["gitVersion"];
  std::regex semver(R"(^v1\.31\.\d+\+tug(\.[0-9A-Za-z-]+)+$)");
  CHECK(std::regex_match(git, semver));
  std::string date = v["buildDate"];
  CHECK(std::regex_match(date, std::regex(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$)")));
  CHECK(v["platform"].get<std::string>().rfind("linux/", 0) == 0);
}
