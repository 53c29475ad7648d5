#include <catch2/catch.hpp>

#include "validation_test_util.h"

using namespace validation_test;
using Catch::Matchers::Contains;
using Messages = std::vector<std::string>;

TEST_CASE("Deployment: selector, template labels, replicas, strategy", "[validation][apps]") {
  json d = deployment();
  d["spec"]["template"]["metadata"]["labels"] = {{"app", "y"}};
  CHECK(createErrors("apps", "Deployment", d) ==
        Messages{"spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"y\"}: "
                 "`selector` does not match template `labels`"});
  d = deployment();
  d["spec"].erase("selector");
  CHECK(createErrors("apps", "Deployment", d) == Messages{"spec.selector: Required value"});
  d["spec"]["selector"] = json::object();
  CHECK(createErrors("apps", "Deployment", d) ==
        Messages{"spec.selector: Invalid value: {}: empty selector is invalid for deployment"});
  d = deployment();
  d["spec"]["replicas"] = -1;
  d["spec"]["strategy"] = {{"type", "Blue"}};
  d["spec"]["template"]["spec"]["restartPolicy"] = "Never";
  CHECK(createErrors("apps", "Deployment", d) ==
        Messages{"spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                 "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported "
                 "values: \"Always\"",
                 "spec.strategy.type: Unsupported value: \"Blue\": supported values: "
                 "\"Recreate\", \"RollingUpdate\""});
  d = deployment();
  d["spec"]["strategy"] = {{"type", "RollingUpdate"},
                           {"rollingUpdate", {{"maxUnavailable", 0}, {"maxSurge", "0%"}}}};
  CHECK(createErrors("apps", "Deployment", d) ==
        Messages{"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 "
                 "when `maxSurge` is 0"});
  d["spec"]["strategy"]["rollingUpdate"] = {{"maxUnavailable", "150%"}, {"maxSurge", "x"}};
  auto e = createErrors("apps", "Deployment", d);
  REQUIRE(e.size() == 2);
  CHECK(e[0] == "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"150%\": must not be "
                "greater than 100%");
  CHECK_THAT(e[1], Contains("spec.strategy.rollingUpdate.maxSurge: Invalid value: \"x\": a valid "
                            "percent string"));
  d = deployment();
  d["spec"]["template"]["spec"]["containers"][0].erase("image");
  CHECK(createErrors("apps", "Deployment", d) ==
        Messages{"spec.template.spec.containers[0].image: Required value"});
}

TEST_CASE("ReplicaSet, DaemonSet and StatefulSet", "[validation][apps]") {
  CHECK(createErrors("apps", "ReplicaSet", deployment()).empty());
  CHECK(createErrors("apps", "DaemonSet", deployment()).empty());
  CHECK(createErrors("apps", "StatefulSet", deployment()).empty());
  json ds = deployment();
  ds["spec"]["selector"] = {{"matchLabels", {{"app", "other"}}}};
  CHECK(createErrors("apps", "DaemonSet", ds) ==
        Messages{"spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}"
                 ": `selector` does not match template `labels`"});
  json sts = deployment();
  sts["spec"]["podManagementPolicy"] = "Random";
  sts["spec"]["updateStrategy"] = {{"type", "OnDelete"}, {"rollingUpdate", {{"partition", 1}}}};
  CHECK(createErrors("apps", "StatefulSet", sts) ==
        Messages{"spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or "
                 "'Parallel'",
                 "spec.updateStrategy.rollingUpdate: Invalid value: {\"partition\":1}: only "
                 "allowed for updateStrategy 'RollingUpdate'"});
  json claims = deployment();
  claims["spec"]["persistentVolumeClaimRetentionPolicy"] = {{"whenDeleted", "Keep"},
                                                            {"whenScaled", "Delete"}};
  claims["spec"]["minReadySeconds"] = -1;
  claims["spec"]["ordinals"] = {{"start", -2}};
  CHECK(createErrors("apps", "StatefulSet", claims) ==
        Messages{"spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "
                 "\"Keep\": supported values: \"Delete\", \"Retain\"",
                 "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0",
                 "spec.ordinals.start: Invalid value: -2: must be greater than or equal to 0"});
}

