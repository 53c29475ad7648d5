#include "server/server.h"

#include <chrono>
#include <filesystem>

#include "common/shutdown_signals.h"
#include "cli/value_parser.h"
#include "cli/version.h"
#include "common/log.h"
#include "server/data_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace tug::server {
namespace {

constexpr const char* kLog = "server";

Status setUpLogging(const cli::ServerOptions& o) {
  log::setLevel(o.debug ? log::Level::kDebug : log::Level::kInfo);
  return log::setFile(o.logFile);
}

store::SqliteOptions storeOptions(const cli::ServerOptions& o, const std::string& dbDir) {
  return store::SqliteOptions{
      .path = dbDir + "/state.db",
      .durability =
          o.datastoreDurability == "normal" ? store::Durability::kNormal : store::Durability::kFull,
      .retainFor = std::chrono::duration_cast<std::chrono::milliseconds>(o.datastoreRetention),
      .retainRevisions = o.datastoreRetainRevisions,
      .maxDatabaseBytes = o.datastoreMaxBytes,
  };
}

// <data-dir>/server/db/state.db, with the folders private to us.
Result<store::StorePtr> openStore(const cli::ServerOptions& o, const std::string& dataDir) {
  const std::string serverDir = dataDir + "/server";
  for (const std::string& dir : {serverDir, serverDir + "/db"}) {
    if (Status s = makePrivateDir(dir); !s.isOk()) {
      return s;
    }
  }
  store::SqliteOptions storeOpts = storeOptions(o, serverDir + "/db");
  TUG_LOG(kDebug, kLog) << "datastore " << storeOpts.path << ": durability "
                        << o.datastoreDurability << ", retention "
                        << cli::formatValue(o.datastoreRetention) << " and "
                        << storeOpts.retainRevisions << " revisions, max bytes "
                        << storeOpts.maxDatabaseBytes;
  return store::openSqlite(storeOpts);
}

}  // namespace

Status run(const cli::ServerOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  // First, while this is the only thread: the store's threads must inherit the blocked mask.
  if (Status s = blockShutdownSignals(); !s.isOk()) {
    return s;
  }
  if (Status s = setUpLogging(options); !s.isOk()) {
    return s;
  }
  for (const std::string& file : options.configFiles) {
    TUG_LOG(kDebug, kLog) << "read config file " << file;
  }
  const std::string dataDir = std::filesystem::absolute(options.dataDir).lexically_normal();
  // Nothing is logged at info level before this can fail: a refused start prints one line.
  Result<store::StorePtr> store = openStore(options, dataDir);
  if (!store.ok()) {
    return store.status();
  }
  TUG_LOG(kInfo, kLog) << "tug " << cli::shortVersion() << ", data dir " << dataDir
                       << ", datastore at revision " << (*store)->currentRevision();
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  TUG_LOG(kInfo, kLog) << "started in " << elapsed.count() << "ms; waiting for SIGTERM or SIGINT";

  Result<int> signal = waitForShutdownSignal();
  unblockShutdownSignals();
  if (signal.ok()) {
    TUG_LOG(kInfo, kLog) << "received " << signalName(*signal) << ", shutting down";
  }
  (*store)->close();
  TUG_LOG(kInfo, kLog) << "stopped";
  return signal.status();
}

}  // namespace tug::server
