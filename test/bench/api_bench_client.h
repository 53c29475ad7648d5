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
// `body`, when given, receives the response body (inflated if it came compressed);
// `acceptEncoding`, when given, is sent as the Accept-Encoding header.
Timed timedGet(httplib::SSLClient& client, const std::string& path, std::string* body = nullptr,
               const char* acceptEncoding = nullptr);

// Creates the namespace; fails the benchmark unless the server answers 201.
void createNamespace(const TugServer& server, const std::string& name);

// Calls request(client, i) for i in 0 .. count-1 from `threads` threads with a connection each.
void forEachParallel(const TugServer& server, int count, int threads,
                     const std::function<void(httplib::SSLClient&, int)>& request);

// POSTs body(0) .. body(count-1) to `path` in parallel; fails the benchmark on any answer but 201.
void createMany(const TugServer& server, const std::string& path, int count, int threads,
                const std::function<std::string(int)>& body);

// Sends the merge patch patch(i) to path(i) for i in 0 .. count-1 in parallel; fails the
// benchmark on any answer but 200.
void mergePatchMany(const TugServer& server, int count, int threads,
                    const std::function<std::string(int)>& path,
                    const std::function<std::string(int)>& patch);

// The collection's resourceVersion now, so that a watch can start after everything listed.
std::string collectionResourceVersion(const TugServer& server, const std::string& path);

}  // namespace tug::bench
