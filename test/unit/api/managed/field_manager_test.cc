#include <catch2/catch.hpp>

#include "api/managed/field_manager.h"
#include "api/managed/managed_fields.h"
#include "test/unit/api/managed/test_types.h"

namespace tug::api::managed {
namespace {

using nlohmann::json;

json deployment(int replicas) {
  json d = json::parse(R"({
    "apiVersion":"apps/v1","kind":"Deployment",
    "metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
    "spec":{"selector":{"matchLabels":{"app":"web"}},
      "template":{"metadata":{"labels":{"app":"web"}},
        "spec":{"containers":[{"name":"c","image":"nginx"}]}}}})");
  d["spec"]["replicas"] = replicas;
  return d;
}

// What the server adds on create.
json stored(json obj) {
  obj["metadata"]["uid"] = "u-1";
  obj["metadata"]["creationTimestamp"] = "2024-01-01T00:00:00Z";
  obj["metadata"]["generation"] = 1;
  obj["metadata"]["resourceVersion"] = "5";
  return obj;
}

Writer writer(const std::string& manager, const std::string& time = "2024-01-01T00:00:00Z") {
  return Writer{manager, "apps/v1", "", time, true};
}

ManagedFields entries(const json& obj) {
  auto m = managedFieldsOf(obj);
  REQUIRE(m.ok());
  return *m;
}

const ManagerEntry* entry(const ManagedFields& m, const std::string& manager) {
  for (const ManagerEntry& e : m) {
    if (e.manager == manager) {
      return &e;
    }
  }
  return nullptr;
}

struct Fixture {
  testing::Types types;
  const TypeNode* type = types.deployment();

  json created(const std::string& manager, int replicas = 1) {
    json obj = stored(deployment(replicas));
    recordUpdate(nullptr, obj, type, writer(manager));
    return obj;
  }
  json applied(const json* live, const json& config, const std::string& manager,
               bool force = false, const std::string& time = "2024-01-02T00:00:00Z") {
    auto r = applyConfiguration(live, config, type, writer(manager, time), force);
    REQUIRE(r.ok());
    REQUIRE(r->conflicts.empty());
    return r->object;
  }
};

TEST_CASE("a create records an Update entry without server-managed metadata", "[managed]") {
  Fixture f;
  json obj = f.created("kubectl-create");
  const json& mf = obj["metadata"]["managedFields"];
  REQUIRE(mf.size() == 1);
  CHECK(mf[0]["manager"] == "kubectl-create");
  CHECK(mf[0]["operation"] == "Update");
  CHECK(mf[0]["apiVersion"] == "apps/v1");
  CHECK(mf[0]["time"] == "2024-01-01T00:00:00Z");
  CHECK(mf[0]["fieldsType"] == "FieldsV1");
  CHECK_FALSE(mf[0].contains("subresource"));
  const json& fields = mf[0]["fieldsV1"];
  CHECK(fields["f:metadata"] == json::parse(R"({"f:labels":{".":{},"f:app":{}}})"));
  CHECK(fields["f:spec"]["f:replicas"] == json::object());
  CHECK_FALSE(fields.contains("f:apiVersion"));
  CHECK_FALSE(fields.contains("f:kind"));
}

// A create without entries of its own takes a shorter road; an entry that owns nothing sends
// the same create down the general one, and both must record the same.
TEST_CASE("a create records what the general update path records", "[managed]") {
  testing::Types types;
  json obj = stored(deployment(2));
  obj["metadata"]["annotations"] = json::object();
  obj["metadata"]["generateName"] = "web-";
  obj["metadata"]["finalizers"] = {"a", "b"};
  obj["status"] = {{"replicas", 2}};
  json empty = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "x"}}}};
  for (const json& base : {obj, empty}) {
    for (bool statusIsSubresource : {true, false}) {
      Writer w = writer("kubectl-create");
      w.statusIsSubresource = statusIsSubresource;
      json quick = base;
      recordUpdate(nullptr, quick, types.deployment(), w);
      json general = base;
      general["metadata"]["managedFields"] = json::parse(
          R"([{"manager":"other","operation":"Update","apiVersion":"apps/v1",
               "fieldsType":"FieldsV1","fieldsV1":{}}])");
      recordUpdate(nullptr, general, types.deployment(), w);
      INFO(base.dump() << " status subresource " << statusIsSubresource);
      CHECK(quick == general);
    }
  }
}

