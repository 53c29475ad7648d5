#include "server/server.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>

#include "api/resource_registry.h"
#include "apiserver/access_reviews.h"
#include "apiserver/api_catalog.h"
#include "apiserver/apiserver.h"
#include "apiserver/bootstrap_rbac.h"
#include "apiserver/rbac_authorizer.h"
#include "apiserver/rbac_escalation_admission.h"
#include "apiserver/node_restriction.h"
#include "apiserver/rbac_store_lookup.h"
#include "apiserver/crd_controller.h"
#include "apiserver/discovery_routes.h"
#include "apiserver/kubernetes_service.h"
#include "apiserver/openapi_routes.h"
#include "apiserver/pod_binding.h"
#include "apiserver/pod_eviction.h"
#include "apiserver/resources.h"
#include "apiserver/service_account_tokens.h"
#include "apiserver/store_metrics.h"
#include "cli/value_parser.h"
#include "client/client.h"
#include "client/informer.h"
#include "client/leader_election.h"
#include "client/shared_informers.h"
#include "controllers/daemonset/daemonset_controller.h"
#include "controllers/disruption/disruption_controller.h"
#include "controllers/endpoints/endpoints_controller.h"
#include "controllers/garbagecollector/garbage_collector.h"
#include "controllers/podgc/pod_gc_controller.h"
#include "controllers/job/batch_controllers.h"
#include "controllers/namespace/namespace_controller.h"
#include "controllers/nodelifecycle/node_lifecycle_controller.h"
#include "controllers/resourcequota/resourcequota_controller.h"
#include "controllers/serviceaccount/serviceaccount_controller.h"
#include "controllers/workload/workload_controllers.h"
#include "cli/version.h"
#include "common/log.h"
#include "common/shutdown_signals.h"
#include "pki/kubeconfig.h"
#include "pki/file_io.h"
#include "pki/pki.h"
#include "scheduler/scheduler.h"
#include "store/sqlite/sqlite_store.h"

