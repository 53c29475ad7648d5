#include "bench/api_bench_client.h"

#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "bench/api_bench_cleanup.h"

namespace tug::bench {
namespace {

std::string describe(const httplib::Result& r) {
  if (!r) {
    return "no response (" + httplib::to_string(r.error()) + ")";
  }
  return std::to_string(r->status) + " " + r->body.substr(0, 300);
}

}  // namespace

ClientPtr connectAdmin(const TugServer& server) {
  auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", server.port(),
                                                     server.tlsFile("client-admin.crt"),
                                                     server.tlsFile("client-admin.key"));
  require(client->is_valid(), "cannot load the admin client certificate");
  client->set_ca_cert_path(server.tlsFile("server-ca.crt").c_str());
  client->enable_server_certificate_verification(true);
  client->set_keep_alive(true);
  // The library's default (Nagle on) is compiled into it, whatever our build defines: without
  // this a small request waits for a delayed ACK, about 40 ms.
  client->set_tcp_nodelay(true);
  client->set_connection_timeout(std::chrono::seconds(30));
  client->set_read_timeout(std::chrono::seconds(60));
  client->set_write_timeout(std::chrono::seconds(30));
  return client;
}

Timed timedPost(httplib::SSLClient& client, const std::string& path, const std::string& json) {
  auto start = Clock::now();
  auto r = client.Post(path.c_str(), json, "application/json");
  return Timed{r ? r->status : 0, secondsSince(start) * 1000};
}

Timed timedGet(httplib::SSLClient& client, const std::string& path, std::string* body,
               const char* acceptEncoding) {
  httplib::Headers accept = {{"Accept", "application/json"}};
  if (acceptEncoding != nullptr) {
    accept.emplace("Accept-Encoding", acceptEncoding);
  }
  auto start = Clock::now();
  auto r = client.Get(path.c_str(), accept);
  Timed t{r ? r->status : 0, secondsSince(start) * 1000};
  if (r && body != nullptr) {
    *body = std::move(r->body);
  }
  return t;
}

void createNamespace(const TugServer& server, const std::string& name) {
  auto client = connectAdmin(server);
  std::string body =
      R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")" + name + R"("}})";
  auto r = client->Post("/api/v1/namespaces", body, "application/json");
  require(r && r->status == 201, "creating namespace " + name + ": " + describe(r));
}

void forEachParallel(const TugServer& server, int count, int threads,
                     const std::function<void(httplib::SSLClient&, int)>& request) {
  std::atomic<int> next{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&] {
      auto client = connectAdmin(server);
      for (int i; (i = next.fetch_add(1)) < count;) {
        request(*client, i);
      }
    });
  }
  for (auto& t : ts) {
    t.join();
  }
}

void createMany(const TugServer& server, const std::string& path, int count, int threads,
                const std::function<std::string(int)>& body) {
  forEachParallel(server, count, threads, [&](httplib::SSLClient& client, int i) {
    auto r = client.Post(path.c_str(), body(i), "application/json");
    if (!r || r->status != 201) {
      fail("POST " + path + ": " + describe(r));
    }
  });
}

void mergePatchMany(const TugServer& server, int count, int threads,
                    const std::function<std::string(int)>& path,
                    const std::function<std::string(int)>& patch) {
  forEachParallel(server, count, threads, [&](httplib::SSLClient& client, int i) {
    std::string target = path(i);
    auto r = client.Patch(target.c_str(), patch(i), "application/merge-patch+json");
    if (!r || r->status != 200) {
      fail("PATCH " + target + ": " + describe(r));
    }
  });
}

std::string collectionResourceVersion(const TugServer& server, const std::string& path) {
  auto client = connectAdmin(server);
  std::string body;
  Timed t = timedGet(*client, path + "?limit=1", &body);
  require(t.status == 200, "GET " + path + ": " + std::to_string(t.status));
  auto list = nlohmann::json::parse(body, nullptr, false);
  require(list.is_object() && list["metadata"]["resourceVersion"].is_string(),
          "no resourceVersion in the list of " + path);
  return list["metadata"]["resourceVersion"].get<std::string>();
}

}  // namespace tug::bench