TEST_CASE("Job and CronJob", "[validation][batch]") {
  json job = {{"metadata", {{"name", "pi"}}}, {"spec", {{"template", podTemplate()}}}};
  job["spec"]["template"]["spec"]["restartPolicy"] = "Never";
  CHECK(createErrors("batch", "Job", job).empty());
  job["spec"]["template"]["spec"]["restartPolicy"] = "Always";
  job["spec"]["backoffLimit"] = -2;
  CHECK(createErrors("batch", "Job", job) ==
        Messages{"spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0",
                 "spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported "
                 "values: \"OnFailure\", \"Never\""});
  // A Job without a restart policy gets Always from the pod defaults, which jobs refuse.
  json plain = {{"metadata", {{"name", "pi"}}}, {"spec", {{"template", podTemplate()}}}};
  CHECK(createErrors("batch", "Job", plain).size() == 1);

  json cj = {{"metadata", {{"name", "tick"}}},
             {"spec", {{"schedule", "*/5 * * * *"},
                       {"jobTemplate", {{"spec", {{"template", podTemplate()}}}}}}}};
  cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] = "OnFailure";
  CHECK(createErrors("batch", "CronJob", cj).empty());
  cj["spec"]["schedule"] = "* * *";
  cj["spec"]["concurrencyPolicy"] = "Sometimes";
  cj["metadata"]["name"] = std::string(53, 'a');
  CHECK(createErrors("batch", "CronJob", cj) ==
        Messages{"metadata.name: Invalid value: \"" + std::string(53, 'a') +
                     "\": must be no more than 52 characters",
                 "spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: "
                 "* * *",
                 "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: "
                 "\"Allow\", \"Forbid\", \"Replace\""});
  cj["metadata"]["name"] = "tick";
  cj["spec"].erase("schedule");
  cj["spec"]["concurrencyPolicy"] = "Forbid";
  CHECK(createErrors("batch", "CronJob", cj) == Messages{"spec.schedule: Required value"});
  cj["spec"]["schedule"] = "0 25 * * *";
  CHECK(createErrors("batch", "CronJob", cj) ==
        Messages{"spec.schedule: Invalid value: \"0 25 * * *\": end of range (25) above maximum "
                 "(23): 25"});
  // Time zones belong in spec.timeZone, which must name a zone of the tz database.
  cj["spec"]["schedule"] = "CRON_TZ=UTC 0 9 * * *";
  CHECK(createErrors("batch", "CronJob", cj) ==
        Messages{"spec.schedule: Invalid value: \"CRON_TZ=UTC 0 9 * * *\": cannot use TZ or "
                 "CRON_TZ in schedule, use timeZone field instead"});
  cj["spec"]["schedule"] = "@weekly";
  cj["spec"]["timeZone"] = "America/New_York";
  CHECK(createErrors("batch", "CronJob", cj).empty());
  cj["spec"]["timeZone"] = "America/Nowhere";
  CHECK(createErrors("batch", "CronJob", cj) ==
        Messages{"spec.timeZone: Invalid value: \"America/Nowhere\": unknown time zone "
                 "America/Nowhere"});
  cj["spec"]["timeZone"] = "Local";
  CHECK(createErrors("batch", "CronJob", cj) ==
        Messages{"spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time "
                 "zone as defined in https://www.iana.org/time-zones"});
  cj["spec"]["timeZone"] = "";
  CHECK(createErrors("batch", "CronJob", cj) ==
        Messages{"spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string"});
}

