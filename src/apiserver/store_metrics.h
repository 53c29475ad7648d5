#pragma once

#include "apiserver/metrics.h"
#include "store/store.h"

namespace tug::apiserver {

// The datastore's figures for /metrics: revisions, size on disk, open watches.
MetricsCollector storeMetrics(const store::Store& store);

}  // namespace tug::apiserver