namespace tug::server {
namespace {

constexpr const char* kLog = "server";

Status setUpLogging(const cli::ServerOptions& o) {
  log::setLevel(o.debug ? log::Level::kDebug : log::Level::kInfo);
  return log::setFile(o.logFile);
}

store::SqliteOptions storeOptions(const cli::ServerOptions& o, const std::string& dbDir) {
  return store::SqliteOptions{
      .path = dbDir + "/state.db",
      .durability =
          o.datastoreDurability == "normal" ? store::Durability::kNormal : store::Durability::kFull,
      .retainFor = std::chrono::duration_cast<std::chrono::milliseconds>(o.datastoreRetention),
      .retainRevisions = o.datastoreRetainRevisions,
      .maxDatabaseBytes = o.datastoreMaxBytes,
  };
}

// <data-dir>/server/db/state.db, with the folders private to us.
Result<store::StorePtr> openStore(const cli::ServerOptions& o, const std::string& dataDir) {
  const std::string serverDir = dataDir + "/server";
  for (const std::string& dir : {serverDir, serverDir + "/db"}) {
    if (Status s = pki::makeDirWithMode(dir, 0700); !s.isOk()) {
      return s;
    }
  }
  store::SqliteOptions storeOpts = storeOptions(o, serverDir + "/db");
  TUG_LOG(kDebug, kLog) << "datastore " << storeOpts.path << ": durability "
                        << o.datastoreDurability << ", retention "
                        << cli::formatValue(o.datastoreRetention) << " and "
                        << storeOpts.retainRevisions << " revisions, max bytes "
                        << storeOpts.maxDatabaseBytes;
  return store::openSqlite(storeOpts);
}

std::string hostname() {
  char buf[256] = {};
  return gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : std::string("localhost");
}

// The URL the admin kubeconfig points at: a wildcard bind is reached over loopback.
std::string serverUrl(const std::string& bindAddress, int port) {
  std::string host = bindAddress;
  if (host == "0.0.0.0" || host.empty()) {
    host = "127.0.0.1";
  } else if (host == "::") {
    host = "[::1]";
  } else if (host.find(':') != std::string::npos) {
    host = "[" + host + "]";
  }
  return "https://" + host + ":" + std::to_string(port);
}

apiserver::HealthChecks healthChecks(store::Store& store) {
  apiserver::HealthChecks h;
  h.add("ping", [] { return Status::ok(); });
  h.add("datastore", [&store]() -> Status {
    // A read that finds nothing proves the datastore answers.
    auto r = store.get("/registry/health");
    return r.ok() || r.status().code() == Code::kNotFound ? Status::ok() : r.status();
  });
  return h;
}

// The service range and node-port range from the flags; a bad value stops the start.
Result<apiserver::ServiceRanges> serviceRanges(const cli::ServerOptions& o) {
  auto cidr = apiserver::Ipv4Cidr::parse(o.serviceCidr);
  if (!cidr.ok()) {
    return cidr.status().wrap("--service-cidr");
  }
  auto ports = apiserver::PortRange::parse(o.serviceNodePortRange);
  if (!ports.ok()) {
    return ports.status().wrap("--service-node-port-range");
  }
  if (!o.nodeIp.empty() && !apiserver::parseIpv4(o.nodeIp)) {
    return invalid("--node-ip: " + o.nodeIp + " is not an IPv4 address");
  }
  return apiserver::ServiceRanges{*cidr, *ports};
}

Status writeAdminKubeconfig(const cli::ServerOptions& o, const pki::PkiFiles& files, int port) {
  auto ca = pki::readWholeFile(files.serverCaCert);
  auto cert = pki::readWholeFile(files.adminCert);
  auto key = pki::readWholeFile(files.adminKey);
  for (auto* r : {&ca, &cert, &key}) {
    if (!r->ok()) {
      return r->status();
    }
  }
  pki::Kubeconfig k{serverUrl(o.bindAddress, port), *ca, *cert, *key};
  return pki::writeKubeconfig(o.writeKubeconfig, static_cast<mode_t>(o.writeKubeconfigMode), k).wrap("writing the admin kubeconfig");
}

struct StartedApi {
  std::unique_ptr<apiserver::ApiServer> server;
  pki::PkiFiles files;
  int port = 0;
};

// Certificates, then the HTTPS API on its port, then the admin kubeconfig that points at it.
Result<StartedApi> startApiServer(
    const cli::ServerOptions& o, const std::string& dataDir, store::Store& store,
    const apiserver::ApiCatalog& catalog, std::shared_ptr<apiserver::OpenApiDocuments> docs,
    const apiserver::RequestAuthorizer& authorizer, const auth::RbacLookup& rbac,
    const apiserver::ServiceRanges& ranges, const apiserver::RequesterAdmission* admission) {
  pki::PkiOptions pkiOptions;
  pkiOptions.dataDir = dataDir;
  pkiOptions.hostname = hostname();
  pkiOptions.tlsSans = o.tlsSans;
  if (o.bindAddress != "0.0.0.0" && o.bindAddress != "::") {
    pkiOptions.nodeIps.push_back(o.bindAddress);
  }
  auto files = pki::ensurePki(pkiOptions);
  if (!files.ok()) {
    return files.status();
  }
  for (const std::string& f : files->written) {
    TUG_LOG(kInfo, kLog) << "wrote " << f;
  }
  apiserver::ApiServerOptions apiOptions;
  apiOptions.bindAddress = o.bindAddress;
  apiOptions.port = o.httpsListenPort;
  apiOptions.certFile = files->servingCert;
  apiOptions.keyFile = files->servingKey;
  apiOptions.clientCaFile = files->clientCaCert;
  auto tokens = apiserver::ServiceAccountTokens::load(
      {.privateKeyFile = files->serviceKey, .publicKeyFile = files->servicePub});
  if (!tokens.ok()) {
    return tokens.status();
  }
  apiserver::Authenticator authenticator;
  authenticator.addTokenAuthenticator(tokens->authenticator(
      std::make_shared<apiserver::StoreObjectLookup>(store, api::ResourceRegistry::builtin())));
  std::vector<apiserver::RouteInstaller> installers{
      apiserver::discoveryRoutes(catalog), apiserver::openApiRoutes(std::move(docs)),
      apiserver::accessReviewRoutes(rbac)};
  if (auto issuerDiscovery = tokens->discoveryRoutes()) {
    installers.push_back(std::move(*issuerDiscovery));
  }
  installers.push_back(apiserver::resourcesInstaller(
      store, catalog, {{"serviceaccounts/token", tokens->tokenRequest()},
                      {"pods/binding", apiserver::createPodBinding},
                      {"pods/eviction", apiserver::createPodEviction}}, ranges,
      apiserver::PodDefaults{o.defaultNotReadyTolerationSeconds,
                             o.defaultUnreachableTolerationSeconds},
      admission));
  auto api = std::make_unique<apiserver::ApiServer>(apiOptions, std::move(authenticator),
                                                    healthChecks(store), std::move(installers));
  api->addMetricsCollector(apiserver::storeMetrics(store));
  api->setAuthorizer(&authorizer);
  auto port = api->start();
  if (!port.ok()) {
    return port.status();
  }
  if (Status s = writeAdminKubeconfig(o, *files, *port); !s.isOk()) {
    return s;
  }
  TUG_LOG(kInfo, kLog) << "admin kubeconfig written to " << o.writeKubeconfig;
  return StartedApi{std::move(api), *files, *port};
}

// The controllers and the scheduler are clients of the API in this process: their requests
// go straight to the API server's handlers, as users in system:masters (the whole API, as
// kube-controller-manager's and kube-scheduler's own credentials would give them here).
std::unique_ptr<client::Client> componentClient(const StartedApi& api, const char* user,
                                                const char* userAgent) {
  apiserver::UserInfo who{user, {"system:masters", "system:authenticated"}, true, {}, {}};
  return api.server->inProcessClient(std::move(who), userAgent);
}

// Nodes are checked several times within their grace period (every 5 s by default).
controllers::NodeLifecycleOptions nodeLifecycleOptions(const cli::ServerOptions& o) {
  auto grace = std::chrono::duration_cast<std::chrono::milliseconds>(o.nodeMonitorGracePeriod);
  return controllers::NodeLifecycleOptions{
      grace, std::clamp(grace / 8, std::chrono::milliseconds(100), std::chrono::milliseconds(5000))};
}

// The controllers --controllers asks for, in kube-controller-manager's syntax: "*" for every
// one, "name" to add one, "-name" to leave one out (a later entry wins).
Result<std::set<std::string>> enabledControllers(const std::string& list) {
  static const std::set<std::string> kKnown = {
      "namespace",        "serviceaccount", "endpoint",   "endpointslice", "nodelifecycle",
      "garbagecollector", "replicaset",     "deployment", "daemonset", "statefulset",
      "job",              "cronjob",        "ttl-after-finished", "disruption",
      "podgc",            "resourcequota"};
  std::set<std::string> enabled;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    bool off = !item.empty() && item[0] == '-';
    std::string name = off ? item.substr(1) : item;
    if (name == "*" && !off) {
      enabled = kKnown;
    } else if (kKnown.count(name)) {
      off ? (void)enabled.erase(name) : (void)enabled.insert(name);
    } else {
      std::string known;
      for (const std::string& k : kKnown) {
        known += (known.empty() ? "" : ", ") + k;
      }
      return invalid("--controllers: unknown controller \"" + name + "\" (known: " + known + ")");
    }
  }
  return enabled;
}

// Who this server is in leader election: the same across its restarts (so a server that stopped
// without releasing its Leases takes them back at once), different for every data dir.
std::string electionIdentity(const std::string& dataDir) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016zx", std::hash<std::string>{}(dataDir));
  return hostname() + "_" + hash;
}

