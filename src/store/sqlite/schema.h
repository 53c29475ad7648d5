#pragma once

#include <memory>
#include <string>

#include "store/sqlite/sqlite_conn.h"
#include "store/sqlite/sqlite_store.h"

namespace tug::store::sqlite {

// Opens the writer's connection: creates the schema in a new file, or checks that an existing
// file is an undamaged tug database of a schema version we understand. Never rewrites a file it
// cannot read.
Result<std::unique_ptr<Db>> openWriter(const SqliteOptions& options);

// Opens a read-only connection to a database openWriter prepared.
Result<std::unique_ptr<Db>> openReader(const std::string& path);

}  // namespace tug::store::sqlite
