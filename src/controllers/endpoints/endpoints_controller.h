#pragma once

#include <thread>

#include "client/client.h"
#include "client/shared_informers.h"
#include "client/work_queue.h"

// Keeps each Service's Endpoints (v1) and EndpointSlices (discovery.k8s.io/v1) in step with
// the ready pods its selector picks, as upstream's endpoints and endpointslice controllers
// do. Services without a selector are left to their owners; a deleted Service's Endpoints and
// slices go with it.
namespace tug::controllers {

class EndpointsController {
 public:
  // Reads the shared Services, pods and Endpoints informers, which their owner starts after
  // every controller is built; keeps its own informer of the slices it manages.
  EndpointsController(client::Client& client, client::SharedInformers& informers);
  ~EndpointsController();

  void start();
  void stop();
  // Brings the Service "<namespace>/<name>" (its key) to what its pods say.
  Status sync(const std::string& key);

 private:
  void work();
  void podChanged(const client::json& old, const client::json& now);
  Status syncEndpoints(const client::json& service, const std::vector<client::json>& pods);
  Status syncSlices(const client::json& service, const std::vector<client::json>& pods);
  Status removeAll(const std::string& ns, const std::string& name);

  client::Client& client_;
  client::Informer &services_, &pods_, &endpoints_;
  client::Informer slices_;
  client::WorkQueue queue_;
  std::thread worker_;
  // Last, so that it goes first: no handler runs while the rest is taken down.
  client::HandlerRegistrations handlers_;
};

}  // namespace tug::controllers