// Entries the server wrote stand as they are when a write changes nothing its writer may own;
// the same entries sent back in another order go the general way and come out the same.
TEST_CASE("a write that changes nothing ownable keeps the stored entries", "[managed]") {
  Fixture f;
  json live = f.created("creator");
  json scaled = live;
  scaled["spec"]["replicas"] = 7;
  recordUpdate(&live, scaled, f.type, writer("scaler", "2024-01-03T00:00:00Z"));
  const json& stored = scaled["metadata"]["managedFields"];
  REQUIRE(stored.size() == 2);

  json unchanged = scaled;
  unchanged["status"] = {{"replicas", 7}};  // not the main resource's writers' to own
  json quick = unchanged;
  recordUpdate(&scaled, quick, f.type, writer("third", "2024-01-04T00:00:00Z"));
  CHECK(quick["metadata"]["managedFields"] == stored);
  json general = unchanged;
  general["metadata"]["managedFields"] = json::array({stored[1], stored[0]});
  recordUpdate(&scaled, general, f.type, writer("third", "2024-01-04T00:00:00Z"));
  CHECK(quick == general);

  Writer status = writer("kubelet", "2024-01-05T00:00:00Z");
  status.subresource = "status";
  json specOnly = scaled;
  specOnly["spec"]["replicas"] = 9;  // not a status writer's to own
  specOnly["metadata"]["managedFields"] = json::array();
  recordUpdate(&scaled, specOnly, f.type, status);
  CHECK(specOnly["metadata"]["managedFields"] == stored);

  json none = scaled;
  none["metadata"].erase("managedFields");
  json stillNone = none;
  recordUpdate(&none, stillNone, f.type, writer("third"));
  CHECK_FALSE(stillNone["metadata"].contains("managedFields"));
}

TEST_CASE("an update moves changed fields to its manager", "[managed]") {
  Fixture f;
  json live = f.created("kubectl-create");
  json next = live;
  next["spec"]["replicas"] = 3;
  recordUpdate(&live, next, f.type, writer("kubectl-scale", "2024-01-03T00:00:00Z"));
  ManagedFields m = entries(next);
  REQUIRE(m.size() == 2);
  const ManagerEntry* creator = entry(m, "kubectl-create");
  const ManagerEntry* scaler = entry(m, "kubectl-scale");
  REQUIRE(creator != nullptr);
  REQUIRE(scaler != nullptr);
  CHECK_FALSE(creator->fields.contains({"f:spec", "f:replicas"}));
  CHECK(scaler->fields.toFieldsV1() == json::parse(R"({"f:spec":{"f:replicas":{}}})"));
  CHECK(scaler->time == "2024-01-03T00:00:00Z");
  // Entries come in upstream's order: by operation, then time.
  CHECK(next["metadata"]["managedFields"][0]["manager"] == "kubectl-create");
}

TEST_CASE("an update that changes nothing leaves managedFields alone", "[managed]") {
  Fixture f;
  json live = f.created("kubectl-create");
  json next = live;
  next["metadata"].erase("managedFields");  // a client that does not send them
  recordUpdate(&live, next, f.type, writer("other", "2024-05-05T00:00:00Z"));
  CHECK(next == live);
}

