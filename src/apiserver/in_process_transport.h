#pragma once

#include <memory>
#include <string>

#include "apiserver/route_table.h"
#include "apiserver/user_info.h"
#include "client/transport.h"

// The in-process transport (ARCHITECTURE.md, decision 4): the scheduler and controllers in the
// server's process call the API server's route handlers directly, as a fixed user. No socket,
// TLS or HTTP parsing, and no thread per watch: a watch's stream is pumped on the thread that
// reads it. Everything else is the same code path as a request from the network: the same
// routing, RBAC, admission, validation, metrics and JSON bodies.
namespace tug::apiserver {

class InProcessTransport : public client::Transport {
 public:
  // `routes` must outlive the transport (the ApiServer owns it).
  InProcessTransport(const RouteTable& routes, UserInfo user, std::string userAgent);

  Result<client::TransportReply> roundTrip(const client::TransportRequest& request) override;
  Result<std::unique_ptr<client::EventStream>> watch(const std::string& pathAndQuery,
                                                     bool omitManagedFields) override;

 private:
  // Runs the request's handler; the answer may be a stream (a watch).
  std::unique_ptr<httplib::Response> serve(const char* method, const std::string& pathAndQuery,
                                           std::string body, std::string contentType) const;

  const RouteTable& routes_;
  const UserInfo user_;
  const std::string userAgent_;
};

}  // namespace tug::apiserver
