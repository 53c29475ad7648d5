#include "auth/attributes.h"

#include <catch2/catch.hpp>

#include "auth/field_selector.h"

using tug::auth::Attributes;
using tug::auth::HttpRequest;
using tug::auth::requestAttributes;
using tug::auth::User;

namespace {

Attributes parse(const std::string& method, const std::string& path,
                 std::optional<std::string> watch = std::nullopt,
                 std::optional<std::string> fieldSelector = std::nullopt) {
  auto a = requestAttributes(User{"bob", {}}, HttpRequest{method, path, watch, fieldSelector});
  REQUIRE(a.ok());
  return *a;
}

}  // namespace

TEST_CASE("resource URLs give verb, group, resource, namespace and name", "[auth][attributes]") {
  Attributes a = parse("GET", "/api/v1/namespaces/dev/pods/web");
  CHECK(a.resourceRequest);
  CHECK(a.verb == "get");
  CHECK(a.apiGroup.empty());
  CHECK(a.apiVersion == "v1");
  CHECK(a.resource == "pods");
  CHECK(a.ns == "dev");
  CHECK(a.name == "web");
  CHECK(a.subresource.empty());
  CHECK(a.path == "/api/v1/namespaces/dev/pods/web");
  CHECK(a.user.name == "bob");

  a = parse("PUT", "/apis/apps/v1/namespaces/dev/deployments/web/scale");
  CHECK(a.verb == "update");
  CHECK(a.apiGroup == "apps");
  CHECK(a.resource == "deployments");
  CHECK(a.name == "web");
  CHECK(a.subresource == "scale");

  a = parse("GET", "/api/v1/nodes/n1");
  CHECK(a.ns.empty());
  CHECK(a.name == "n1");

  CHECK(parse("POST", "/api/v1/namespaces/dev/pods").verb == "create");
  CHECK(parse("POST", "/api/v1/namespaces/dev/pods").name.empty());
  CHECK(parse("PATCH", "/api/v1/namespaces/dev/pods/web").verb == "patch");
  CHECK(parse("DELETE", "/api/v1/namespaces/dev/pods/web").verb == "delete");
  CHECK(parse("DELETE", "/api/v1/namespaces/dev/pods").verb == "deletecollection");
  CHECK(parse("HEAD", "/api/v1/namespaces/dev/pods/web").verb == "get");
  // A trailing slash changes nothing.
  CHECK(parse("GET", "/api/v1/namespaces/dev/pods/").verb == "list");
}

TEST_CASE("a namespace is named in itself, like upstream", "[auth][attributes]") {
  Attributes a = parse("GET", "/api/v1/namespaces/dev");
  CHECK(a.resource == "namespaces");
  CHECK(a.name == "dev");
  CHECK(a.ns == "dev");

  a = parse("PUT", "/api/v1/namespaces/dev/finalize");
  CHECK(a.resource == "namespaces");
  CHECK(a.name == "dev");
  CHECK(a.subresource == "finalize");
  CHECK(a.ns == "dev");

  a = parse("GET", "/api/v1/namespaces");
  CHECK(a.verb == "list");
  CHECK(a.ns.empty());
}

TEST_CASE("GET of a collection is list or watch", "[auth][attributes]") {
  CHECK(parse("GET", "/api/v1/pods").verb == "list");
  CHECK(parse("GET", "/api/v1/pods", "true").verb == "watch");
  CHECK(parse("GET", "/api/v1/pods", "1").verb == "watch");
  // Anything but 0 and false is true to upstream's decoder, an empty value included.
  CHECK(parse("GET", "/api/v1/pods", "").verb == "watch");
  CHECK(parse("GET", "/api/v1/pods", "yes").verb == "watch");
  CHECK(parse("GET", "/api/v1/pods", "false").verb == "list");
  CHECK(parse("GET", "/api/v1/pods", "FALSE").verb == "list");
  CHECK(parse("GET", "/api/v1/pods", "0").verb == "list");
  // watch on a named GET is still get.
  CHECK(parse("GET", "/api/v1/namespaces/dev/pods/web", "true").verb == "get");
}

