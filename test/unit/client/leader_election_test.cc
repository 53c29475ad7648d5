#include "client/leader_election.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "unit/eventually.h"

#include "local_server.h"

using namespace std::chrono_literals;
using namespace tug;
using namespace tug::client;
using tug::testing::eventually;

namespace {

const Resource kLeases{"coordination.k8s.io", "v1", "leases", true};

LeaderElectionOptions quick(const std::string& identity) {
  LeaderElectionOptions o;
  o.leaseName = "test-controller";
  o.identity = identity;
  o.leaseDuration = 1000ms;
  o.renewDeadline = 800ms;
  o.retryPeriod = 100ms;
  return o;
}

// A candidate that counts how often it started and stopped leading.
struct Candidate {
  std::atomic<int> started{0}, stopped{0};
  LeaderElector elector;
  Candidate(Client& c, const std::string& identity)
      : elector(
            c, quick(identity), [this] { started++; }, [this] { stopped++; }) {}
};

json leaseSpec(Client& c) {
  auto lease = c.get(kLeases, "kube-system", "test-controller");
  REQUIRE(lease.ok());
  return (*lease)["spec"];
}

// The test's Lease, held as `spec` says, before any candidate starts.
void createLease(Client& c, json spec) {
  json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                {"kind", "Lease"},
                {"metadata", {{"name", "test-controller"}, {"namespace", "kube-system"}}},
                {"spec", std::move(spec)}};
  REQUIRE(c.create(kLeases, "kube-system", lease).ok());
}

}  // namespace

TEST_CASE("one of two candidates leads, and the other takes over when it stops",
          "[leader-election]") {
  LocalServer server;
  auto client = server.client("in-process");
  Candidate a(*client, "a");
  a.elector.start();
  REQUIRE(eventually([&] { return a.elector.isLeader(); }));
  Candidate b(*client, "b");
  b.elector.start();
  std::this_thread::sleep_for(1500ms);  // longer than the lease: a keeps renewing it
  CHECK(a.elector.isLeader());
  CHECK_FALSE(b.elector.isLeader());
  CHECK(b.started == 0);
  json spec = leaseSpec(*client);
  CHECK(spec["holderIdentity"] == "a");
  CHECK(spec["leaseDurationSeconds"] == 1);
  CHECK(spec["leaseTransitions"] == 0);
  CHECK(spec["renewTime"].get<std::string>().size() == 27);  // MicroTime

  auto stopping = std::chrono::steady_clock::now();
  a.elector.stop();
  CHECK(a.started == 1);
  CHECK(a.stopped == 1);
  // Released, so b need not wait out the lease.
  REQUIRE(eventually([&] { return b.elector.isLeader(); }, 900ms));
  CHECK(std::chrono::steady_clock::now() - stopping < 900ms);
  CHECK(b.started == 1);
  spec = leaseSpec(*client);
  CHECK(spec["holderIdentity"] == "b");
  CHECK(spec["leaseTransitions"] == 1);
  b.elector.stop();
  CHECK(leaseSpec(*client)["holderIdentity"] == "");
}

TEST_CASE("a Lease whose holder stopped renewing is taken after its duration",
          "[leader-election]") {
  LocalServer server;
  auto client = server.client("in-process");
  createLease(*client, {{"holderIdentity", "gone"},
                        {"leaseDurationSeconds", 2},
                        {"renewTime", "2026-01-01T00:00:00.000000Z"},
                        {"leaseTransitions", 3}});
  auto start = std::chrono::steady_clock::now();
  Candidate c(*client, "c");
  c.elector.start();
  // The holder's renewTime is not trusted (another machine's clock): the candidate waits a
  // whole duration from when it first saw the Lease.
  std::this_thread::sleep_for(1500ms);
  CHECK_FALSE(c.elector.isLeader());
  REQUIRE(eventually([&] { return c.elector.isLeader(); }, 3s));
  CHECK(std::chrono::steady_clock::now() - start >= 2s);
  json spec = leaseSpec(*client);
  CHECK(spec["holderIdentity"] == "c");
  CHECK(spec["leaseTransitions"] == 4);
  c.elector.stop();
}

TEST_CASE("a restarted candidate with the same identity takes its Lease back at once",
          "[leader-election]") {
  LocalServer server;
  auto client = server.client("in-process");
  createLease(*client, {{"holderIdentity", "same"}, {"leaseDurationSeconds", 60}});
  Candidate again(*client, "same");
  again.elector.start();
  REQUIRE(eventually([&] { return again.elector.isLeader(); }, 1s));
  again.elector.stop();
}
