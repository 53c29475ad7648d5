#include <atomic>

#include <catch2/catch.hpp>

#include "controllers/workload/batch.h"
#include "controllers/workload/controller_ref.h"
#include "controllers/workload/expectations.h"
#include "controllers/workload/object_helpers.h"

using namespace tug;
using namespace tug::controllers;
using json = nlohmann::json;

TEST_CASE("slow start doubles batches and stops after a failing one", "[workload]") {
  std::atomic<int> calls{0};
  auto ok = slowStartBatch(10, 1, 4, [&] {
    ++calls;
    return Status::ok();
  });
  CHECK(ok.successes == 10);
  CHECK(ok.firstError.isOk());
  CHECK(calls == 10);

  // Batches 1, 2, 4: the 4th call fails, so its batch ends the run after 1 + 2 + 4 calls.
  calls = 0;
  auto failed = slowStartBatch(100, 1, 1, [&] {
    int n = ++calls;
    return n == 4 ? Status(Code::kForbidden, "exceeded quota") : Status::ok();
  });
  CHECK(calls == 7);
  CHECK(failed.successes == 6);
  CHECK(failed.firstError.code() == Code::kForbidden);
}

TEST_CASE("expectations hold a key until its creates and deletes are seen", "[workload]") {
  Expectations e;
  CHECK(e.satisfied("ns/rs"));
  e.expectCreations("ns/rs", 2);
  CHECK_FALSE(e.satisfied("ns/rs"));
  e.creationObserved("ns/rs");
  CHECK_FALSE(e.satisfied("ns/rs"));
  e.creationObserved("ns/rs");
  CHECK(e.satisfied("ns/rs"));

  e.expectDeletions("ns/rs", {"ns/a", "ns/b"});
  e.deletionObserved("ns/rs", "ns/a");
  e.deletionObserved("ns/rs", "ns/a");  // counted once
  e.deletionObserved("ns/rs", "ns/other");
  CHECK_FALSE(e.satisfied("ns/rs"));
  e.deletionObserved("ns/rs", "ns/b");
  CHECK(e.satisfied("ns/rs"));
  e.expectCreations("ns/rs", 1);
  e.forget("ns/rs");
  CHECK(e.satisfied("ns/rs"));
}

TEST_CASE("a controller adopts orphans, keeps its own and releases what stopped matching",
          "[workload]") {
  json owner = {{"metadata", {{"name", "rs"}, {"namespace", "ns"}, {"uid", "u1"}}}};
  json selector = {{"matchLabels", {{"app", "web"}}}};
  auto pod = [](const json& labels, const json& refs) {
    json p = {{"metadata", {{"name", "p"}, {"namespace", "ns"}, {"uid", "pu"}, {"labels", labels}}}};
    if (!refs.is_null()) {
      p["metadata"]["ownerReferences"] = refs;
    }
    return p;
  };
  json mine = json::array({{{"uid", "u1"}, {"controller", true}, {"kind", "ReplicaSet"}}});
  json theirs = json::array({{{"uid", "u2"}, {"controller", true}, {"kind", "ReplicaSet"}}});
  json web = {{"app", "web"}};
  json other = {{"app", "db"}};
  CHECK(claimAction(owner, selector, pod(web, mine)) == ClaimAction::kKeep);
  CHECK(claimAction(owner, selector, pod(other, mine)) == ClaimAction::kRelease);
  CHECK(claimAction(owner, selector, pod(web, nullptr)) == ClaimAction::kAdopt);
  CHECK(claimAction(owner, selector, pod(other, nullptr)) == ClaimAction::kIgnore);
  CHECK(claimAction(owner, selector, pod(web, theirs)) == ClaimAction::kIgnore);
  json dying = pod(web, nullptr);
  dying["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  CHECK(claimAction(owner, selector, dying) == ClaimAction::kIgnore);
  json goingOwner = owner;
  goingOwner["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  CHECK(claimAction(goingOwner, selector, pod(other, mine)) == ClaimAction::kIgnore);
  CHECK(claimAction(goingOwner, selector, pod(web, nullptr)) == ClaimAction::kIgnore);

  CHECK(json::parse(releasePatch(pod(web, mine), "u1")) ==
        json({{"metadata",
               {{"ownerReferences", json::array({{{"$patch", "delete"}, {"uid", "u1"}}})},
                {"uid", "pu"}}}}));
}

TEST_CASE("pod readiness and availability follow the Ready condition", "[workload]") {
  const TimePoint now = *parseTime("2026-01-01T12:00:00Z");
  json pod = {{"status",
               {{"phase", "Running"},
                {"conditions", json::array({{{"type", "Ready"},
                                             {"status", "True"},
                                             {"lastTransitionTime", "2026-01-01T11:59:50Z"}}})}}}};
  CHECK(podIsReady(pod));
  CHECK(podIsAvailable(pod, 0, now));
  CHECK(podIsAvailable(pod, 9, now));
  CHECK_FALSE(podIsAvailable(pod, 10, now));  // strictly longer than minReadySeconds
  pod["status"]["conditions"][0]["status"] = "False";
  CHECK_FALSE(podIsAvailable(pod, 0, now));
  CHECK(podIsActive(pod));
  pod["status"]["phase"] = "Succeeded";
  CHECK_FALSE(podIsActive(pod));
  CHECK(parseTime("2026-01-01T12:00:00.5+01:00") ==
        *parseTime("2026-01-01T11:00:00Z") + std::chrono::milliseconds(500));
  CHECK_FALSE(parseTime("yesterday").has_value());
}
