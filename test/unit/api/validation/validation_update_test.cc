#include <catch2/catch.hpp>

#include "validation_test_util.h"

using namespace validation_test;
using Catch::Matchers::Contains;
using Messages = std::vector<std::string>;

TEST_CASE("metadata that may not change", "[validation][update]") {
  json old = {{"metadata", {{"name", "a"}, {"creationTimestamp", "2024-01-01T00:00:00Z"}}}};
  json next = old;
  CHECK(updateErrors("", "ConfigMap", next, old).empty());
  next["metadata"]["name"] = "b";
  CHECK(updateErrors("", "ConfigMap", next, old) ==
        Messages{"metadata.name: Invalid value: \"b\": field is immutable"});
  next = old;
  next["metadata"].erase("creationTimestamp");  // left out: the stored one stays
  CHECK(updateErrors("", "ConfigMap", next, old).empty());
  next["metadata"]["labels"] = {{"a", "-"}};
  CHECK(updateErrors("", "ConfigMap", next, old).size() == 1);
}

TEST_CASE("workload selectors are immutable", "[validation][update]") {
  json old = deployment();
  json next = deployment();
  next["spec"]["replicas"] = 5;
  next["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2";
  CHECK(updateErrors("apps", "Deployment", next, old).empty());
  next["spec"]["selector"]["matchLabels"]["tier"] = "x";
  next["spec"]["template"]["metadata"]["labels"]["tier"] = "x";
  for (const char* kind : {"Deployment", "ReplicaSet", "DaemonSet"}) {
    CHECK(updateErrors("apps", kind, next, old) ==
          Messages{"spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"web\",\"tier\":\"x\"}}:"
                   " field is immutable"});
  }
}

TEST_CASE("StatefulSet spec changes are limited", "[validation][update]") {
  json old = deployment();
  old["spec"]["serviceName"] = "web";
  json next = old;
  next["spec"]["replicas"] = 3;
  next["spec"]["updateStrategy"] = {{"type", "OnDelete"}};
  CHECK(updateErrors("apps", "StatefulSet", next, old).empty());
  next["spec"]["serviceName"] = "other";
  auto e = updateErrors("apps", "StatefulSet", next, old);
  REQUIRE(e.size() == 1);
  CHECK_THAT(e[0], Contains("spec: Forbidden: updates to statefulset spec for fields other than "
                            "'replicas', 'ordinals', 'template'"));
}

TEST_CASE("a Job's template is immutable", "[validation][update]") {
  json old = {{"metadata", {{"name", "pi"}}}, {"spec", {{"template", podTemplate()}}}};
  old["spec"]["template"]["spec"]["restartPolicy"] = "Never";
  old = admitted("batch", "Job", old);
  json next = old;
  next["spec"]["parallelism"] = 4;
  CHECK(updateErrors("batch", "Job", next, old).empty());
  next["spec"]["template"]["spec"]["containers"][0]["image"] = "perl:2";
  auto e = updateErrors("batch", "Job", next, old);
  REQUIRE(e.size() == 1);
  CHECK_THAT(e[0], Contains("spec.template: Invalid value: "));
  CHECK_THAT(e[0], Contains(": field is immutable"));
}

TEST_CASE("a Service keeps its cluster IP", "[validation][update]") {
  json old = {{"metadata", {{"name", "web"}}},
              {"spec", {{"clusterIP", "10.43.0.10"}, {"ports", {{{"port", 80}}}}}}};
  json next = {{"metadata", {{"name", "web"}}}, {"spec", {{"ports", {{{"port", 81}}}}}}};
  CHECK(updateErrors("", "Service", next, old).empty());  // left out: kept
  next["spec"]["clusterIP"] = "10.43.0.11";
  CHECK(updateErrors("", "Service", next, old) ==
        Messages{"spec.clusterIPs[0]: Invalid value: []string{\"10.43.0.11\"}: may not change "
                 "once set"});
}

TEST_CASE("immutable ConfigMaps and Secrets", "[validation][update]") {
  json old = {{"metadata", {{"name", "c"}}}, {"data", {{"a", "1"}}}, {"immutable", true}};
  json next = old;
  CHECK(updateErrors("", "ConfigMap", next, old).empty());
  next["data"]["a"] = "2";
  next["immutable"] = false;
  CHECK(updateErrors("", "ConfigMap", next, old) ==
        Messages{"immutable: Forbidden: field is immutable when `immutable` is set",
                 "data: Forbidden: field is immutable when `immutable` is set"});
  json mutableCm = {{"metadata", {{"name", "c"}}}, {"data", {{"a", "1"}}}};
  json changed = mutableCm;
  changed["data"]["a"] = "2";
  CHECK(updateErrors("", "ConfigMap", changed, mutableCm).empty());

  json secret = {{"metadata", {{"name", "s"}}}, {"data", {{"a", "eA=="}}}};
  json retyped = secret;
  retyped["type"] = "kubernetes.io/basic-auth";
  retyped["data"]["username"] = "dQ==";
  CHECK(updateErrors("", "Secret", retyped, secret) ==
        Messages{"type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable"});
}

TEST_CASE("PVC, PV, StorageClass and RoleBinding changes", "[validation][update]") {
  json pvc = {{"metadata", {{"name", "d"}}},
              {"spec", {{"accessModes", {"ReadWriteOnce"}},
                        {"resources", {{"requests", {{"storage", "1Gi"}}}}}}}};
  json bigger = pvc;
  bigger["spec"]["resources"]["requests"]["storage"] = "2Gi";
  CHECK(updateErrors("", "PersistentVolumeClaim", bigger, pvc) ==
        Messages{"spec: Forbidden: spec is immutable after creation except resources.requests and "
                 "volumeAttributesClassName for bound claims"});
  json bound = pvc;
  bound["status"] = {{"phase", "Bound"}};
  bigger["status"] = bound["status"];
  CHECK(updateErrors("", "PersistentVolumeClaim", bigger, bound).empty());
  json named = pvc;
  named["spec"]["volumeName"] = "pv1";
  CHECK(updateErrors("", "PersistentVolumeClaim", named, pvc).empty());

  json pv = {{"metadata", {{"name", "pv1"}}},
             {"spec", {{"capacity", {{"storage", "1Gi"}}}, {"accessModes", {"ReadWriteOnce"}},
                       {"hostPath", {{"path", "/a"}}}}}};
  json moved = pv;
  moved["spec"]["hostPath"]["path"] = "/b";
  CHECK(updateErrors("", "PersistentVolume", moved, pv, false) ==
        Messages{"spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is "
                 "immutable after creation"});

  json sc = {{"metadata", {{"name", "fast"}}}, {"provisioner", "a.io/x"}, {"parameters", {{"k", "v"}}}};
  json sc2 = sc;
  sc2["parameters"]["k"] = "w";
  sc2["provisioner"] = "b.io/y";
  CHECK(updateErrors("storage.k8s.io", "StorageClass", sc2, sc, false) ==
        Messages{"parameters: Forbidden: updates to parameters are forbidden.",
                 "provisioner: Forbidden: updates to provisioner are forbidden."});

  json rb = {{"metadata", {{"name", "b"}}}, {"roleRef", {{"kind", "Role"}, {"name", "r"}}}};
  json rb2 = rb;
  rb2["roleRef"]["name"] = "other";
  auto e = updateErrors("rbac.authorization.k8s.io", "RoleBinding", rb2, rb);
  REQUIRE(e.size() == 1);
  CHECK_THAT(e[0], Contains("roleRef: Invalid value: "));
  CHECK_THAT(e[0], Contains(": cannot change roleRef"));
}

TEST_CASE("pod updates may change images only", "[validation][update]") {
  json old = {{"metadata", {{"name", "p"}}},
              {"spec", {{"containers", {{{"name", "a"}, {"image", "nginx:1"}}}},
                        {"tolerations", {{{"key", "k"}, {"operator", "Exists"}}}}}}};
  json next = old;
  next["spec"]["containers"][0]["image"] = "nginx:2";
  next["spec"]["tolerations"].push_back({{"key", "j"}, {"operator", "Exists"}});
  next["spec"]["activeDeadlineSeconds"] = 100;
  CHECK(updateErrors("", "Pod", next, old).empty());
  next["spec"]["restartPolicy"] = "Never";
  auto e = updateErrors("", "Pod", next, old);
  REQUIRE(e.size() == 1);
  CHECK_THAT(e[0], Contains("spec: Forbidden: pod updates may not change fields other than "
                            "`spec.containers[*].image`"));
  json added = old;
  added["spec"]["containers"].push_back({{"name", "b"}, {"image", "x"}});
  CHECK(updateErrors("", "Pod", added, old) ==
        Messages{"spec.containers: Forbidden: pod updates may not add or remove containers"});
}