TEST_CASE("Service ports, types and cluster IPs", "[validation][service]") {
  json svc = {{"metadata", {{"name", "web"}}}, {"spec", {{"ports", {{{"port", 80}}}}}}};
  CHECK(createErrors("", "Service", svc).empty());
  svc["spec"]["ports"] = json::array();
  CHECK(createErrors("", "Service", svc) == Messages{"spec.ports: Required value"});
  svc["spec"]["clusterIP"] = "None";
  CHECK(createErrors("", "Service", svc).empty());
  svc["spec"] = {{"type", "Fancy"},
                 {"ports", {{{"port", 0}}, {{"port", 80}, {"name", "b"}, {"targetPort", 70000}},
                            {{"port", 80}, {"name", "b"}, {"protocol", "TCP"}}}}};
  auto e = createErrors("", "Service", svc);
  CHECK(e == Messages{
                 "spec.type: Unsupported value: \"Fancy\": supported values: \"ClusterIP\", "
                 "\"ExternalName\", \"LoadBalancer\", \"NodePort\"",
                 "spec.ports[0].name: Required value",
                 "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                 "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
                 "spec.ports[1].targetPort: Invalid value: 70000: must be between 1 and 65535, "
                 "inclusive",
                 "spec.ports[2].name: Duplicate value: \"b\"",
                 "spec.ports[2]: Duplicate value: {\"port\":80,\"protocol\":\"TCP\"}"});
  json cip = {{"metadata", {{"name", "web"}}},
              {"spec", {{"clusterIP", "10.43.0.300"}, {"ports", {{{"port", 80, }, {"nodePort", 30080}}}}}}};
  auto ce = createErrors("", "Service", cip);
  CHECK(ce == Messages{"spec.ports[0].nodePort: Forbidden: may not be used when `type` is "
                       "'ClusterIP'",
                       "spec.clusterIPs[0]: Invalid value: \"10.43.0.300\": must be a valid IP "
                       "address, (e.g. 10.9.8.7 or 2001:db8::ffff)"});
  json ext = {{"metadata", {{"name", "ext"}}}, {"spec", {{"type", "ExternalName"}}}};
  CHECK(createErrors("", "Service", ext) == Messages{"spec.externalName: Required value"});
  ext["spec"]["externalName"] = "example.com.";
  CHECK(createErrors("", "Service", ext).empty());
  json local = {{"metadata", {{"name", "web"}}},
                {"spec", {{"ports", {{{"port", 80}}}}, {"externalTrafficPolicy", "Local"}}}};
  CHECK(createErrors("", "Service", local) ==
        Messages{"spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set when "
                 "`type` is 'NodePort' or 'LoadBalancer'"});
}

TEST_CASE("ConfigMap and Secret keys and types", "[validation][core]") {
  json cm = {{"metadata", {{"name", "c"}}}, {"data", {{"ok.key", "v"}, {"bad/key", "v"}}},
             {"binaryData", {{"ok.key", "dg=="}}}};
  auto e = createErrors("", "ConfigMap", cm);
  REQUIRE(e.size() == 2);
  CHECK_THAT(e[0], Contains("data[bad/key]: Invalid value: \"bad/key\": a valid config key must "
                            "consist of alphanumeric characters"));
  CHECK(e[1] == "data[ok.key]: Invalid value: \"ok.key\": duplicate of key present in binaryData");
  CHECK(createErrors("", "Secret", {{"metadata", {{"name", "s"}}}, {"type", "kubernetes.io/tls"},
                                    {"data", {{"tls.crt", "eA=="}}}}) ==
        Messages{"data[tls.key]: Required value"});
  CHECK(createErrors("", "Secret", {{"metadata", {{"name", "s"}}},
                                    {"type", "kubernetes.io/dockerconfigjson"}}) ==
        Messages{"data[.dockerconfigjson]: Required value"});
  CHECK(createErrors("", "Secret", {{"metadata", {{"name", "s"}}}, {"data", {{"k", "dg=="}}}}).empty());
}

TEST_CASE("Namespace, PVC, PV and StorageClass", "[validation][core]") {
  CHECK(createErrors("", "Namespace", {{"metadata", {{"name", "team"}}}}, false).empty());
  CHECK(createErrors("", "Namespace", {{"metadata", {{"name", "team"}}},
                                       {"spec", {{"finalizers", {"custom"}}}}}, false) ==
        Messages{"spec.finalizers: Invalid value: \"custom\": name is neither a standard "
                 "finalizer name nor is it fully qualified"});
  json pvc = {{"metadata", {{"name", "data"}}},
              {"spec", {{"accessModes", {"ReadWriteOnce"}},
                        {"resources", {{"requests", {{"storage", "1Gi"}}}}}}}};
  CHECK(createErrors("", "PersistentVolumeClaim", pvc).empty());
  CHECK(createErrors("", "PersistentVolumeClaim", {{"metadata", {{"name", "d"}}},
                                                   {"spec", {{"accessModes", {"ReadSometimes"}}}}}) ==
        Messages{"spec.accessModes: Unsupported value: \"ReadSometimes\": supported values: "
                 "\"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
                 "spec.resources[storage]: Required value"});
  json pv = {{"metadata", {{"name", "pv1"}}},
             {"spec", {{"capacity", {{"storage", "1Gi"}}}, {"accessModes", {"ReadWriteOnce"}},
                       {"hostPath", {{"path", "/data"}}}}}};
  CHECK(createErrors("", "PersistentVolume", pv, false).empty());
  pv["spec"].erase("hostPath");
  pv["spec"].erase("accessModes");
  CHECK(createErrors("", "PersistentVolume", pv, false) ==
        Messages{"spec.accessModes: Required value: at least 1 access mode is required",
                 "spec: Required value: must specify a volume type"});
  CHECK(createErrors("storage.k8s.io", "StorageClass", {{"metadata", {{"name", "fast"}}},
                                                        {"provisioner", "rancher.io/local-path"}},
                     false)
            .empty());
  CHECK(createErrors("storage.k8s.io", "StorageClass",
                     {{"metadata", {{"name", "fast"}}}, {"reclaimPolicy", "Recycle"}}, false) ==
        Messages{"provisioner: Required value",
                 "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", "
                 "\"Retain\""});
}

