#include "common/file_lock.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/temp_dir.h"

TEST_CASE("a second process cannot take a held lock and learns the holder's pid", "[file_lock]") {
  tug::testing::TempDir dir;
  std::string path = dir.file("lock");
  auto lock = tug::FileLock::acquire(path);
  REQUIRE(lock.ok());

  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto second = tug::FileLock::acquire(path);
    bool refusedWithPid =
        !second.ok() && second.status().code() == tug::Code::kUnavailable &&
        second.status().message().find("pid " + std::to_string(getppid())) != std::string::npos;
    _exit(refusedWithPid ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("a released lock can be taken again", "[file_lock]") {
  tug::testing::TempDir dir;
  std::string path = dir.file("lock");
  {
    auto lock = tug::FileLock::acquire(path);
    REQUIRE(lock.ok());
  }
  auto again = tug::FileLock::acquire(path);
  CHECK(again.ok());
}

TEST_CASE("a lock in a missing directory is a clear error", "[file_lock]") {
  auto lock = tug::FileLock::acquire("/nonexistent-dir-for-tug/lock");
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.status().message().find("/nonexistent-dir-for-tug/lock") != std::string::npos);
}