TEST_CASE("removed fields leave their owners; owners left with nothing go", "[managed]") {
  Fixture f;
  json live = f.created("kubectl-create");
  json scaled = live;
  scaled["spec"]["replicas"] = 3;
  recordUpdate(&live, scaled, f.type, writer("kubectl-scale"));
  json next = scaled;
  next["spec"].erase("replicas");
  recordUpdate(&scaled, next, f.type, writer("editor"));
  ManagedFields m = entries(next);
  CHECK(entry(m, "kubectl-scale") == nullptr);
  CHECK(entry(m, "editor") == nullptr);  // removing owns nothing
  CHECK(entry(m, "kubectl-create") != nullptr);
}

TEST_CASE("status writes are recorded on the status subresource only", "[managed]") {
  Fixture f;
  json live = f.created("kubectl-create");
  json next = live;
  next["status"] = {{"replicas", 1}};
  Writer w = writer("kube-controller-manager");
  w.subresource = "status";
  recordUpdate(&live, next, f.type, w);
  ManagedFields m = entries(next);
  const ManagerEntry* e = entry(m, "kube-controller-manager");
  REQUIRE(e != nullptr);
  CHECK(e->subresource == "status");
  CHECK(e->fields.toFieldsV1() == json::parse(R"({"f:status":{"f:replicas":{}}})"));
  // Same time: ordered by manager name.
  CHECK(next["metadata"]["managedFields"][0]["subresource"] == "status");

  // The main resource of such a kind never owns .status.
  json other = next;
  other["status"]["replicas"] = 2;
  recordUpdate(&next, other, f.type, writer("someone"));
  CHECK(entry(entries(other), "someone") == nullptr);
}

TEST_CASE("client-sent managedFields replace the stored ones on the main resource",
          "[managed]") {
  Fixture f;
  json live = f.created("kubectl-create");
  json next = live;
  next["metadata"]["managedFields"] = json::parse(
      R"([{"manager":"mine","operation":"Update","apiVersion":"apps/v1",
           "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}])");
  recordUpdate(&live, next, f.type, writer("x"));
  ManagedFields m = entries(next);
  REQUIRE(m.size() == 1);
  CHECK(m[0].manager == "mine");

  // Broken entries are ignored rather than trusted.
  json broken = live;
  broken["metadata"]["managedFields"] = json::parse(R"([{"fieldsV1":{"bad":{}}}])");
  recordUpdate(&live, broken, f.type, writer("x"));
  CHECK(entries(broken).size() == 1);
  CHECK(entries(broken)[0].manager == "kubectl-create");
}

TEST_CASE("apply creates, and re-applying the same configuration changes nothing",
          "[managed]") {
  Fixture f;
  json obj = f.applied(nullptr, deployment(2), "kubectl");
  CHECK(obj["spec"]["replicas"] == 2);
  ManagedFields m = entries(obj);
  REQUIRE(m.size() == 1);
  CHECK(m[0].operation == "Apply");
  CHECK(m[0].fields.contains({"f:spec", "f:replicas"}));
  CHECK(m[0].fields.contains({"f:metadata", "f:labels", "f:app"}));
  CHECK_FALSE(m[0].fields.contains({"f:metadata", "f:name"}));

  json again = f.applied(&obj, deployment(2), "kubectl", false, "2030-01-01T00:00:00Z");
  CHECK(again == obj);
}

TEST_CASE("apply removes what the manager no longer applies", "[managed]") {
  Fixture f;
  json config = deployment(2);
  config["metadata"]["labels"]["tier"] = "front";
  json obj = f.applied(nullptr, config, "kubectl");
  config["metadata"]["labels"].erase("tier");
  config["spec"].erase("replicas");
  json next = f.applied(&obj, config, "kubectl");
  CHECK(next["metadata"]["labels"] == json::parse(R"({"app":"web"})"));
  CHECK_FALSE(next["spec"].contains("replicas"));
}

