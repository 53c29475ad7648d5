#pragma once

#include <string>

#include "api/resource_registry.h"
#include "apiserver/service_ranges.h"
#include "common/status.h"
#include "store/store.h"

// The `kubernetes` Service in `default`: how pods reach the API server. Its cluster IP is the
// first address of the service range; its Endpoints and EndpointSlice point at the address
// and port the API server is reached on from the node network.
namespace tug::apiserver {

struct ApiServerEndpoint {
  std::string ip;  // IPv4
  int port = 6443;
};

// Creates the Service, Endpoints and EndpointSlice when missing and brings the Endpoints and
// EndpointSlice to `endpoint` when they point elsewhere (the node's address changed).
Status reconcileKubernetesService(store::Store& store, const api::ResourceRegistry& registry,
                                  const ServiceRanges& ranges, const ApiServerEndpoint& endpoint);

// The address to advertise when none is configured: `bindAddress` when it is a specific
// IPv4 address, else the first IPv4 address of an interface that is up and not loopback, else
// 127.0.0.1.
std::string defaultAdvertiseAddress(const std::string& bindAddress);

}  // namespace tug::apiserver
