#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "apiserver/api_catalog.h"
#include "apiserver/openapi_documents.h"
#include "common/status.h"
#include "store/store.h"

// The API server's side of CustomResourceDefinitions, as upstream's apiextensions controllers
// do it: it follows the stored CRDs and, on every change, decides their names (NamesAccepted),
// serves the resources of the accepted ones (discovery, REST, OpenAPI v3), marks them
// Established, and, for a CRD being deleted, deletes its objects before letting it go (the
// customresourcecleanup finalizer). It writes through the REST verbs, so its writes are
// checked and recorded (managedFields) like anyone's.
namespace tug::apiserver {

struct VerbContext;

class CrdController {
 public:
  CrdController(store::Store& store, ApiCatalog& catalog, std::shared_ptr<OpenApiDocuments> docs);
  ~CrdController();

  // Serves the CRDs stored now (before returning: a restarted server answers for its custom
  // resources from the first request), then follows their changes on a thread of its own.
  Status start();
  void stop();

  // Reads every CRD and brings served resources, documents, statuses and cleanup up to date.
  // Returns whether a CRD still waits for its objects to go (the caller retries later).
  bool syncOnce();

 private:
  void run(store::Revision from);
  // Deletes the objects of a CRD being deleted and, once none is left, its cleanup finalizer
  // (which lets the CRD go). Returns whether it is done.
  bool cleanUp(const VerbContext& ctx, const api::ResourceInfo& crdInfo,
               const nlohmann::json& crd);

  store::Store& store_;
  ApiCatalog& catalog_;
  std::shared_ptr<OpenApiDocuments> docs_;
  std::set<std::string> documentPaths_;  // the custom group versions' /openapi/v3 paths
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex watchMu_;
  store::WatchPtr watch_;  // under watchMu_: stop() closes it to wake the thread
};

}  // namespace tug::apiserver
