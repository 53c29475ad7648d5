#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "apiserver/api_catalog.h"
#include "apiserver/apiserver.h"
#include "apiserver/discovery_routes.h"
#include "apiserver/resources.h"
#include "client/https_client.h"
#include "pki/pki.h"
#include "store/sqlite/sqlite_store.h"

namespace tug::client {

// A real API server on 127.0.0.1 (free port) with its store and certificates in a temporary
// directory, for the length of a test.
struct LocalServer {
  std::string dir;
  store::StorePtr store;
  std::unique_ptr<apiserver::ApiCatalog> catalog;
  std::unique_ptr<apiserver::ApiServer> api;
  pki::PkiFiles files;
  int port = 0;

  explicit LocalServer(const apiserver::RequestAuthorizer* authorizer = nullptr) {
    char tmpl[] = "/tmp/tug-client-test-XXXXXX";
    dir = mkdtemp(tmpl);
    auto s = store::openSqlite(store::SqliteOptions{.path = dir + "/state.db"});
    REQUIRE(s.ok());
    store = std::move(*s);
    pki::PkiOptions p;
    p.dataDir = dir;
    p.hostname = "localhost";
    auto f = pki::ensurePki(p);
    REQUIRE(f.ok());
    files = *f;
    const auto& builtin = api::ResourceRegistry::builtin();
    REQUIRE(apiserver::bootstrapNamespaces(*store, builtin).isOk());
    catalog = std::make_unique<apiserver::ApiCatalog>(builtin);
    apiserver::ApiServerOptions o;
    o.bindAddress = "127.0.0.1";
    o.port = 0;
    o.certFile = files.servingCert;
    o.keyFile = files.servingKey;
    o.clientCaFile = files.clientCaCert;
    api = std::make_unique<apiserver::ApiServer>(
        o, apiserver::Authenticator(), apiserver::HealthChecks(),
        std::vector<apiserver::RouteInstaller>{apiserver::discoveryRoutes(*catalog),
                                               apiserver::resourcesInstaller(*store, *catalog)});
    api->setAuthorizer(authorizer);
    auto started = api->start();
    REQUIRE(started.ok());
    port = *started;
  }
  ~LocalServer() {
    api->stop();
    store->close();
    std::filesystem::remove_all(dir);
  }
  Endpoint admin() const {
    return Endpoint{"127.0.0.1", port, files.serverCaCert, files.adminCert, files.adminKey, "",
                    "client-test"};
  }
  // A client of the server over `transport`: "https" (as the admin) or "in-process".
  std::unique_ptr<Client> client(const std::string& transport) const {
    if (transport == "https") {
      return std::make_unique<HttpsClient>(admin());
    }
    apiserver::UserInfo user{"tester", {"system:masters", "system:authenticated"}, true, {}, {}};
    return api->inProcessClient(user, "client-test");
  }
};

}  // namespace tug::client
