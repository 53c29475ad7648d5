#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

// What a Service's endpoints should be, from the Service and the pods in its namespace: the
// pure part of the Endpoints and EndpointSlice controllers, free of the API so that it is
// tested on plain objects.
namespace tug::controllers::endpoints {

using json = nlohmann::json;

// Whether the Service's selector (a map of labels) selects the pod. A Service without a
// selector selects nothing: its endpoints are the user's.
bool selects(const json& service, const json& pod);
bool hasSelector(const json& service);

// One pod as an endpoint: where it is, whether it is ready, and which port each Service port
// reaches on it (a named targetPort resolves per pod, and a pod without that name is left out
// of that port).
struct PodEndpoint {
  std::string ip, nodeName, hostname;
  json targetRef;
  bool ready = false, serving = false, terminating = false;
  json ports = json::array();  // [{name, port, protocol, appProtocol?}] in Service port order
};

// The selected pods that may be endpoints, in name order: they have an IP and are not
// finished. Terminating pods are included (EndpointSlices report them); `forEndpoints` leaves
// them out unless the Service publishes not-ready addresses (the Endpoints API does).
std::vector<PodEndpoint> podEndpoints(const json& service, const std::vector<json>& pods,
                                      bool forEndpoints);

// The v1 Endpoints the Service should have: subsets grouping addresses by identical ports,
// addresses sorted by IP, not-ready ones apart. Labels: the Service's, plus the headless mark.
json desiredEndpoints(const json& service, const std::vector<json>& pods);

// The content of the EndpointSlices the Service should have: endpoints grouped by identical
// resolved ports, at most `maxPerSlice` per slice; one empty slice when there are none.
struct SliceContent {
  json ports = json::array();
  json endpoints = json::array();
};
std::vector<SliceContent> desiredSlices(const json& service, const std::vector<json>& pods,
                                        size_t maxPerSlice = 100);

// The labels every slice of the Service carries (its own labels, the service name, our
// manager name, the headless mark).
json sliceLabels(const json& service);

inline constexpr const char* kManagedBy = "endpointslice.kubernetes.io/managed-by";
inline constexpr const char* kManager = "endpointslice-controller.k8s.io";
inline constexpr const char* kServiceName = "kubernetes.io/service-name";
inline constexpr const char* kHeadless = "service.kubernetes.io/headless";

}  // namespace tug::controllers::endpoints
