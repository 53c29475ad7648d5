#pragma once

#include <memory>

#include "client/client.h"
#include "client/transport.h"

// The Client interface spoken as the API's REST requests over a Transport: paths, query
// strings, JSON bodies and patch content types are built here, once for every transport, and
// answers other than 2xx become Status codes. Thread-safe when the transport is.
namespace tug::client {

class RestClient : public Client {
 public:
  explicit RestClient(std::unique_ptr<Transport> transport);
  ~RestClient() override;

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
  Status removeCollection(const Resource& r, std::string_view ns, const ListOptions& selectors = {},
                          const json& deleteOptions = json::object()) override;
  Result<std::unique_ptr<EventStream>> watch(const Resource& r, std::string_view ns,
                                             const ListOptions& options = {}) override;
  Result<std::vector<ServedResource>> serverResources() override;

  Transport& transport() { return *transport_; }

 private:
  Result<json> send(TransportRequest request);

  std::unique_ptr<Transport> transport_;
};

}  // namespace tug::client
