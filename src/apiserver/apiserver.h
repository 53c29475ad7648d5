#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "apiserver/authenticator.h"
#include "apiserver/health.h"
#include "apiserver/routes.h"
#include "common/status.h"

namespace httplib {
class SSLServer;
}

namespace tug::apiserver {

struct ApiServerOptions {
  std::string bindAddress = "0.0.0.0";
  int port = 6443;  // 0 picks a free port
  std::string certFile;      // serving certificate (PEM, with its chain)
  std::string keyFile;       // its private key
  std::string clientCaFile;  // client certificates must chain to this CA
  // Worker threads; every open watch will hold one, so this bounds concurrent watches.
  size_t threads = 32;
};

// The HTTPS front of the Kubernetes API. TLS 1.2 or newer; client certificates are requested
// and verified against the client CA but optional (bearer tokens work without one).
// Anonymous requests reach only /version, /healthz, /livez and /readyz; everything else
// needs an authenticated user.
class ApiServer {
 public:
  ApiServer(ApiServerOptions options, Authenticator authenticator, HealthChecks health,
            std::vector<RouteInstaller> installers = {});
  ~ApiServer();

  // Binds and starts serving on background threads. Returns the port bound.
  Result<int> start();
  // Stops accepting, finishes in-flight requests and joins the threads. Idempotent.
  void stop();

 private:
  void routes();

  ApiServerOptions options_;
  Authenticator authenticator_;
  HealthChecks health_;
  std::vector<RouteInstaller> installers_;
  std::unique_ptr<httplib::SSLServer> http_;
  std::thread thread_;
};

}  // namespace tug::apiserver
