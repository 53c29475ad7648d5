#include "client/leader_election.h"

#include <algorithm>

#include "common/log.h"
#include "common/rfc3339.h"

namespace tug::client {
namespace {

constexpr const char* kLog = "leader-election";

const Resource kLeases{"coordination.k8s.io", "v1", "leases", true};

int64_t wholeSeconds(std::chrono::milliseconds d) {
  return std::max<int64_t>(1, (d.count() + 999) / 1000);
}

}  // namespace

LeaderElector::LeaderElector(Client& client, LeaderElectionOptions options,
                             std::function<void()> onStartedLeading,
                             std::function<void()> onStoppedLeading)
    : client_(client),
      options_(std::move(options)),
      onStartedLeading_(std::move(onStartedLeading)),
      onStoppedLeading_(std::move(onStoppedLeading)) {}

LeaderElector::~LeaderElector() { stop(); }

void LeaderElector::start() { thread_ = std::thread([this] { run(); }); }

void LeaderElector::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool LeaderElector::sleep(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !wake_.wait_for(lock, d, [&] { return stopping_; });
}

void LeaderElector::run() {
  const std::string lease = options_.leaseNamespace + "/" + options_.leaseName;
  while (true) {
    while (tryAcquireOrRenew() != Attempt::kHeld) {
      if (!sleep(options_.retryPeriod)) {
        return;
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) {
        release();
        return;
      }
    }
    TUG_LOG(kInfo, kLog) << options_.identity << " holds lease " << lease;
    leading_ = true;
    onStartedLeading_();
    auto renewed = std::chrono::steady_clock::now();
    bool lost = false;
    while (sleep(options_.retryPeriod)) {
      if (tryAcquireOrRenew() == Attempt::kHeld) {
        renewed = std::chrono::steady_clock::now();
      } else if (std::chrono::steady_clock::now() - renewed > options_.renewDeadline) {
        lost = true;
        break;
      }
    }
    leading_ = false;
    onStoppedLeading_();
    if (!lost) {
      release();
      return;
    }
    TUG_LOG(kWarn, kLog) << options_.identity << " lost lease " << lease
                            << ": not renewed within the renew deadline";
  }
}

LeaderElector::Attempt LeaderElector::tryAcquireOrRenew() {
  const std::string now = formatRfc3339Micro(std::chrono::system_clock::now());
  const int64_t duration = wholeSeconds(options_.leaseDuration);
  auto got = client_.get(kLeases, options_.leaseNamespace, options_.leaseName);
  if (!got.ok()) {
    if (got.status().code() != Code::kNotFound) {
      return Attempt::kFailed;
    }
    json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                  {"kind", "Lease"},
                  {"metadata", {{"name", options_.leaseName}, {"namespace", options_.leaseNamespace}}},
                  {"spec",
                   {{"holderIdentity", options_.identity},
                    {"leaseDurationSeconds", duration},
                    {"acquireTime", now},
                    {"renewTime", now},
                    {"leaseTransitions", 0}}}};
    auto created = client_.create(kLeases, options_.leaseNamespace, lease);
    if (!created.ok()) {
      return Attempt::kFailed;
    }
    observed_ = std::move(*created);
    observedAt_ = std::chrono::steady_clock::now();
    return Attempt::kHeld;
  }
  json lease = std::move(*got);
  json spec = lease.value("spec", json::object());
  // The holder's renewals are timed on this clock, from when this elector saw them.
  if (!observed_.is_object() || observed_.value("spec", json::object()) != spec) {
    observed_ = lease;
    observedAt_ = std::chrono::steady_clock::now();
  }
  const std::string holder = spec.value("holderIdentity", "");
  const bool mine = holder == options_.identity;
  const auto heldFor = std::chrono::seconds(spec.value("leaseDurationSeconds", int64_t{0}));
  const bool valid = !holder.empty() && std::chrono::steady_clock::now() < observedAt_ + heldFor;
  if (!mine && valid) {
    return Attempt::kHeldByOther;
  }
  if (!mine) {
    spec["holderIdentity"] = options_.identity;
    spec["acquireTime"] = now;
    spec["leaseTransitions"] = spec.value("leaseTransitions", int64_t{0}) + 1;
  }
  spec["leaseDurationSeconds"] = duration;
  spec["renewTime"] = now;
  lease["spec"] = std::move(spec);
  // The resourceVersion read makes this a compare-and-swap: of two candidates, one wins.
  auto updated = client_.update(kLeases, options_.leaseNamespace, lease);
  if (!updated.ok()) {
    return Attempt::kFailed;
  }
  observed_ = std::move(*updated);
  observedAt_ = std::chrono::steady_clock::now();
  return Attempt::kHeld;
}

void LeaderElector::release() {
  if (!observed_.is_object() ||
      observed_.value("spec", json::object()).value("holderIdentity", "") != options_.identity) {
    return;
  }
  // As client-go does on release: no holder and a one-second lease, so another candidate
  // takes over at its next try rather than after the lease duration.
  json lease = observed_;
  const std::string now = formatRfc3339Micro(std::chrono::system_clock::now());
  lease["spec"]["holderIdentity"] = "";
  lease["spec"]["leaseDurationSeconds"] = 1;
  lease["spec"]["renewTime"] = now;
  lease["spec"]["acquireTime"] = now;
  if (auto updated = client_.update(kLeases, options_.leaseNamespace, lease); updated.ok()) {
    observed_ = std::move(*updated);
  } else {
    TUG_LOG(kWarn, kLog) << "releasing lease " << options_.leaseNamespace << "/"
                            << options_.leaseName << ": " << updated.status().message();
  }
}

}  // namespace tug::client
