#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "apiserver/authenticator.h"
#include "apiserver/elastic_task_queue.h"
#include "apiserver/health.h"
#include "apiserver/metrics.h"
#include "apiserver/route_table.h"
#include "apiserver/routes.h"
#include "client/client.h"
#include "common/status.h"

namespace tug::apiserver {

class HttpsServer;

struct ApiServerOptions {
  std::string bindAddress = "0.0.0.0";
  int port = 6443;  // 0 picks a free port
  std::string certFile;      // serving certificate (PEM, with its chain)
  std::string keyFile;       // its private key
  std::string clientCaFile;  // client certificates must chain to this CA
  // Connection threads: a connection (a watch, an idle keep-alive) holds one while it lives.
  // `warmThreads` stay; more start on demand up to `maxThreads`, which bounds open watches.
  size_t warmThreads = 4;
  size_t maxThreads = 4096;
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

  // Adds figures to /metrics (call before start()).
  void addMetricsCollector(MetricsCollector collector);
  // Authorizes every API request (call before start(); it must outlive the server). Without
  // one, every authenticated user may do everything.
  void setAuthorizer(const RequestAuthorizer* authorizer) { authorizer_ = authorizer; }

  // Binds and starts serving on background threads. Returns the port bound.
  Result<int> start();
  // A client that calls this server's handlers in this process, as `user`, with `userAgent`
  // (the default field manager). Call after start(); the server must outlive it.
  std::unique_ptr<client::Client> inProcessClient(UserInfo user, std::string userAgent) const;
  // Connection threads now (alive, busy, waiting connections, peak); zeros before start().
  ElasticTaskQueue::Figures threadFigures() const;
  // Stops accepting, finishes in-flight requests and joins the threads. Idempotent.
  void stop();

 private:
  void routes();

  ApiServerOptions options_;
  Authenticator authenticator_;
  HealthChecks health_;
  std::vector<RouteInstaller> installers_;
  RequestMetrics requestMetrics_;
  RouteTable routeTable_;  // filled by start()
  std::vector<MetricsCollector> collectors_;
  const RequestAuthorizer* authorizer_ = nullptr;
  std::unique_ptr<HttpsServer> http_;
  ElasticTaskQueue* queue_ = nullptr;  // owned by http_ while it listens
  std::thread thread_;
};

}  // namespace tug::apiserver