TEST_CASE("a list or watch selecting metadata.name is about that object", "[auth][attributes]") {
  Attributes a = parse("GET", "/api/v1/namespaces/dev/pods", "1", "metadata.name=web");
  CHECK(a.verb == "watch");
  CHECK(a.name == "web");
  CHECK(parse("GET", "/api/v1/pods", std::nullopt, "metadata.name==web").name == "web");
  CHECK(parse("GET", "/api/v1/pods", std::nullopt, "spec.nodeName=n,metadata.name=web").name ==
        "web");
  CHECK(parse("GET", "/api/v1/pods", std::nullopt, "metadata.name!=web").name.empty());
  CHECK(parse("GET", "/api/v1/pods", std::nullopt, "metadata.namespace=web").name.empty());
  // Not a usable path segment, or not a selector at all: no name.
  CHECK(parse("GET", "/api/v1/pods", std::nullopt, "metadata.name=..").name.empty());
  CHECK(parse("GET", "/api/v1/pods", std::nullopt, "metadata.name=a%2f").name.empty());
  CHECK(parse("GET", "/api/v1/pods", std::nullopt, "metadata.name").name.empty());
  CHECK(parse("GET", "/api/v1/pods", std::nullopt, "metadata.name=a,b").name.empty());
  // Deletes do not look at selectors.
  CHECK(parse("DELETE", "/api/v1/pods", std::nullopt, "metadata.name=web").name.empty());
}

TEST_CASE("field selectors parse as upstream's", "[auth][attributes]") {
  using tug::auth::requiredFieldValue;
  CHECK(requiredFieldValue("a=1", "a")->value() == "1");
  CHECK(requiredFieldValue("a=x\\,y\\=z\\\\", "a")->value() == "x,y=z\\");
  CHECK_FALSE(requiredFieldValue("b=1", "a")->has_value());
  CHECK_FALSE(requiredFieldValue("", "a")->has_value());
  // Terms are sorted before they are read.
  CHECK(requiredFieldValue("a=z,a=b", "a")->value() == "b");
  CHECK_FALSE(requiredFieldValue("a=b\\q", "a").ok());
  CHECK_FALSE(requiredFieldValue("a=b\\", "a").ok());
  CHECK_FALSE(requiredFieldValue("a=b=c", "a").ok());
  CHECK_FALSE(requiredFieldValue("ab", "a").ok());
}

TEST_CASE("the watch and proxy prefixes set the verb", "[auth][attributes]") {
  Attributes a = parse("GET", "/api/v1/watch/namespaces/dev/pods");
  CHECK(a.verb == "watch");
  CHECK(a.resource == "pods");
  CHECK(a.ns == "dev");
  a = parse("GET", "/api/v1/watch/namespaces/dev/pods/web");
  CHECK(a.verb == "watch");
  CHECK(a.name == "web");
  a = parse("GET", "/api/v1/proxy/namespaces/dev/pods/web/some/path");
  CHECK(a.verb == "proxy");
  CHECK(a.name == "web");
  CHECK(a.subresource.empty());
  CHECK_FALSE(requestAttributes(User{}, HttpRequest{"GET", "/api/v1/watch", {}, {}}).ok());
}

TEST_CASE("subresources with a path keep only the subresource", "[auth][attributes]") {
  Attributes a = parse("GET", "/api/v1/namespaces/dev/pods/web/proxy/metrics/x");
  CHECK(a.verb == "get");
  CHECK(a.resource == "pods");
  CHECK(a.name == "web");
  CHECK(a.subresource == "proxy");
}

TEST_CASE("other paths are non-resource requests with the method as verb", "[auth][attributes]") {
  for (const char* path : {"/version", "/healthz", "/api", "/api/v1", "/apis", "/apis/apps",
                           "/apis/apps/v1", "/openapi/v3", "/"}) {
    Attributes a = parse("GET", path);
    CHECK_FALSE(a.resourceRequest);
    CHECK(a.verb == "get");
    CHECK(a.path == path);
  }
  CHECK(parse("POST", "/logs").verb == "post");
}
