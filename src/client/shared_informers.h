#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client/client.h"
#include "client/informer.h"

// One informer per resource for every component that reads it: client-go's
// SharedInformerFactory. One watch and one cache of pods serve the scheduler and the workload,
// DaemonSet, Job, endpoints and node lifecycle controllers, instead of one each. The informers
// outlive the components: a component keeps the registrations of its handlers and takes them
// away when it goes (when it loses its Lease, say), and one that comes later hears of every
// cached object first.
namespace tug::client {

class SharedInformers {
 public:
  explicit SharedInformers(Client& client);
  ~SharedInformers();  // stops them

  // The informer of every object of `resource` in every namespace, without selectors and without
  // metadata.managedFields (a write that sends none keeps the stored ones); made on
  // the first ask, and started then if start() was called.
  Informer& get(const Resource& resource);

  // Starts every informer asked for so far, and from now on each one when it is first asked
  // for. Once only.
  void start();
  // Stops them all at once (stopInformers). Handlers run no more once it returns.
  void stop();

 private:
  Client& client_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<Informer>> informers_;  // by "<group>/<resource>"
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace tug::client
