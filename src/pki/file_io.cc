#include "pki/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace tug::pki {
namespace {

Status errnoError(std::string_view what, const std::string& path, int err) {
  return internalError(std::string(what) + " " + path + ": " + std::strerror(err));
}

std::string parentOf(const std::string& path) {
  std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

// Makes a finished rename survive power loss.
void syncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

Status writeAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return errnoError("cannot write", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::ok();
}

}  // namespace

Result<std::string> readWholeFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return notFound(path + " does not exist");
    }
    return errnoError("cannot open", path, errno);
  }
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return errnoError("cannot read", path, err);
    }
    if (n == 0) {
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status writeFileAtomic(const std::string& path, std::string_view data, mode_t mode) {
  std::filesystem::path target(path);
  std::string tmp = (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX"));
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) {
    return errnoError("cannot create a temporary file for", path, errno);
  }
  Status s = ::fchmod(fd, mode) == 0 ? writeAll(fd, data, path)
                                     : errnoError("cannot set the mode of", tmp, errno);
  if (s.isOk() && ::fsync(fd) != 0) {
    s = errnoError("cannot fsync", tmp, errno);
  }
  if (::close(fd) != 0 && s.isOk()) {
    s = errnoError("cannot close", tmp, errno);
  }
  if (s.isOk() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    s = errnoError("cannot rename a temporary file to", path, errno);
  }
  if (!s.isOk()) {
    ::unlink(tmp.c_str());
    return s;
  }
  syncDir(parentOf(path));
  return Status::ok();
}

Status makeDirWithMode(const std::string& path, mode_t mode, mode_t parentMode) {
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path() && !std::filesystem::exists(p.parent_path(), ec)) {
    Status s = makeDirWithMode(p.parent_path().string(), parentMode, parentMode);
    if (!s.isOk()) {
      return s;
    }
  }
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    return errnoError("cannot create", path, errno);
  }
  return ::chmod(path.c_str(), mode) == 0 ? Status::ok()
                                          : errnoError("cannot set the mode of", path, errno);
}

Status setMode(const std::string& path, mode_t mode) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return errnoError("cannot stat", path, errno);
  }
  if ((st.st_mode & 07777) == mode) {
    return Status::ok();
  }
  return ::chmod(path.c_str(), mode) == 0 ? Status::ok()
                                          : errnoError("cannot set the mode of", path, errno);
}

bool fileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace tug::pki
