#pragma once

#include <string>

#include "common/status.h"

namespace tug {

// An exclusive advisory lock (flock) on a file that holds the owner's pid. The kernel drops it
// when the process dies, so a crash never leaves a stale lock behind.
class FileLock {
 public:
  // Unavailable, naming the holder's pid, when another process holds the lock.
  static Result<FileLock> acquire(const std::string& path);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

  void release();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace tug
