#pragma once

#include <functional>
#include <memory>
#include <string>

#include "bench/api_bench_server.h"

namespace httplib {
class SSLClient;
}

namespace tug::bench {

using ClientPtr = std::unique_ptr<httplib::SSLClient>;

// One keep-alive HTTPS connection to `server` as its admin user (the client certificate tug
// wrote), verifying the server against its CA. A client is used by one thread at a time.
ClientPtr connectAdmin(const TugServer& server);

// A request's status (0: no response at all) and how long it took to read the whole response.
struct Timed {
  int status = 0;
  double ms = 0;
};

Timed timedPost(httplib::SSLClient& client, const std::string& path, const std::string& json);
// `body`, when given, receives the response body.
Timed timedGet(httplib::SSLClient& client, const std::string& path, std::string* body = nullptr);

// Creates the namespace; fails the benchmark unless the server answers 201.
void createNamespace(const TugServer& server, const std::string& name);

// POSTs body(0) .. body(count-1) to `path` from `threads` threads with a connection each;
// fails the benchmark on any answer but 201.
void createMany(const TugServer& server, const std::string& path, int count, int threads,
                const std::function<std::string(int)>& body);

// The collection's resourceVersion now, so that a watch can start after everything listed.
std::string collectionResourceVersion(const TugServer& server, const std::string& path);

}  // namespace tug::bench
