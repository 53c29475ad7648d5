#include "apiserver/apiserver.h"

#include <httplib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <cstring>

#include "apiserver/https_server.h"
#include "apiserver/in_process_transport.h"
#include "apiserver/response.h"
#include "apiserver/routes.h"
#include "apiserver/version_info.h"
#include "client/rest_client.h"
#include "common/log.h"

namespace tug::apiserver {
namespace {

constexpr const char* kLog = "apiserver";

std::string opensslError() {
  unsigned long e = ERR_get_error();
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// TLS 1.2+, our serving certificate, and optional client certificates checked against the
// client CA: a certificate that does not verify fails the handshake, none at all is fine.
bool setUpTls(SSL_CTX& ctx, const ApiServerOptions& o, std::string* error) {
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_use_certificate_chain_file(&ctx, o.certFile.c_str()) != 1) {
    *error = "loading serving certificate " + o.certFile + ": " + opensslError();
    return false;
  }
  if (SSL_CTX_use_PrivateKey_file(&ctx, o.keyFile.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(&ctx) != 1) {
    *error = "loading serving key " + o.keyFile + ": " + opensslError();
    return false;
  }
  if (SSL_CTX_load_verify_locations(&ctx, o.clientCaFile.c_str(), nullptr) != 1) {
    *error = "loading client CA " + o.clientCaFile + ": " + opensslError();
    return false;
  }
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(o.clientCaFile.c_str());
  if (names != nullptr) {
    SSL_CTX_set_client_CA_list(&ctx, names);
  }
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
  return true;
}

std::vector<std::string> queryValues(const httplib::Request& req, const char* key) {
  std::vector<std::string> out;
  auto [begin, end] = req.params.equal_range(key);
  for (auto it = begin; it != end; ++it) {
    out.push_back(it->second);
  }
  return out;
}

void writeThreadMetrics(MetricsText& out, const ElasticTaskQueue::Figures& f) {
  out.family("tug_apiserver_connection_threads", "gauge",
             "Threads serving connections (a watch or an idle keep-alive holds one).");
  out.sample("tug_apiserver_connection_threads", {}, static_cast<double>(f.threads));
  out.family("tug_apiserver_connection_threads_busy", "gauge",
             "Connection threads serving a connection now.");
  out.sample("tug_apiserver_connection_threads_busy", {}, static_cast<double>(f.busy));
  out.family("tug_apiserver_connections_waiting", "gauge",
             "Connections waiting for a thread because all threads are busy.");
  out.sample("tug_apiserver_connections_waiting", {}, static_cast<double>(f.queued));
  out.family("tug_apiserver_connection_threads_peak", "gauge",
             "Most connection threads alive at once since start.");
  out.sample("tug_apiserver_connection_threads_peak", {}, static_cast<double>(f.peakThreads));
}

}  // namespace

ApiServer::ApiServer(ApiServerOptions options, Authenticator authenticator, HealthChecks health,
                     std::vector<RouteInstaller> installers)
    : options_(std::move(options)),
      authenticator_(std::move(authenticator)),
      health_(std::move(health)),
      installers_(std::move(installers)) {}

ApiServer::~ApiServer() { stop(); }

Result<int> ApiServer::start() {
  std::string tlsError;
  http_ = std::make_unique<HttpsServer>(
      [&](SSL_CTX& ctx) { return setUpTls(ctx, options_, &tlsError); });
  if (!http_->is_valid()) {
    return internalError(tlsError.empty() ? "cannot set up TLS" : tlsError);
  }
  http_->new_task_queue = [this] {
    queue_ = new ElasticTaskQueue(options_.warmThreads, options_.maxThreads);
    return queue_;
  };
  http_->set_keep_alive_max_count(1000);
  http_->set_keep_alive_timeout(60);
  // Small replies and watch events must not wait for the client's delayed ACK (Nagle).
  http_->set_tcp_nodelay(true);
  routes();
  int port = options_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(options_.bindAddress);
  } else if (!http_->bind_to_port(options_.bindAddress, port)) {
    port = -1;
  }
  if (port < 0) {
    return unavailable("cannot listen on " + options_.bindAddress + ":" +
                       std::to_string(options_.port) + ": " + std::strerror(errno));
  }
  http_->raiseListenBacklog(1024);
  auto listenEnded = std::make_shared<std::atomic<bool>>(false);
  thread_ = std::thread([this, listenEnded] {
    http_->listen_after_bind();
    *listenEnded = true;
  });
  // httplib's stop() does nothing until the listening loop has begun, and that loop would
  // then run forever: a server stopped right after it started (a busy machine, a short
  // test) would never join. So start() returns once the loop runs (or has already ended).
  while (!http_->is_running() && !*listenEnded) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  TUG_LOG(kInfo, kLog) << "serving HTTPS on " << options_.bindAddress << ":" << port;
  return port;
}

void ApiServer::addMetricsCollector(MetricsCollector collector) {
  collectors_.push_back(std::move(collector));
}

std::unique_ptr<client::Client> ApiServer::inProcessClient(UserInfo user,
                                                          std::string userAgent) const {
  return std::make_unique<client::RestClient>(
      std::make_unique<InProcessTransport>(routeTable_, std::move(user), std::move(userAgent)));
}

ElasticTaskQueue::Figures ApiServer::threadFigures() const {
  return queue_ != nullptr ? queue_->figures() : ElasticTaskQueue::Figures{};
}

void ApiServer::stop() {
  if (http_) {
    http_->stopServing();
  }
  if (thread_.joinable()) {
    thread_.join();
  }
  queue_ = nullptr;  // httplib deleted it when listening ended
}

void ApiServer::routes() {
  httplib::SSLServer& s = *http_;
  routeTable_ = RouteTable();  // a server started again routes afresh
  Routes api(s, authenticator_, &requestMetrics_, authorizer_, &routeTable_);
  // Public through RBAC (system:public-info-viewer), like every route authenticated first.
  // The python client asks for /version/.
  api.get("/version/?", [](const httplib::Request&, httplib::Response& res, const UserInfo&) {
    sendJson(res, 200, versionInfo());
  });
  for (const char* endpoint : {"healthz", "livez", "readyz"}) {
    auto handler = [this, endpoint](const httplib::Request& req, httplib::Response& res,
                                    const UserInfo&) {
      std::string only = req.matches.size() > 1 ? std::string(req.matches[1]) : std::string();
      auto answer = health_.run(endpoint, only, req.has_param("verbose"),
                                queryValues(req, "exclude"));
      res.status = answer.code;
      res.set_content(answer.body, "text/plain; charset=utf-8");
    };
    api.get(std::string("/") + endpoint, handler);
    api.get(std::string("/") + endpoint + "/([A-Za-z0-9_.-]+)", handler);
  }
  api.get("/metrics", [this](const httplib::Request&, httplib::Response& res, const UserInfo&) {
    MetricsText out;
    requestMetrics_.write(out);
    writeThreadMetrics(out, threadFigures());
    for (const MetricsCollector& collect : collectors_) {
      collect(out);
    }
    writeProcessMetrics(out);
    res.set_content(out.text(), "text/plain; version=0.0.4; charset=utf-8");
  });
  for (const RouteInstaller& install : installers_) {
    install(api);
  }
  // Whatever no installer claimed: still 401 for strangers, then 404.
  auto notFoundHandler = [](const httplib::Request&, httplib::Response& res, const UserInfo&) {
    sendStatus(res, notFound("the server could not find the requested resource"));
  };
  api.get(".*", notFoundHandler);
  api.post(".*", notFoundHandler);
  api.put(".*", notFoundHandler);
  api.patch(".*", notFoundHandler);
  api.del(".*", notFoundHandler);
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    sendStatus(res, internalError("internal error"));
  });
}

}  // namespace tug::apiserver
