#include "cli/server_options.h"

namespace tug::cli {

ServerOptions serverOptions(const Invocation& invocation) {
  const FlagValues& v = invocation.values;
  return ServerOptions{
      .dataDir = v.string("data-dir"),
      .debug = v.boolean("debug"),
      .logFile = v.string("log"),
      .configFiles = invocation.configFiles,
      .datastoreDurability = v.string("datastore-durability"),
      .datastoreRetention = v.duration("datastore-retention"),
      .datastoreRetainRevisions = v.integer("datastore-retain-revisions"),
      .datastoreMaxBytes = v.integer("datastore-max-bytes"),
  };
}

}  // namespace tug::cli
