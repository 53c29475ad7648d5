#include "apiserver/store_metrics.h"

namespace tug::apiserver {

MetricsCollector storeMetrics(const store::Store& store) {
  return [&store](MetricsText& out) {
    store::StoreFigures f = store.figures();
    out.family("tug_store_current_revision", "gauge", "The datastore's latest revision.");
    out.sample("tug_store_current_revision", {}, static_cast<double>(f.current));
    out.family("tug_store_compacted_revision", "gauge",
               "History at or before this revision has been compacted.");
    out.sample("tug_store_compacted_revision", {}, static_cast<double>(f.compacted));
    if (f.databaseBytes >= 0) {
      out.family("tug_store_database_bytes", "gauge",
                 "Size of the database on disk, write-ahead log included.");
      out.sample("tug_store_database_bytes", {}, static_cast<double>(f.databaseBytes));
    }
    out.family("tug_store_watchers", "gauge", "Watches open on the datastore.");
    out.sample("tug_store_watchers", {}, static_cast<double>(f.watchers));
    out.family("tug_store_watch_window_events", "gauge",
               "Recent events kept in memory to start watches from.");
    out.sample("tug_store_watch_window_events", {}, static_cast<double>(f.windowEvents));
  };
}

}  // namespace tug::apiserver