TEST_CASE("apply keeps a dropped field another manager also owns", "[managed]") {
  Fixture f;
  json obj = f.applied(nullptr, deployment(2), "kubectl");
  // A second applier applies the same replicas: both own it.
  json shared = f.applied(&obj, json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"name":"web"},"spec":{"replicas":2}})"), "other");
  json config = deployment(2);
  config["spec"].erase("replicas");
  json next = f.applied(&shared, config, "kubectl");
  CHECK(next["spec"]["replicas"] == 2);
  ManagedFields m = entries(next);
  REQUIRE(entry(m, "other") != nullptr);
  CHECK(entry(m, "other")->fields.contains({"f:spec", "f:replicas"}));
}

TEST_CASE("apply conflicts with another manager's field, as upstream words it", "[managed]") {
  Fixture f;
  json live = f.created("kubectl-client-side-apply", 1);
  auto r = applyConfiguration(&live, deployment(2), f.type, writer("kubectl"), false);
  REQUIRE(r.ok());
  REQUIRE(r->conflicts.size() == 1);
  CHECK(conflictMessage(r->conflicts) ==
        "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using "
        "apps/v1: .spec.replicas");
  CHECK(conflictCauses(r->conflicts) == json::parse(R"([{"reason":"FieldManagerConflict",
      "message":"conflict with \"kubectl-client-side-apply\" using apps/v1",
      "field":".spec.replicas"}])"));

  SECTION("applying the live value is no conflict") {
    auto same = applyConfiguration(&live, deployment(1), f.type, writer("kubectl"), false);
    REQUIRE(same.ok());
    CHECK(same->conflicts.empty());
  }
  SECTION("force takes the field over") {
    auto forced = applyConfiguration(&live, deployment(2), f.type, writer("kubectl"), true);
    REQUIRE(forced.ok());
    REQUIRE(forced->conflicts.empty());
    CHECK(forced->object["spec"]["replicas"] == 2);
    ManagedFields m = entries(forced->object);
    CHECK_FALSE(entry(m, "kubectl-client-side-apply")->fields.contains({"f:spec", "f:replicas"}));
    CHECK(entry(m, "kubectl")->fields.contains({"f:spec", "f:replicas"}));
  }
}

TEST_CASE("several conflicts are grouped by manager", "[managed]") {
  Fixture f;
  json live = f.applied(nullptr, deployment(1), "first");
  json config = deployment(2);
  config["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox";
  auto r = applyConfiguration(&live, config, f.type, writer("second"), false);
  REQUIRE(r.ok());
  REQUIRE(r->conflicts.size() == 2);
  CHECK(conflictMessage(r->conflicts) ==
        "Apply failed with 2 conflicts: conflicts with \"first\":\n"
        "- .spec.replicas\n"
        "- .spec.template.spec.containers[name=\"c\"].image");
}

TEST_CASE("apply refuses managedFields in the configuration", "[managed]") {
  Fixture f;
  json config = deployment(1);
  config["metadata"]["managedFields"] = json::array();
  auto r = applyConfiguration(nullptr, config, f.type, writer("kubectl"), false);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kBadRequest);
  CHECK(r.status().message() == "metadata.managedFields must be nil");
}

TEST_CASE("apply to the main resource leaves .status alone; to /status only .status",
          "[managed]") {
  Fixture f;
  json config = deployment(1);
  config["status"] = {{"replicas", 9}};
  json obj = f.applied(nullptr, config, "kubectl");
  CHECK_FALSE(obj.contains("status"));

  Writer w = writer("ctrl");
  w.subresource = "status";
  auto r = applyConfiguration(&obj, config, f.type, w, false);
  REQUIRE(r.ok());
  CHECK(r->object["status"]["replicas"] == 9);
  CHECK(r->object["spec"] == obj["spec"]);
  ManagedFields m = entries(r->object);
  const ManagerEntry* e = entry(m, "ctrl");
  REQUIRE(e != nullptr);
  CHECK(e->describe() == "\"ctrl\" with subresource \"status\"");
  CHECK(e->fields.toFieldsV1() == json::parse(R"({"f:status":{"f:replicas":{}}})"));
}

}  // namespace
}  // namespace tug::api::managed
