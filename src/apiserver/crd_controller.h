#pragma once

#include <memory>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "apiserver/api_catalog.h"
#include "apiserver/openapi_documents.h"
#include "common/status.h"
#include "store/store.h"
#include "store/store_follower.h"

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
  // Syncs after a change, or after a quiet second while a CRD waits for its objects to go.
  void follow(const std::vector<store::EventPtr>& events);
  // Deletes the objects of a CRD being deleted and, once none is left, its cleanup finalizer
  // (which lets the CRD go). Returns whether it is done.
  bool cleanUp(const VerbContext& ctx, const api::ResourceInfo& crdInfo, const nlohmann::json& crd);

  store::Store& store_;
  ApiCatalog& catalog_;
  std::shared_ptr<OpenApiDocuments> docs_;
  std::set<std::string> documentPaths_;  // the custom group versions' /openapi/v3 paths
  bool pending_ = false;  // a CRD being deleted waits for its objects (on the follower's thread)
  store::StoreFollower follower_;  // last: it stops first, while the rest is still there
};

}  // namespace tug::apiserver
