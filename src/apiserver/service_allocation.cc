#include "apiserver/service_allocation.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "api/validation/field_error.h"
#include "apiserver/admission.h"
#include "apiserver/object_meta.h"
#include "common/log.h"

namespace tug::apiserver {
namespace {

namespace v = api::validation;
using nlohmann::json;

constexpr const char* kLog = "services";
constexpr const char* kIpClaims = "/registry/ranges/serviceips/";
constexpr const char* kPortClaims = "/registry/ranges/servicenodeports/";
// A claim whose holder does not use it is left alone this long: the holder's write may still
// be on its way (a claim is made just before the object is written).
constexpr int64_t kInFlightSeconds = 60;
// Random draws before scanning the range in order (a nearly full range is scanned).
constexpr int kRandomDraws = 32;

int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::mt19937_64& rng() {
  thread_local std::mt19937_64 r{std::random_device{}()};
  return r;
}

const json* specOf(const json& svc) {
  auto it = svc.find("spec");
  return it != svc.end() && it->is_object() ? &*it : nullptr;
}

std::string specString(const json& spec, const char* key) {
  auto it = spec.find(key);
  return it != spec.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t intOf(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

bool needsClusterIp(const json& spec) {
  std::string type = specString(spec, "type");
  return type != "ExternalName" && specString(spec, "clusterIP") != "None";
}

bool needsNodePorts(const json& spec) {
  std::string type = specString(spec, "type");
  if (type == "NodePort") {
    return true;
  }
  auto lb = spec.find("allocateLoadBalancerNodePorts");
  return type == "LoadBalancer" && !(lb != spec.end() && lb->is_boolean() && !lb->get<bool>());
}

bool needsHealthCheckPort(const json& spec) {
  return specString(spec, "type") == "LoadBalancer" &&
         specString(spec, "externalTrafficPolicy") == "Local";
}

// What a Service holds: its cluster IPs and its node ports.
struct Held {
  std::set<std::string> ips;
  std::set<int64_t> ports;
};

Held heldBy(const json* svc) {
  Held h;
  const json* spec = svc ? specOf(*svc) : nullptr;
  if (spec == nullptr) {
    return h;
  }
  if (auto ips = spec->find("clusterIPs"); ips != spec->end() && ips->is_array()) {
    for (const json& ip : *ips) {
      if (ip.is_string() && parseIpv4(ip.get<std::string>())) {
        h.ips.insert(ip.get<std::string>());
      }
    }
  }
  if (auto ports = spec->find("ports"); ports != spec->end() && ports->is_array()) {
    for (const json& p : *ports) {
      if (int64_t n = p.is_object() ? intOf(p, "nodePort") : 0; n != 0) {
        h.ports.insert(n);
      }
    }
  }
  if (int64_t n = intOf(*spec, "healthCheckNodePort"); n != 0) {
    h.ports.insert(n);
  }
  return h;
}

std::string serviceKey(std::string_view ns, std::string_view name) {
  return api::storageKey(*api::ResourceRegistry::builtin().find("", "v1", "services"), ns, name);
}

// One claim attempt: Ok when `svc` holds `key` afterwards, AlreadyExists when another
// Service does.
class Claimer {
 public:
  Claimer(store::Store& store, const json& svc)
      : store_(store),
        ns_(metaString(svc, "namespace")),
        name_(metaString(svc, "name")),
        uid_(metaString(svc, "uid")) {}

  Status claim(const std::string& key, bool dryRun) {
    const std::string value = json{{"service", ns_ + "/" + name_}, {"uid", uid_},
                                   {"claimedAt", nowSeconds()}}
                                  .dump();
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto existing = store_.get(key);
      if (!existing.ok() && existing.status().code() != Code::kNotFound) {
        return existing.status();
      }
      if (!existing.ok()) {
        if (dryRun) {
          return Status::ok();
        }
        auto created = store_.create(key, value);
        if (created.ok() || created.status().code() != Code::kAlreadyExists) {
          return created.status();
        }
        continue;  // claimed meanwhile: look at the holder
      }
      auto holder = json::parse(existing->value, nullptr, false);
      if (holder.is_object() && holder.value("uid", "") == uid_) {
        return Status::ok();
      }
      if (!abandoned(holder, key)) {
        return alreadyExists("held by " + holder.value("service", std::string("?")));
      }
      if (dryRun) {
        return Status::ok();
      }
      auto taken = store_.update(key, value, existing->modRevision);
      if (taken.ok()) {
        TUG_LOG(kInfo, kLog) << "took over " << key << " from "
                             << holder.value("service", std::string("?"))
                             << ", which no longer uses it";
        return Status::ok();
      }
      if (taken.status().code() != Code::kConflict) {
        return taken.status();
      }
    }
    return alreadyExists("claimed concurrently");
  }

 private:
  // A claim whose holder is gone (another object by that name, or none past the in-flight
  // window) or no longer uses the value.
  bool abandoned(const json& claim, const std::string& key) {
    if (!claim.is_object()) {
      return true;
    }
    std::string holder = claim.value("service", "");
    size_t slash = holder.find('/');
    if (slash == std::string::npos) {
      return true;
    }
    auto stored = store_.get(serviceKey(holder.substr(0, slash), holder.substr(slash + 1)));
    json svc = stored.ok() ? json::parse(stored->value, nullptr, false) : json();
    if (svc.is_object() && metaString(svc, "uid") != claim.value("uid", "")) {
      return true;
    }
    if (svc.is_object()) {
      Held h = heldBy(&svc);
      std::string value = key.substr(key.rfind('/') + 1);
      bool uses = key.rfind(kIpClaims, 0) == 0 ? h.ips.count(value) > 0
                                                : h.ports.count(std::stoll(value)) > 0;
      if (uses) {
        return false;
      }
    }
    return nowSeconds() - claim.value("claimedAt", int64_t{0}) > kInFlightSeconds;
  }

  store::Store& store_;
  const std::string ns_, name_, uid_;
};

// A few random draws in [first, last], then every value in order from a random start: cheap
// while the range has room, complete when it is nearly full. Stops early when the store fails.
template <typename Attempt>
auto drawThenScan(uint64_t first, uint64_t last, const Attempt& attempt, const bool& storeFailed)
    -> decltype(attempt(first)) {
  std::uniform_int_distribution<uint64_t> pick(first, last);
  for (int i = 0; i < kRandomDraws && !storeFailed; ++i) {
    if (auto v = attempt(pick(rng()))) {
      return v;
    }
  }
  const uint64_t count = last - first + 1;
  const uint64_t start = pick(rng()) - first;
  for (uint64_t i = 0; i < count && !storeFailed; ++i) {
    if (auto v = attempt(first + (start + i) % count)) {
      return v;
    }
  }
  return std::nullopt;
}

}  // namespace

bool allocatesServiceAddresses(const api::ResourceInfo& info) {
  return info.builtin && info.group.empty() && info.resource == "services";
}

std::optional<Reply> ServiceAllocation::allocate(json& svc, const json* old, bool dryRun) {
  json* spec = svc.contains("spec") && svc["spec"].is_object() ? &svc["spec"] : nullptr;
  if (spec == nullptr) {
    return std::nullopt;
  }
  const api::ResourceInfo* info = api::ResourceRegistry::builtin().find("", "v1", "services");
  const std::string name = metaString(svc, "name");
  const Held before = heldBy(old);
  Claimer claimer(store_, svc);
  std::vector<std::string> claimed;  // released again if a later step fails
  auto fail = [&](v::FieldError error) -> std::optional<Reply> {
    for (const std::string& key : claimed) {
      if (auto kv = store_.get(key); kv.ok()) {
        (void)store_.remove(key, kv->modRevision);
      }
    }
    return invalidReply(*info, name, {std::move(error)});
  };
  auto claimNew = [&](const std::string& key, bool heldBefore) -> Status {
    if (heldBefore) {
      return Status::ok();
    }
    Status s = claimer.claim(key, dryRun);
    if (s.isOk() && !dryRun) {
      claimed.push_back(key);
    }
    return s;
  };

  if (needsClusterIp(*spec)) {
    std::string ip = specString(*spec, "clusterIP");
    if (ip.empty()) {
      auto chosen = chooseIp(claimNew);
      if (!chosen) {
        return fail(v::invalid(v::Path("spec").child("clusterIPs"), json::array(),
                               "failed to allocate a serviceIP: range is full"));
      }
      (*spec)["clusterIP"] = *chosen;
      (*spec)["clusterIPs"] = json::array({*chosen});
    } else if (!before.ips.count(ip)) {
      auto addr = parseIpv4(ip);
      const json given = spec->value("clusterIPs", json::array({ip}));
      const uint64_t offset = addr ? uint64_t{*addr - ranges_.clusterIps.base} : 0;
      if (!addr || !ranges_.clusterIps.contains(*addr) || offset == 0 ||
          offset == ranges_.clusterIps.size() - 1) {
        return fail(v::invalid(v::Path("spec").child("clusterIPs"), given,
                               "failed to allocate IP " + ip + ": the provided IP (" + ip +
                                   ") is not in the valid range. The range of valid IPs is " +
                                   ranges_.clusterIps.text()));
      }
      Status s = claimNew(kIpClaims + ip, false);
      if (!s.isOk()) {
        return fail(v::invalid(v::Path("spec").child("clusterIPs"), given,
                               s.code() == Code::kAlreadyExists
                                   ? "failed to allocate IP " + ip + ": provided IP is already allocated"
                                   : "failed to allocate IP " + ip + ": " + s.message()));
      }
    }
  }

  // Ports given by the user first, so that a dynamic choice never takes one of them.
  std::set<int64_t> inThisService;
  json* ports = spec->contains("ports") && (*spec)["ports"].is_array() ? &(*spec)["ports"] : nullptr;
  const bool wantsNodePorts = needsNodePorts(*spec) && ports != nullptr;
  auto claimPort = [&](int64_t port, const v::Path& path) -> std::optional<Reply> {
    if (!ranges_.nodePorts.contains(port)) {
      return fail(v::invalid(path, port,
                             "provided port is not in the valid range. The range of valid ports is " +
                                 ranges_.nodePorts.text()));
    }
    // One Service may use a port for several protocols; upstream allows that pairing.
    if (!inThisService.insert(port).second) {
      return std::nullopt;
    }
    Status s = claimNew(kPortClaims + std::to_string(port), before.ports.count(port) > 0);
    if (!s.isOk()) {
      return fail(v::invalid(path, port,
                             s.code() == Code::kAlreadyExists ? "provided port is already allocated"
                                                              : s.message()));
    }
    return std::nullopt;
  };
  if (wantsNodePorts) {
    for (size_t i = 0; i < ports->size(); ++i) {
      json& p = (*ports)[i];
      if (int64_t n = p.is_object() ? intOf(p, "nodePort") : 0; n != 0) {
        if (auto r = claimPort(n, v::Path("spec").child("ports").index(i).child("nodePort"))) {
          return r;
        }
      }
    }
  }
  if (needsHealthCheckPort(*spec)) {
    if (int64_t n = intOf(*spec, "healthCheckNodePort"); n != 0) {
      if (auto r = claimPort(n, v::Path("spec").child("healthCheckNodePort"))) {
        return r;
      }
    }
  }
  const char* full = "failed to allocate a nodePort: range is full";
  if (wantsNodePorts) {
    for (size_t i = 0; i < ports->size(); ++i) {
      json& p = (*ports)[i];
      if (!p.is_object() || intOf(p, "nodePort") != 0) {
        continue;
      }
      auto port = choosePort(inThisService, claimNew);
      if (!port) {
        return fail(v::invalid(v::Path("spec").child("ports").index(i).child("nodePort"), 0, full));
      }
      inThisService.insert(*port);
      p["nodePort"] = *port;
    }
  }
  if (needsHealthCheckPort(*spec) && intOf(*spec, "healthCheckNodePort") == 0) {
    auto port = choosePort(inThisService, claimNew);
    if (!port) {
      return fail(v::invalid(v::Path("spec").child("healthCheckNodePort"), 0, full));
    }
    (*spec)["healthCheckNodePort"] = *port;
  }
  return std::nullopt;
}

// Dynamic addresses come from the upper part of the range first, leaving the lower part to
// addresses users ask for by number (upstream's split: 1/16 of the range, 16 to 256 addresses).
// The API server's and DNS addresses are only ever given on request.
std::optional<std::string> ServiceAllocation::chooseIp(const Claim& claim) const {
  const Ipv4Cidr& cidr = ranges_.clusterIps;
  const uint64_t last = cidr.size() - 2;  // network and broadcast addresses are never used
  uint64_t lower = std::min<uint64_t>(std::max<uint64_t>(16, cidr.size() / 16), 256);
  if (lower >= last) {
    lower = 1;  // too small to split
  }
  bool storeFailed = false;
  auto attempt = [&](uint64_t offset) -> std::optional<std::string> {
    uint32_t ip = cidr.at(offset);
    if (ip == ranges_.apiServerIp() || ip == ranges_.dnsIp()) {
      return std::nullopt;
    }
    std::string text = formatIpv4(ip);
    Status s = claim(kIpClaims + text, false);
    if (s.isOk()) {
      return text;
    }
    storeFailed = s.code() != Code::kAlreadyExists;
    return std::nullopt;
  };
  if (auto ip = drawThenScan(lower, last, attempt, storeFailed)) {
    return ip;
  }
  if (storeFailed || lower == 1) {
    return std::nullopt;
  }
  return drawThenScan(1, lower - 1, attempt, storeFailed);
}

std::optional<int64_t> ServiceAllocation::choosePort(const std::set<int64_t>& taken,
                                                     const Claim& claim) const {
  bool storeFailed = false;
  auto attempt = [&](uint64_t port) -> std::optional<int64_t> {
    if (taken.count(static_cast<int64_t>(port))) {
      return std::nullopt;
    }
    Status s = claim(kPortClaims + std::to_string(port), false);
    if (s.isOk()) {
      return static_cast<int64_t>(port);
    }
    storeFailed = s.code() != Code::kAlreadyExists;
    return std::nullopt;
  };
  return drawThenScan(static_cast<uint64_t>(ranges_.nodePorts.first),
                      static_cast<uint64_t>(ranges_.nodePorts.last), attempt, storeFailed);
}

void ServiceAllocation::release(const json& before, const json* now) {
  const Held was = heldBy(&before);
  const Held is = heldBy(now);
  const std::string uid = metaString(before, "uid");
  auto drop = [&](const std::string& key) {
    auto kv = store_.get(key);
    if (!kv.ok()) {
      return;
    }
    auto claim = json::parse(kv->value, nullptr, false);
    if (claim.is_object() && claim.value("uid", "") == uid) {
      (void)store_.remove(key, kv->modRevision);  // lost a race: the next claimer judges it
    }
  };
  for (const std::string& ip : was.ips) {
    if (!is.ips.count(ip)) {
      drop(kIpClaims + ip);
    }
  }
  for (int64_t port : was.ports) {
    if (!is.ports.count(port)) {
      drop(kPortClaims + std::to_string(port));
    }
  }
}

}  // namespace tug::apiserver
