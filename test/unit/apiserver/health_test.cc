#include "apiserver/health.h"

#include <catch2/catch.hpp>

using tug::apiserver::HealthChecks;

TEST_CASE("health endpoints answer like upstream", "[apiserver][health]") {
  bool datastoreUp = true;
  HealthChecks h;
  h.add("ping", [] { return tug::Status::ok(); });
  h.add("datastore",
        [&] { return datastoreUp ? tug::Status::ok() : tug::unavailable("closed"); });

  auto plain = h.run("healthz", "", false, {});
  CHECK(plain.code == 200);
  CHECK(plain.body == "ok");

  auto verbose = h.run("readyz", "", true, {});
  CHECK(verbose.code == 200);
  CHECK(verbose.body == "[+]ping ok\n[+]datastore ok\nreadyz check passed\n");

  datastoreUp = false;
  auto failed = h.run("livez", "", false, {});
  CHECK(failed.code == 500);
  CHECK(failed.body == "[+]ping ok\n[-]datastore failed: reason withheld\nlivez check failed\n");

  auto excluded = h.run("livez", "", true, {"datastore"});
  CHECK(excluded.code == 200);
  CHECK(excluded.body.find("[+]datastore excluded: ok") != std::string::npos);

  CHECK(h.run("healthz", "ping", false, {}).body == "ok");
  CHECK(h.run("healthz", "datastore", false, {}).code == 500);
  CHECK(h.run("healthz", "nosuch", false, {}).code == 404);
}
