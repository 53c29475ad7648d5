#include "client/shared_informers.h"

namespace tug::client {

SharedInformers::SharedInformers(Client& client) : client_(client) {}

SharedInformers::~SharedInformers() { stop(); }

Informer& SharedInformers::get(const Resource& resource) {
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<Informer>& slot = informers_[resource.group + "/" + resource.resource];
  if (!slot) {
    slot = std::make_unique<Informer>(client_, resource);
    slot->omitManagedFields();
    if (started_ && !stopped_) {
      slot->start();
    }
  }
  return *slot;
}

void SharedInformers::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_) {
    return;
  }
  started_ = true;
  for (auto& [key, informer] : informers_) {
    informer->start();
  }
}

void SharedInformers::stop() {
  std::vector<Informer*> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_ || stopped_) {
      stopped_ = true;
      return;
    }
    stopped_ = true;
    for (auto& [key, informer] : informers_) {
      all.push_back(informer.get());
    }
  }
  stopInformers(all);
}

}  // namespace tug::client
