#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client/client.h"

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

class HttpsClient : public Client {
 public:
  explicit HttpsClient(Endpoint endpoint);
  ~HttpsClient() override;

  Result<json> get(const Resource& r, std::string_view ns, std::string_view name,
                   std::string_view subresource = "") override;
  Result<ObjectList> list(const Resource& r, std::string_view ns,
                          const ListOptions& options = {}) override;
  Result<json> create(const Resource& r, std::string_view ns, const json& obj,
                      const WriteOptions& options = {}, std::string_view name = "",
                      std::string_view subresource = "") override;
  Result<json> update(const Resource& r, std::string_view ns, const json& obj,
                      std::string_view subresource = "",
                      const WriteOptions& options = {}) override;
  Result<json> patch(const Resource& r, std::string_view ns, std::string_view name,
                     PatchType type, std::string_view body, std::string_view subresource = "",
                     const WriteOptions& options = {}) override;
  Result<json> remove(const Resource& r, std::string_view ns, std::string_view name,
                      const json& deleteOptions = json::object()) override;
  Result<std::unique_ptr<EventStream>> watch(const Resource& r, std::string_view ns,
                                             const ListOptions& options = {}) override;
  Result<std::vector<ServedResource>> serverResources() override;
  Status removeCollection(const Resource& r, std::string_view ns, const ListOptions& selectors = {},
                          const json& deleteOptions = json::object()) override;

  // A new connection to the endpoint (for watches, which hold theirs).
  std::unique_ptr<httplib::SSLClient> connect() const;

 private:
  struct Request {
    const char* method;
    std::string path;
    std::string body;
    std::string contentType;
  };
  Result<json> send(const Request& request);

  Endpoint endpoint_;
  std::mutex mu_;
  std::vector<std::unique_ptr<httplib::SSLClient>> idle_;  // under mu_
};

}  // namespace tug::client
