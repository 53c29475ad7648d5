#include "client/https_client.h"

#include <httplib.h>

#include "client/https_watch.h"

namespace tug::client {
namespace {

constexpr size_t kMaxIdleConnections = 4;

}  // namespace

HttpsTransport::HttpsTransport(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

HttpsTransport::~HttpsTransport() = default;

std::unique_ptr<httplib::SSLClient> HttpsTransport::connect() const {
  auto c = endpoint_.certFile.empty()
               ? std::make_unique<httplib::SSLClient>(endpoint_.host, endpoint_.port)
               : std::make_unique<httplib::SSLClient>(endpoint_.host, endpoint_.port,
                                                      endpoint_.certFile, endpoint_.keyFile);
  c->set_ca_cert_path(endpoint_.caFile);
  c->enable_server_certificate_verification(true);
  c->set_keep_alive(true);
  c->set_connection_timeout(5, 0);
  c->set_read_timeout(60, 0);
  c->set_write_timeout(60, 0);
  httplib::Headers headers = {{"User-Agent", endpoint_.userAgent},
                              {"Accept", "application/json"}};
  if (!endpoint_.bearerToken.empty()) {
    headers.emplace("Authorization", "Bearer " + endpoint_.bearerToken);
  }
  c->set_default_headers(headers);
  return c;
}

Result<TransportReply> HttpsTransport::roundTrip(const TransportRequest& request) {
  std::unique_ptr<httplib::SSLClient> c;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      c = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!c) {
    c = connect();
  }
  httplib::Result res{nullptr, httplib::Error::Unknown};
  const std::string method = request.method;
  const std::string& path = request.pathAndQuery;
  const std::string type = request.contentType.empty() ? "application/json" : request.contentType;
  if (method == "GET") {
    res = c->Get(path);
  } else if (method == "POST") {
    res = c->Post(path, request.body, type);
  } else if (method == "PUT") {
    res = c->Put(path, request.body, type);
  } else if (method == "PATCH") {
    res = c->Patch(path, request.body, type);
  } else {
    res = c->Delete(path, request.body, type);
  }
  if (!res) {
    return Status(Code::kUnavailable, method + " " + path + ": " + httplib::to_string(res.error()));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < kMaxIdleConnections) {
      idle_.push_back(std::move(c));
    }
  }
  return TransportReply{res->status, std::move(res->body)};
}

Result<std::unique_ptr<EventStream>> HttpsTransport::watch(const std::string& pathAndQuery,
                                                           bool omitManagedFields) {
  return startHttpsWatch(connect(), pathAndQuery, omitManagedFields);
}

}  // namespace tug::client
