#pragma once

#include <sys/types.h>

#include <string>

#include "common/status.h"

namespace tug::server {

// Creates `path` and its missing parents, then gives `path` itself `mode`, also when it already
// existed: the datastore and keys must not stay readable through an old, looser mode.
Status makePrivateDir(const std::string& path, mode_t mode = 0700);

}  // namespace tug::server
