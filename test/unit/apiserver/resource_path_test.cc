#include "apiserver/resource_path.h"

#include <catch2/catch.hpp>

using namespace tug;
using namespace tug::apiserver;

namespace {

ResourcePath parse(const char* path) {
  auto p = parseResourcePath(path);
  REQUIRE(p.ok());
  return *p;
}

}  // namespace

TEST_CASE("core and group URLs split into resource, namespace, name, subresource",
          "[resource_path]") {
  auto p = parse("/api/v1/namespaces/default/pods/web/status");
  CHECK(p.group == "");
  CHECK(p.version == "v1");
  CHECK(p.ns == "default");
  CHECK(p.namespacedUrl);
  CHECK(p.resource == "pods");
  CHECK(p.name == "web");
  CHECK(p.subresource == "status");

  p = parse("/apis/apps/v1/deployments");
  CHECK(p.group == "apps");
  CHECK(p.version == "v1");
  CHECK(p.resource == "deployments");
  CHECK_FALSE(p.namespacedUrl);
  CHECK(p.name.empty());

  p = parse("/api/v1/pods/");  // python's trailing slash
  CHECK(p.resource == "pods");
}

TEST_CASE("namespaces/<name> is the namespace itself, with its own subresources",
          "[resource_path]") {
  auto p = parse("/api/v1/namespaces/kube-system");
  CHECK(p.resource == "namespaces");
  CHECK(p.name == "kube-system");
  CHECK_FALSE(p.namespacedUrl);
  p = parse("/api/v1/namespaces/x/status");
  CHECK(p.resource == "namespaces");
  CHECK(p.name == "x");
  CHECK(p.subresource == "status");
  p = parse("/api/v1/namespaces/x/finalize");
  CHECK(p.subresource == "finalize");
  p = parse("/api/v1/namespaces/x/configmaps");
  CHECK(p.resource == "configmaps");
  CHECK(p.ns == "x");
  p = parse("/api/v1/namespaces");
  CHECK(p.resource == "namespaces");
  CHECK(p.name.empty());
}

TEST_CASE("paths that are not resource URLs are NotFound", "[resource_path]") {
  for (const char* path : {"/api", "/api/v1", "/apis/apps/v1", "/healthz", "/api/v1//x",
                           "/api/v1/namespaces/a/pods/b/status/extra", ""}) {
    INFO(path);
    auto p = parseResourcePath(path);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == Code::kNotFound);
  }
}

TEST_CASE("resolution honours the registry and the resource's scope", "[resource_path]") {
  const auto& reg = api::ResourceRegistry::builtin();
  auto t = resolveResourcePath(reg, parse("/apis/apps/v1/namespaces/d/deployments/x/scale"));
  REQUIRE(t.ok());
  CHECK(t->info->kind == "Deployment");
  CHECK(t->ns == "d");
  CHECK(t->subresource == "scale");

  auto code = [&](const char* path) {
    auto r = resolveResourcePath(reg, parse(path));
    return r.ok() ? Code::kOk : r.status().code();
  };
  CHECK(code("/api/v1/nodes/n1") == Code::kOk);
  CHECK(code("/api/v1/namespaces/d/nodes") == Code::kNotFound);  // cluster-scoped
  CHECK(code("/api/v2/pods") == Code::kNotFound);
  CHECK(code("/apis/nosuch.io/v1/things") == Code::kNotFound);
  CHECK(code("/api/v1/namespaces/d/pods/p/nosuch") == Code::kNotFound);
  CHECK(code("/api/v1/namespaces/d/pods/..") == Code::kBadRequest);
}

TEST_CASE("qualified resource names carry the group", "[resource_path]") {
  const auto& reg = api::ResourceRegistry::builtin();
  CHECK(qualifiedResource(*reg.find("", "v1", "pods")) == "pods");
  CHECK(qualifiedResource(*reg.find("apps", "v1", "deployments")) == "deployments.apps");
}