// The scheduler and the controllers, each part a client of the API in this process, either one
// off when the flags say so. Each runs only while this server holds its Lease (leader
// election), as kube-scheduler and kube-controller-manager do, so that servers sharing a
// datastore run one of each. Members go in reverse order: the clients last.
class ControlPlane {
 public:
  ControlPlane(const cli::ServerOptions& o, const StartedApi& api,
               const std::set<std::string>& enabled, const std::string& identity)
      : options_(o), enabled_(enabled) {
    const bool controllersOn = !o.disableControllerManager && !enabled.empty();
    if (!controllersOn && o.disableScheduler) {
      return;
    }
    // One informer per resource serves the scheduler and every controller (client-go's shared
    // informers), on its own client. An informer starts when a component first asks for it and
    // then runs for the server's life, across Leases lost and won again.
    informerClient_ = componentClient(api, "system:kube-controller-manager", "tug-informers");
    informers_ = std::make_unique<client::SharedInformers>(*informerClient_);
    informers_->start();
    if (controllersOn) {
      controllerClient_ =
          componentClient(api, "system:kube-controller-manager", "tug-controller-manager");
      controllerElector_ = std::make_unique<client::LeaderElector>(
          *controllerClient_, leaseOptions("kube-controller-manager", identity),
          [this] { startControllers(); }, [this] { stopControllers(); });
      controllerElector_->start();
    }
    if (!o.disableScheduler) {
      schedulerClient_ = componentClient(api, "system:kube-scheduler", "tug-scheduler");
      schedulerElector_ = std::make_unique<client::LeaderElector>(
          *schedulerClient_, leaseOptions("kube-scheduler", identity),
          [this] {
            scheduler_ = std::make_unique<scheduler::Scheduler>(*schedulerClient_, *informers_);
            scheduler_->start();
          },
          [this] { scheduler_.reset(); });
      schedulerElector_->start();
    }
  }

