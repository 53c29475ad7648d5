#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client/rest_client.h"
#include "client/transport.h"

namespace httplib {
class SSLClient;
}

// The HTTPS transport: the API server over TLS with keep-alive connections, authenticated by
// a client certificate or a bearer token. Thread-safe: concurrent calls each take a pooled
// connection; every watch gets a connection of its own.
namespace tug::client {

struct Endpoint {
  std::string host;  // "127.0.0.1", a name in the serving certificate
  int port = 6443;
  std::string caFile;               // the CA that signed the serving certificate
  std::string certFile, keyFile;    // a client certificate, or empty
  std::string bearerToken;          // or a token, or empty
  std::string userAgent = "tug";
};

class HttpsTransport : public Transport {
 public:
  explicit HttpsTransport(Endpoint endpoint);
  ~HttpsTransport() override;

  Result<TransportReply> roundTrip(const TransportRequest& request) override;
  Result<std::unique_ptr<EventStream>> watch(const std::string& pathAndQuery,
                                             bool omitManagedFields) override;

 private:
  // A new connection to the endpoint (watches hold theirs).
  std::unique_ptr<httplib::SSLClient> connect() const;

  Endpoint endpoint_;
  std::mutex mu_;
  std::vector<std::unique_ptr<httplib::SSLClient>> idle_;  // under mu_
};

// A Client of the API server at `endpoint`.
class HttpsClient : public RestClient {
 public:
  explicit HttpsClient(Endpoint endpoint)
      : RestClient(std::make_unique<HttpsTransport>(std::move(endpoint))) {}
};

}  // namespace tug::client