TEST_CASE("Ingress rules and backends", "[validation][networking]") {
  json ing = {{"metadata", {{"name", "web"}}},
              {"spec", {{"rules", {{{"host", "example.com"},
                                    {"http", {{"paths", {{{"path", "/"}, {"pathType", "Prefix"},
                                                          {"backend", {{"service", {{"name", "web"},
                                                                                    {"port", {{"number", 80}}}}}}}}}}}}}}}}}};
  CHECK(createErrors("networking.k8s.io", "Ingress", ing).empty());
  json& path = ing["spec"]["rules"][0]["http"]["paths"][0];
  path.erase("pathType");
  path["backend"]["service"]["port"] = json::object();
  ing["spec"]["rules"][0]["host"] = "1.2.3.4";
  CHECK(createErrors("networking.k8s.io", "Ingress", ing) ==
        Messages{"spec.rules[0].host: Invalid value: \"1.2.3.4\": must be a DNS name, not an IP "
                 "address",
                 "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
                 "spec.rules[0].http.paths[0].backend.service.port: Required value: port name or "
                 "number is required"});
  CHECK(createErrors("networking.k8s.io", "Ingress", {{"metadata", {{"name", "x"}}}, {"spec", json::object()}}) ==
        Messages{"spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"});
}

TEST_CASE("RBAC roles and bindings", "[validation][rbac]") {
  json role = {{"metadata", {{"name", "r"}}},
               {"rules", {{{"apiGroups", {""}}, {"resources", {"pods"}}, {"verbs", {"get"}}},
                          {{"resources", {"pods"}}},
                          {{"nonResourceURLs", {"/healthz"}}, {"verbs", {"get"}}}}}};
  CHECK(createErrors("rbac.authorization.k8s.io", "Role", role) ==
        Messages{"rules[1].verbs: Required value: verbs must contain at least one value",
                 "rules[1].apiGroups: Required value: resource rules must supply at least one api "
                 "group",
                 "rules[2].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced "
                 "rules cannot apply to non-resource URLs"});
  json crb = {{"metadata", {{"name", "b"}}},
              {"roleRef", {{"kind", "Role"}, {"name", "r"}}},
              {"subjects", {{{"kind", "ServiceAccount"}, {"name", "default"}},
                            {{"kind", "Robot"}, {"name", "x"}}}}};
  CHECK(createErrors("rbac.authorization.k8s.io", "ClusterRoleBinding", crb, false) ==
        Messages{"roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                 "subjects[0].namespace: Required value",
                 "subjects[1].kind: Unsupported value: \"Robot\": supported values: "
                 "\"ServiceAccount\", \"User\", \"Group\""});
}

