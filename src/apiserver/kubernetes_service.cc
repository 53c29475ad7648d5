#include "apiserver/kubernetes_service.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <nlohmann/json.hpp>

#include "apiserver/object_meta.h"
#include "apiserver/resource_verbs.h"
#include "apiserver/service_allocation.h"

namespace tug::apiserver {
namespace {

using nlohmann::json;

constexpr const char* kName = "kubernetes";
constexpr const char* kManager = "kube-apiserver";

json serviceObject(const ServiceRanges& ranges) {
  std::string ip = formatIpv4(ranges.apiServerIp());
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata",
           {{"name", kName},
            {"namespace", "default"},
            {"labels", {{"component", "apiserver"}, {"provider", "kubernetes"}}}}},
          {"spec",
           {{"type", "ClusterIP"},
            {"clusterIP", ip},
            {"clusterIPs", {ip}},
            {"sessionAffinity", "None"},
            {"ports",
             {{{"name", "https"}, {"port", 443}, {"protocol", "TCP"}, {"targetPort", 6443}}}}}}};
}

// What the Endpoints and EndpointSlice carry besides metadata.
json endpointsContent(const ApiServerEndpoint& e) {
  return {{"subsets",
           {{{"addresses", {{{"ip", e.ip}}}},
             {"ports", {{{"name", "https"}, {"port", e.port}, {"protocol", "TCP"}}}}}}}};
}

json sliceContent(const ApiServerEndpoint& e) {
  return {{"addressType", "IPv4"},
          {"endpoints", {{{"addresses", {e.ip}}, {"conditions", {{"ready", true}}}}}},
          {"ports", {{{"name", "https"}, {"port", e.port}, {"protocol", "TCP"}}}}};
}

// Creates the object, or when it exists with other `content`, replaces that content.
Status ensure(const VerbContext& ctx, const api::ResourceInfo& info, json object,
              const json& content) {
  ResourceTarget target{&info, "default", std::string(kName), ""};
  for (const auto& [k, v] : content.items()) {
    object[k] = v;
  }
  QueryParams params{{"fieldManager", kManager}};
  auto stored = ctx.store.get(targetKey(target));
  if (!stored.ok() && stored.status().code() != Code::kNotFound) {
    return stored.status();
  }
  Reply r;
  if (!stored.ok()) {
    target.name.clear();
    r = createResource(ctx, VerbRequest{target, params, object.dump()});
    if (r.code == 201 || r.code == 409) {
      return Status::ok();
    }
  } else {
    json current = json::parse(stored->value, nullptr, false);
    bool same = current.is_object();
    for (const auto& [k, v] : content.items()) {
      same = same && current.contains(k) && current[k] == v;
    }
    if (same) {
      return Status::ok();
    }
    for (const auto& [k, v] : content.items()) {
      current[k] = v;
    }
    r = updateResource(ctx, VerbRequest{target, params, current.dump()});
    if (r.code == 200) {
      return Status::ok();
    }
  }
  return internalError("writing " + info.resource + "/" + kName + ": " +
                       r.body.value("message", r.body.dump()));
}

}  // namespace

Status reconcileKubernetesService(store::Store& store, const api::ResourceRegistry& registry,
                                  const ServiceRanges& ranges, const ApiServerEndpoint& endpoint) {
  const api::ResourceInfo* services = registry.find("", "v1", "services");
  const api::ResourceInfo* endpoints = registry.find("", "v1", "endpoints");
  const api::ResourceInfo* slices = registry.find("discovery.k8s.io", "v1", "endpointslices");
  if (services == nullptr || endpoints == nullptr || slices == nullptr) {
    return internalError("the registry lacks services, endpoints or endpointslices");
  }
  ServiceAllocation allocation(store, ranges);
  VerbContext ctx{store, registry, nullptr, &allocation};
  // The Service is only created: a user's change to it (a label) is theirs to keep.
  ResourceTarget svc{services, "default", std::string(kName), ""};
  auto existing = store.get(targetKey(svc));
  if (!existing.ok()) {
    if (existing.status().code() != Code::kNotFound) {
      return existing.status();
    }
    svc.name.clear();
    Reply r = createResource(ctx, VerbRequest{svc, {{"fieldManager", kManager}},
                                              serviceObject(ranges).dump()});
    if (r.code != 201 && r.code != 409) {
      return internalError("creating the kubernetes Service: " +
                           r.body.value("message", r.body.dump()));
    }
  }
  json endpointsObject = {{"apiVersion", "v1"},
                          {"kind", "Endpoints"},
                          {"metadata",
                           {{"name", kName},
                            {"namespace", "default"},
                            {"labels", {{"endpointslice.kubernetes.io/skip-mirror", "true"}}}}}};
  if (Status s = ensure(ctx, *endpoints, endpointsObject, endpointsContent(endpoint)); !s.isOk()) {
    return s;
  }
  json sliceObject = {{"apiVersion", "discovery.k8s.io/v1"},
                      {"kind", "EndpointSlice"},
                      {"metadata",
                       {{"name", kName},
                        {"namespace", "default"},
                        {"labels", {{"kubernetes.io/service-name", kName}}}}}};
  return ensure(ctx, *slices, sliceObject, sliceContent(endpoint));
}

std::string defaultAdvertiseAddress(const std::string& bindAddress) {
  if (auto ip = parseIpv4(bindAddress); ip && *ip != 0) {
    return bindAddress;
  }
  std::string found = "127.0.0.1";
  struct ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) {
    return found;
  }
  for (struct ifaddrs* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != AF_INET ||
        (a->ifa_flags & IFF_UP) == 0 || (a->ifa_flags & IFF_LOOPBACK) != 0) {
      continue;
    }
    const auto* in = reinterpret_cast<const struct sockaddr_in*>(a->ifa_addr);
    found = formatIpv4(ntohl(in->sin_addr.s_addr));
    break;
  }
  freeifaddrs(list);
  return found;
}

}  // namespace tug::apiserver
