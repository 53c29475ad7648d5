#include "apiserver/metrics.h"

#include <catch2/catch.hpp>

#include "apiserver/request_labels.h"

using namespace tug::apiserver;

namespace {

httplib::Request request(const std::string& method, const std::string& path,
                         std::multimap<std::string, std::string> params = {}) {
  httplib::Request r;
  r.method = method;
  r.path = path;
  r.params = std::move(params);
  return r;
}

bool contains(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

}  // namespace

TEST_CASE("requests are labelled the way upstream's metrics label them", "[metrics]") {
  auto l = requestLabels(request("GET", "/api/v1/namespaces/default/pods"));
  CHECK(l.verb == "LIST");
  CHECK(l.resource == "pods");
  CHECK(l.version == "v1");
  CHECK(l.scope == "namespace");
  CHECK(requestLabels(request("GET", "/api/v1/pods", {{"watch", "True"}})).verb == "WATCH");
  CHECK(requestLabels(request("GET", "/api/v1/pods", {{"watch", "false"}})).verb == "LIST");
  auto get = requestLabels(request("GET", "/apis/apps/v1/namespaces/a/deployments/web/scale"));
  CHECK(get.verb == "GET");
  CHECK(get.group == "apps");
  CHECK(get.subresource == "scale");
  CHECK(get.scope == "resource");
  CHECK(requestLabels(request("DELETE", "/api/v1/nodes")).verb == "DELETECOLLECTION");
  CHECK(requestLabels(request("DELETE", "/api/v1/nodes")).scope == "cluster");
  auto apply = request("PATCH", "/api/v1/namespaces/a/configmaps/c");
  apply.headers.emplace("Content-Type", "application/apply-patch+yaml");
  CHECK(requestLabels(apply).verb == "APPLY");
  auto plain = requestLabels(request("GET", "/healthz"));
  CHECK(plain.verb == "GET");
  CHECK(plain.resource.empty());
  CHECK(plain.scope.empty());
}

TEST_CASE("request metrics render as Prometheus text", "[metrics]") {
  RequestMetrics m;
  RequestLabels pods{"LIST", "", "v1", "pods", "", "namespace"};
  m.observe(pods, 200, 0.003);
  m.observe(pods, 200, 0.3);
  m.observe(pods, 404, 0.001);
  m.longRunningStarted(pods);
  m.longRunningStarted(pods);
  m.longRunningEnded(pods);
  MetricsText out;
  m.write(out);
  const std::string& t = out.text();
  CHECK(contains(t, "# TYPE apiserver_request_total counter\n"));
  CHECK(contains(t, "apiserver_request_total{code=\"200\",component=\"apiserver\",group=\"\","
                    "resource=\"pods\",scope=\"namespace\",subresource=\"\",verb=\"LIST\","
                    "version=\"v1\"} 2\n"));
  CHECK(contains(t, "code=\"404\""));
  CHECK(contains(t, "apiserver_request_duration_seconds_bucket{component=\"apiserver\",group="
                    "\"\",resource=\"pods\",scope=\"namespace\",subresource=\"\",verb=\"LIST\","
                    "version=\"v1\",le=\"0.005\"} 2\n"));
  CHECK(contains(t, "le=\"0.4\"} 3\n"));
  CHECK(contains(t, "le=\"+Inf\"} 3\n"));
  CHECK(contains(t, "apiserver_request_duration_seconds_count{"));
  CHECK(contains(t, "apiserver_longrunning_requests{component=\"apiserver\",group=\"\","
                    "resource=\"pods\",scope=\"namespace\",subresource=\"\",verb=\"LIST\","
                    "version=\"v1\"} 1\n"));
}

TEST_CASE("made-up resources cannot grow the metrics without bound", "[metrics]") {
  RequestMetrics m;
  for (size_t i = 0; i < RequestMetrics::kMaxLabelSets + 500; ++i) {
    m.observe(RequestLabels{"GET", "", "v1", "x" + std::to_string(i), "", "cluster"}, 404, 0.001);
  }
  MetricsText out;
  m.write(out);
  CHECK(out.text().find("resource=\"x2100\"") == std::string::npos);
  CHECK(out.text().find("resource=\"other\"") != std::string::npos);
}

TEST_CASE("label values are escaped and process figures are present", "[metrics]") {
  MetricsText out;
  out.family("t", "gauge", "help");
  out.sample("t", {{"a", "q\"b\\c\nd"}}, 1.5);
  CHECK(out.text() == "# HELP t help\n# TYPE t gauge\nt{a=\"q\\\"b\\\\c\\nd\"} 1.5\n");
  MetricsText proc;
  writeProcessMetrics(proc);
  CHECK(contains(proc.text(), "process_resident_memory_bytes "));
  CHECK(contains(proc.text(), "process_threads "));
  CHECK(contains(proc.text(), "process_open_fds "));
}