TEST_CASE("PodDisruptionBudget: minAvailable or maxUnavailable, selector, eviction policy",
          "[validation][policy]") {
  auto pdb = [](json spec) {
    return json{{"metadata", {{"name", "web"}}}, {"spec", std::move(spec)}};
  };
  json selector = {{"matchLabels", {{"app", "web"}}}};
  CHECK(createErrors("policy", "PodDisruptionBudget",
                     pdb({{"minAvailable", 2}, {"selector", selector}}))
            .empty());
  CHECK(createErrors("policy", "PodDisruptionBudget",
                     pdb({{"maxUnavailable", "25%"}, {"selector", json::object()}}))
            .empty());
  auto both = createErrors("policy", "PodDisruptionBudget",
                           pdb({{"minAvailable", 1}, {"maxUnavailable", 1}}));
  REQUIRE(both.size() == 1);
  CHECK_THAT(both[0], Contains("spec: Invalid value: "));
  CHECK_THAT(both[0], Contains("minAvailable and maxUnavailable cannot be both set"));
  CHECK(createErrors("policy", "PodDisruptionBudget", pdb({{"minAvailable", -1}})) ==
        Messages{"spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"});
  CHECK(createErrors("policy", "PodDisruptionBudget", pdb({{"maxUnavailable", "120%"}})) ==
        Messages{"spec.maxUnavailable: Invalid value: \"120%\": must not be greater than 100%"});
  auto notPercent = createErrors("policy", "PodDisruptionBudget", pdb({{"minAvailable", "two"}}));
  REQUIRE(notPercent.size() == 1);
  CHECK_THAT(notPercent[0],
             Contains("spec.minAvailable: Invalid value: \"two\": a valid percent string"));
  auto badSelector = createErrors(
      "policy", "PodDisruptionBudget",
      pdb({{"minAvailable", 1},
           {"selector", {{"matchExpressions", {{{"key", "app"}, {"operator", "Near"}}}}}}}));
  CHECK(badSelector == Messages{"spec.selector.matchExpressions[0].operator: Invalid value: "
                                "\"Near\": not a valid selector operator"});
  CHECK(createErrors("policy", "PodDisruptionBudget",
                     pdb({{"minAvailable", 1}, {"unhealthyPodEvictionPolicy", "Sometimes"}})) ==
        Messages{"spec.unhealthyPodEvictionPolicy: Unsupported value: \"Sometimes\": supported "
                 "values: \"AlwaysAllow\", \"IfHealthyBudget\""});
}

TEST_CASE("Job podFailurePolicy", "[validation][batch]") {
  json job = {{"metadata", {{"name", "pi"}}}, {"spec", {{"template", podTemplate()}}}};
  job["spec"]["template"]["spec"]["restartPolicy"] = "Never";
  const std::string c = job["spec"]["template"]["spec"]["containers"][0]["name"];
  job["spec"]["podFailurePolicy"] = {
      {"rules",
       {{{"action", "FailJob"}, {"onExitCodes", {{"containerName", c}, {"operator", "In"}, {"values", {1, 42}}}}},
        {{"action", "Ignore"}, {"onPodConditions", {{{"type", "DisruptionTarget"}, {"status", "True"}}}}}}}};
  CHECK(createErrors("batch", "Job", job).empty());

  json bad = job;
  bad["spec"]["template"]["spec"]["restartPolicy"] = "OnFailure";
  bad["spec"]["podFailurePolicy"]["rules"] = {
      {{"action", "Retry"}, {"onExitCodes", {{"containerName", "ghost"}, {"operator", "In"}, {"values", {0, 5, 5}}}}},
      {{"action", "FailIndex"}, {"onExitCodes", {{"operator", "Is"}, {"values", {3, 2}}}}},
      {{"action", "Count"}},
      {{"action", "Ignore"}, {"onPodConditions", {{{"type", "Ready"}, {"status", "Maybe"}}}}}};
  auto e = createErrors("batch", "Job", bad);
  CHECK(e == Messages{
      "spec.podFailurePolicy.rules[0].action: Unsupported value: \"Retry\": supported values: "
      "\"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"",
      "spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: \"ghost\": must "
      "be one of the container or initContainer names in the pod template",
      "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for "
      "the In operator",
      "spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 5",
      "spec.podFailurePolicy.rules[1].action: Invalid value: \"FailIndex\": requires the "
      "backoffLimitPerIndex to be set",
      "spec.podFailurePolicy.rules[1].onExitCodes.operator: Unsupported value: \"Is\": supported "
      "values: \"In\", \"NotIn\"",
      "spec.podFailurePolicy.rules[1].onExitCodes.values: Invalid value: []int32{3, 2}: must be "
      "ordered",
      "spec.podFailurePolicy.rules[2]: Invalid value: specifying one of OnExitCodes and "
      "OnPodConditions is required",
      "spec.podFailurePolicy.rules[3].onPodConditions[0].status: Unsupported value: \"Maybe\": "
      "supported values: \"False\", \"True\", \"Unknown\"",
      "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is "
      "supported when podFailurePolicy is specified"});
}

