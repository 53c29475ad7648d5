#pragma once

#include <memory>
#include <string>

#include "client/client.h"

// How a RestClient's requests reach an API server: over HTTPS to a server anywhere, or by a
// call into the server in this process. Requests and answers are the API's HTTP requests and
// answers (method, path with query, JSON body), so both transports run the server's one code
// path for every verb.
namespace tug::client {

struct TransportRequest {
  const char* method;  // GET, POST, PUT, PATCH, DELETE
  std::string pathAndQuery;
  std::string body;
  std::string contentType;  // of the body; empty means application/json
};

struct TransportReply {
  int status = 0;
  std::string body;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // One request and its whole answer. An error only when no answer came (Unavailable).
  virtual Result<TransportReply> roundTrip(const TransportRequest& request) = 0;
  // A watch request (`pathAndQuery` carries watch=true) streaming its events, decoded without
  // metadata.managedFields when `omitManagedFields` (ListOptions).
  virtual Result<std::unique_ptr<EventStream>> watch(const std::string& pathAndQuery,
                                                     bool omitManagedFields) = 0;
};

}  // namespace tug::client
