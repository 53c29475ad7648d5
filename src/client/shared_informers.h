#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client/client.h"
#include "client/informer.h"

// One informer per resource for every controller that reads it: client-go's
// SharedInformerFactory. Each controller asks for the informers it reads and registers its
// handlers while it is built; the owner starts them all once every controller is built, so
// each handler sees every object from the first list. One watch and one cache of pods serve
// the workload, DaemonSet, Job, endpoints and node lifecycle controllers, instead of one each.
namespace tug::client {

class SharedInformers {
 public:
  explicit SharedInformers(Client& client);
  ~SharedInformers();  // stops them

  // The informer of every object of `resource` in every namespace, without selectors and without
  // metadata.managedFields (a write that sends none keeps the stored ones); made on
  // the first ask. Ask, and add handlers, before start(): an informer asked for later is
  // started at once, and its first objects may have passed before its handlers are added.
  Informer& get(const Resource& resource);

  // Starts every informer asked for so far. Once only.
  void start();
  // Stops them all at once (stopInformers). Handlers run no more once it returns, so the
  // controllers that registered them may go after.
  void stop();

 private:
  Client& client_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<Informer>> informers_;  // by "<group>/<resource>"
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace tug::client