TEST_CASE("Job backoffLimitPerIndex, maxFailedIndexes and successPolicy", "[validation][batch]") {
  json job = {{"metadata", {{"name", "pi"}}}, {"spec", {{"template", podTemplate()}}}};
  job["spec"]["template"]["spec"]["restartPolicy"] = "Never";
  json indexed = job;
  indexed["spec"]["completionMode"] = "Indexed";
  indexed["spec"]["completions"] = 5;
  indexed["spec"]["backoffLimitPerIndex"] = 1;
  indexed["spec"]["maxFailedIndexes"] = 2;
  indexed["spec"]["successPolicy"] = {
      {"rules", {{{"succeededIndexes", "0,2-4"}, {"succeededCount", 2}}, {{"succeededCount", 5}}}}};
  CHECK(createErrors("batch", "Job", indexed).empty());

  // The per-index fields belong to Indexed Jobs.
  json plain = job;
  plain["spec"]["backoffLimitPerIndex"] = 1;
  plain["spec"]["maxFailedIndexes"] = 1;
  plain["spec"]["successPolicy"] = {{"rules", {{{"succeededCount", 1}}}}};
  CHECK(createErrors("batch", "Job", plain) ==
        Messages{"spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode",
                 "spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode",
                 "spec.successPolicy: Invalid value: requires indexed completion mode"});

  json bad = indexed;
  bad["spec"]["backoffLimitPerIndex"] = -1;
  bad["spec"]["maxFailedIndexes"] = 6;
  bad["spec"]["successPolicy"]["rules"] = {{{"succeededIndexes", "3,1"}},
                                           {{"succeededIndexes", "0-5"}, {"succeededCount", 6}},
                                           json::object(),
                                           {{"succeededIndexes", "1-2-3"}},
                                           {{"succeededIndexes", "x"}},
                                           {{"succeededIndexes", "0-3"}, {"succeededCount", -1}},
                                           {{"succeededIndexes", "0,1"}, {"succeededCount", 3}}};
  CHECK(createErrors("batch", "Job", bad) ==
        Messages{
            "spec.backoffLimitPerIndex: Invalid value: -1: must be greater than or equal to 0",
            "spec.maxFailedIndexes: Invalid value: 6: must be less than or equal to completions",
            "spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"3,1\": error parsing "
            "succeededIndexes: non-increasing order, previous: 3, current: 1",
            "spec.successPolicy.rules[1].succeededIndexes: Invalid value: \"0-5\": error parsing "
            "succeededIndexes: too large index: \"5\"",
            "spec.successPolicy.rules[1].succeededCount: Invalid value: 6: must be less than or "
            "equal to 5 (the number of specified completions)",
            "spec.successPolicy.rules[1].succeededCount: Invalid value: 6: must be less than or "
            "equal to 0 (the number of indexes in the specified succeededIndexes field)",
            "spec.successPolicy.rules[2]: Required value: at least one of succeededCount or "
            "succeededIndexes must be specified",
            "spec.successPolicy.rules[3].succeededIndexes: Invalid value: \"1-2-3\": error "
            "parsing succeededIndexes: the fragment \"1-2-3\" violates the requirement that an "
            "index interval can have at most two parts separated by '-'",
            "spec.successPolicy.rules[4].succeededIndexes: Invalid value: \"x\": error parsing "
            "succeededIndexes: cannot convert string to integer for index: \"x\"",
            "spec.successPolicy.rules[5].succeededCount: Invalid value: -1: must be greater than "
            "or equal to 0",
            "spec.successPolicy.rules[6].succeededCount: Invalid value: 3: must be less than or "
            "equal to 2 (the number of indexes in the specified succeededIndexes field)"});

  json empty = indexed;
  empty["spec"]["successPolicy"] = {{"rules", json::array()}};
  empty["spec"].erase("backoffLimitPerIndex");
  CHECK(createErrors("batch", "Job", empty) ==
        Messages{"spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified",
                 "spec.successPolicy.rules: Required value: at least one rules must be specified "
                 "when the successPolicy is specified"});
}