 private:
  static client::LeaderElectionOptions leaseOptions(const char* name,
                                                    const std::string& identity) {
    client::LeaderElectionOptions lease;
    lease.leaseName = name;
    lease.identity = identity;
    return lease;
  }

  bool on(const char* name) const { return enabled_.count(name) > 0; }

  void startControllers() {
    client::Client& c = *controllerClient_;
    // Each controller registers its handlers while it is built, and hears of every cached
    // object then; they start working after.
    if (on("namespace")) {
      namespaces_ = std::make_unique<controllers::NamespaceController>(c);
    }
    if (on("serviceaccount")) {
      serviceAccounts_ = std::make_unique<controllers::ServiceAccountController>(c);
    }
    // One controller keeps both the Endpoints and the EndpointSlices.
    if (on("endpoint") || on("endpointslice")) {
      endpoints_ = std::make_unique<controllers::EndpointsController>(c, *informers_);
    }
    if (on("nodelifecycle")) {
      nodeLifecycle_ = std::make_unique<controllers::NodeLifecycleController>(
          c, *informers_, nodeLifecycleOptions(options_));
    }
    if (on("garbagecollector")) {
      garbageCollector_ = std::make_unique<controllers::GarbageCollector>(c);
    }
    if (on("replicaset") || on("deployment") || on("statefulset")) {
      workloads_ = std::make_unique<controllers::WorkloadControllers>(
          c, *informers_,
          controllers::WorkloadControllers::Enabled{on("replicaset"), on("deployment"),
                                                    on("statefulset")});
    }
    if (on("daemonset")) {
      daemonSets_ = std::make_unique<controllers::DaemonSetController>(c, *informers_);
    }
    if (on("job") || on("cronjob") || on("ttl-after-finished")) {
      batch_ = std::make_unique<controllers::BatchControllers>(
          c, *informers_,
          controllers::BatchControllers::Enabled{on("job"), on("cronjob"),
                                                 on("ttl-after-finished")});
    }
    if (on("podgc")) {
      controllers::PodGcOptions gc;
      gc.terminatedPodThreshold = options_.terminatedPodGcThreshold;
      podGc_ = std::make_unique<controllers::PodGcController>(c, *informers_, gc);
    }
    if (on("resourcequota")) {
      resourceQuotas_ = std::make_unique<controllers::ResourceQuotaController>(
          c, *informers_, controllers::ResourceQuotaController::Options{});
    }
    if (on("disruption")) {
      disruption_ = std::make_unique<controllers::DisruptionController>(
          c, *informers_, controllers::DisruptionController::Options{});
    }
    forEachController([](auto& controller) { controller->start(); });
  }

  // The controllers' workers first, then the controllers themselves, each taking its handlers
  // off the shared informers, which go on for the scheduler and for a later lead.
  void stopControllers() {
    forEachController([](auto& controller) { controller->stop(); });
    forEachController([](auto& controller) { controller.reset(); });
  }

  // Calls `fn` with the pointer of every controller that is built.
  template <typename Fn>
  void forEachController(Fn fn) {
    auto call = [&](auto& controller) {
      if (controller) {
        fn(controller);
      }
    };
    call(namespaces_);
    call(serviceAccounts_);
    call(endpoints_);
    call(nodeLifecycle_);
    call(garbageCollector_);
    call(workloads_);
    call(daemonSets_);
    call(batch_);
    call(disruption_);
    call(podGc_);
    call(resourceQuotas_);
  }

  const cli::ServerOptions& options_;
  const std::set<std::string> enabled_;
  std::unique_ptr<client::Client> informerClient_, controllerClient_, schedulerClient_;
  std::unique_ptr<client::SharedInformers> informers_;  // outlives the components below
  std::unique_ptr<controllers::NamespaceController> namespaces_;
  std::unique_ptr<controllers::ServiceAccountController> serviceAccounts_;
  std::unique_ptr<controllers::WorkloadControllers> workloads_;
  std::unique_ptr<controllers::DaemonSetController> daemonSets_;
  std::unique_ptr<controllers::BatchControllers> batch_;
  std::unique_ptr<controllers::DisruptionController> disruption_;
  std::unique_ptr<controllers::PodGcController> podGc_;
  std::unique_ptr<controllers::EndpointsController> endpoints_;
  std::unique_ptr<controllers::NodeLifecycleController> nodeLifecycle_;
  std::unique_ptr<controllers::GarbageCollector> garbageCollector_;
  std::unique_ptr<controllers::ResourceQuotaController> resourceQuotas_;
  std::unique_ptr<scheduler::Scheduler> scheduler_;
  // First to go: stopping an elector stops what it started and releases its Lease.
  std::unique_ptr<client::LeaderElector> controllerElector_, schedulerElector_;
};

}  // namespace

