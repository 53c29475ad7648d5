#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "common/status.h"

// The few file operations the PKI needs. Keys must never be seen half-written or with a loose
// mode, so every write goes to a temporary file that already has its final mode, is fsynced, and
// is then renamed over the target.
namespace tug::pki {

// NotFound when `path` does not exist; Internal on other errors.
Result<std::string> readWholeFile(const std::string& path);

// Replaces `path` with `data` atomically; the file ends with exactly `mode` (umask ignored).
// The directory must exist.
Status writeFileAtomic(const std::string& path, std::string_view data, mode_t mode);

// Creates `path` (and missing parents, with `parentMode`) and gives `path` itself `mode`, also
// when it already existed with a looser one.
Status makeDirWithMode(const std::string& path, mode_t mode, mode_t parentMode = 0755);

// Sets the mode of an existing file (e.g. a kept key left 0644 by hand).
Status setMode(const std::string& path, mode_t mode);

bool fileExists(const std::string& path);

}  // namespace tug::pki
