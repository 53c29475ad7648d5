#include "apiserver/node_restriction.h"

#include <catch2/catch.hpp>

#include "api/resource_registry.h"
#include "apiserver/resource_verbs.h"
#include "unit/store/store_fixture.h"

using nlohmann::json;
using namespace tug;
using apiserver::NodeRestriction;
using apiserver::nodeIdentity;
using apiserver::ResourceTarget;
using apiserver::UserInfo;

namespace {

UserInfo node(const std::string& name) {
  return UserInfo{"system:node:" + name, {"system:nodes", "system:authenticated"}, true, {}, {}};
}

struct Fixture {
  testing::StoreFixture storeFixture;
  store::Store& store = storeFixture.open();
  const api::ResourceRegistry& registry = api::ResourceRegistry::builtin();
  apiserver::VerbContext ctx{store, registry};
  NodeRestriction restriction;

  ResourceTarget target(const char* group, const char* version, const char* resource,
                        std::string ns, std::string name, std::string sub = "") {
    return ResourceTarget{registry.find(group, version, resource), ns, name, sub};
  }
};

}  // namespace

TEST_CASE("node identities are system:node:<name> in system:nodes", "[noderestriction]") {
  CHECK(nodeIdentity(node("a")) == "a");
  CHECK(nodeIdentity(node("")) == "");
  CHECK_FALSE(nodeIdentity(UserInfo{"system:node:a", {"system:authenticated"}, true, {}, {}}));
  CHECK_FALSE(nodeIdentity(UserInfo{"node-a", {"system:nodes"}, true, {}, {}}));
}

TEST_CASE("a node keeps its taints and the restricted labels", "[noderestriction]") {
  Fixture f;
  auto nodes = f.target("", "v1", "nodes", "", "a");
  json old = {{"metadata", {{"name", "a"}, {"labels", {{"kubernetes.io/hostname", "a"}}}}}};
  json next = old;
  next["metadata"]["labels"]["kubelet.kubernetes.io/x"] = "1";
  next["metadata"]["labels"]["example.com/y"] = "2";
  next["spec"]["taints"] = json::array();  // empty reads as absent
  CHECK(f.restriction.admitWrite(f.ctx, node("a"), nodes, next, &old).isOk());
  next["metadata"]["labels"]["k8s.io/z"] = "3";
  next["metadata"]["labels"]["team.node-restriction.kubernetes.io/w"] = "4";
  Status s = f.restriction.admitWrite(f.ctx, node("a"), nodes, next, &old);
  CHECK(s.code() == Code::kForbidden);
  CHECK(s.message() == "nodes \"a\" is forbidden: is not allowed to modify labels: k8s.io/z, "
                       "team.node-restriction.kubernetes.io/w");
  json created = {{"metadata", {{"name", "a"}, {"labels", {{"kubernetes.io/role", "x"}}}}}};
  s = f.restriction.admitWrite(f.ctx, node("a"), f.target("", "v1", "nodes", "", ""), created,
                               nullptr);
  CHECK(s.message() == "nodes \"a\" is forbidden: node \"a\" is not allowed to set the "
                       "following labels: kubernetes.io/role");
  // Other users are not restricted.
  UserInfo admin{"admin", {"system:masters"}, true, {}, {}};
  CHECK(f.restriction.admitWrite(f.ctx, admin, nodes, next, &old).isOk());
}

TEST_CASE("pods: status of bound pods, deletes of bound pods, nothing else", "[noderestriction]") {
  Fixture f;
  json bound = {{"metadata", {{"name", "p"}}}, {"spec", {{"nodeName", "a"}}}};
  auto status = f.target("", "v1", "pods", "default", "p", "status");
  CHECK(f.restriction.admitWrite(f.ctx, node("a"), status, bound, &bound).isOk());
  Status s = f.restriction.admitWrite(f.ctx, node("b"), status, bound, &bound);
  CHECK(s.message() == "pods \"p\" is forbidden: node \"b\" can only update pod status for pods "
                       "with spec.nodeName set to itself");
  auto pod = f.target("", "v1", "pods", "default", "p");
  CHECK(f.restriction.admitDelete(f.ctx, node("a"), pod, bound).isOk());
  CHECK(f.restriction.admitDelete(f.ctx, node("b"), pod, bound).code() == Code::kForbidden);
  s = f.restriction.admitWrite(f.ctx, node("a"), f.target("", "v1", "pods", "default", "p",
                                                          "ephemeralcontainers"),
                               bound, &bound);
  CHECK(s.message() == "pods \"p\" is forbidden: unexpected pod subresource "
                       "\"ephemeralcontainers\", only 'status' and 'eviction' are allowed");
}