Status run(const cli::ServerOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  // First, while this is the only thread: the store's threads must inherit the blocked mask.
  if (Status s = blockShutdownSignals(); !s.isOk()) {
    return s;
  }
  if (Status s = setUpLogging(options); !s.isOk()) {
    return s;
  }
  for (const std::string& file : options.configFiles) {
    TUG_LOG(kDebug, kLog) << "read config file " << file;
  }
  const std::string dataDir = std::filesystem::absolute(options.dataDir).lexically_normal();
  auto ranges = serviceRanges(options);
  if (!ranges.ok()) {
    return ranges.status();
  }
  auto controllerSet = enabledControllers(options.controllers);
  if (!controllerSet.ok()) {
    return controllerSet.status();
  }
  // Nothing is logged at info level before this can fail: a refused start prints one line.
  Result<store::StorePtr> store = openStore(options, dataDir);
  if (!store.ok()) {
    return store.status();
  }
  TUG_LOG(kInfo, kLog) << "tug " << cli::shortVersion() << ", data dir " << dataDir
                       << ", datastore at revision " << (*store)->currentRevision();
  for (auto bootstrap : {apiserver::bootstrapNamespaces, apiserver::bootstrapRbac}) {
    if (Status s = bootstrap(**store, api::ResourceRegistry::builtin()); !s.isOk()) {
      (*store)->close();
      return s;
    }
  }
  apiserver::RbacStoreLookup rbac(**store);
  if (Status s = rbac.start(); !s.isOk()) {
    (*store)->close();
    return s;
  }
  apiserver::RbacRequestAuthorizer authorizer(rbac);
  apiserver::RbacEscalationAdmission escalation(rbac);
  apiserver::RequesterAdmissionChain admission;
  admission.add(&escalation);
  apiserver::NodeRestriction nodeRestriction;
  admission.add(&nodeRestriction);
  // CRDs are served from the first request: the controller reads them before the port opens.
  apiserver::ApiCatalog catalog(api::ResourceRegistry::builtin());
  auto docs = std::make_shared<apiserver::OpenApiDocuments>(api::ResourceRegistry::builtin());
  apiserver::CrdController crds(**store, catalog, docs);
  if (Status s = crds.start(); !s.isOk()) {
    (*store)->close();
    return s;
  }
  auto api = startApiServer(options, dataDir, **store, catalog, docs, authorizer, rbac, *ranges,
                            &admission);
  if (!api.ok()) {
    crds.stop();
    (*store)->close();
    return api.status();
  }
  apiserver::ApiServerEndpoint advertised{
      options.nodeIp.empty() ? apiserver::defaultAdvertiseAddress(options.bindAddress)
                             : options.nodeIp,
      api->port};
  if (Status s = apiserver::reconcileKubernetesService(**store, api::ResourceRegistry::builtin(),
                                                       *ranges, advertised);
      !s.isOk()) {
    TUG_LOG(kWarn, kLog) << "the kubernetes Service: " << s.message();
  }
  auto controlPlane =
      std::make_unique<ControlPlane>(options, *api, *controllerSet, electionIdentity(dataDir));
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  TUG_LOG(kInfo, kLog) << "started in " << elapsed.count() << "ms; waiting for SIGTERM or SIGINT";

  Result<int> signal = waitForShutdownSignal();
  unblockShutdownSignals();
  if (signal.ok()) {
    TUG_LOG(kInfo, kLog) << "received " << signalName(*signal) << ", shutting down";
  }
  // Controllers and their client go first: the server waits for open connections to close,
  // and the client's idle keep-alive connections would hold it for their whole timeout.
  controlPlane.reset();
  api->server->stop();
  crds.stop();
  rbac.stop();
  (*store)->close();
  TUG_LOG(kInfo, kLog) << "stopped";
  return signal.status();
}

}  // namespace tug::server
