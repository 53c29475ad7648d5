#include "server/data_dir.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace tug::server {

Status makePrivateDir(const std::string& path, mode_t mode) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    return internalError("cannot create " + path + ": " + ec.message());
  }
  if (::chmod(path.c_str(), mode) != 0) {
    return internalError("cannot set the mode of " + path + ": " + std::strerror(errno));
  }
  return Status::ok();
}

}  // namespace tug::server
