#include <catch2/catch.hpp>

#include "api/validation/defaults.h"
#include "api/validation/strategy.h"

using nlohmann::json;
using tug::api::validation::applyDefaults;
using tug::api::validation::prepareCreate;

namespace {

json defaulted(const char* group, const char* kind, json obj) {
  applyDefaults(group, kind, obj);
  return obj;
}

// The pod template spec upstream stores for `containers: [{name: web, image: nginx}]`.
json defaultedTemplateSpec(const char* image = "nginx", const char* pullPolicy = "Always") {
  return {{"containers",
           {{{"name", "web"},
             {"image", image},
             {"imagePullPolicy", pullPolicy},
             {"terminationMessagePath", "/dev/termination-log"},
             {"terminationMessagePolicy", "File"},
             {"resources", json::object()}}}},
          {"dnsPolicy", "ClusterFirst"},
          {"restartPolicy", "Always"},
          {"schedulerName", "default-scheduler"},
          {"securityContext", json::object()},
          {"terminationGracePeriodSeconds", 30}};
}

json bareTemplate() {
  return {{"metadata", {{"labels", {{"app", "web"}}}}},
          {"spec",
           {{"containers",
             {{{"name", "web"}, {"image", "nginx"}, {"resources", json::object()}}}}}}};
}

}  // namespace

TEST_CASE("a Deployment gets upstream's defaults", "[defaults]") {
  json d = {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata", {{"name", "web"}}},
            {"spec", {{"selector", {{"matchLabels", {{"app", "web"}}}}}, {"template", bareTemplate()}}}};
  json want = d;
  want["spec"]["replicas"] = 1;
  want["spec"]["revisionHistoryLimit"] = 10;
  want["spec"]["progressDeadlineSeconds"] = 600;
  want["spec"]["strategy"] = {{"type", "RollingUpdate"},
                              {"rollingUpdate", {{"maxSurge", "25%"}, {"maxUnavailable", "25%"}}}};
  want["spec"]["template"]["spec"] = defaultedTemplateSpec();
  CHECK(defaulted("apps", "Deployment", d) == want);
}

TEST_CASE("defaulting keeps what the user set", "[defaults]") {
  json d = {{"spec",
             {{"replicas", 3},
              {"strategy", {{"type", "Recreate"}}},
              {"template",
               {{"spec",
                 {{"restartPolicy", "Never"},
                  {"containers", {{{"name", "a"}, {"image", "x:1"}, {"imagePullPolicy", "Never"}}}}}}}}}}};
  json got = defaulted("apps", "Deployment", d);
  CHECK(got["spec"]["replicas"] == 3);
  CHECK(got["spec"]["strategy"] == json{{"type", "Recreate"}});
  CHECK(got["spec"]["template"]["spec"]["restartPolicy"] == "Never");
  CHECK(got["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "Never");
}

TEST_CASE("imagePullPolicy follows the image tag", "[defaults]") {
  auto policy = [](const char* image) {
    json pod = {{"spec", {{"containers", {{{"name", "c"}, {"image", image}}}}}}};
    applyDefaults("", "Pod", pod);
    return pod["spec"]["containers"][0]["imagePullPolicy"].get<std::string>();
  };
  CHECK(policy("nginx") == "Always");
  CHECK(policy("nginx:latest") == "Always");
  CHECK(policy("registry:5000/team/nginx") == "Always");
  CHECK(policy("nginx:1.25") == "IfNotPresent");
  CHECK(policy("registry:5000/nginx:1.25") == "IfNotPresent");
  CHECK(policy("nginx@sha256:abcd") == "IfNotPresent");
  CHECK(policy("") == "IfNotPresent");
  CHECK(policy("Bad/Name") == "IfNotPresent");
}

TEST_CASE("a Pod gets container, probe, port, env and volume defaults", "[defaults]") {
  json pod = {
      {"spec",
       {{"containers",
         {{{"name", "c"},
           {"image", "busybox:1"},
           {"ports", {{{"containerPort", 80}}}},
           {"env", {{{"name", "N"}, {"valueFrom", {{"fieldRef", {{"fieldPath", "metadata.name"}}}}}}}},
           {"resources", {{"limits", {{"cpu", "1"}}}}},
           {"livenessProbe", {{"httpGet", {{"port", 80}}}}}}}},
        {"volumes",
         {{{"name", "a"}},
          {{"name", "b"}, {"secret", {{"secretName", "s"}}}},
          {{"name", "c"}, {"configMap", {{"name", "m"}}}},
          {{"name", "d"}, {"hostPath", {{"path", "/x"}}}}}}}}};
  applyDefaults("", "Pod", pod);
  const json& spec = pod["spec"];
  const json& c = spec["containers"][0];
  CHECK(spec["enableServiceLinks"] == true);
  CHECK(c["ports"][0] == json{{"containerPort", 80}, {"protocol", "TCP"}});
  CHECK(c["env"][0]["valueFrom"]["fieldRef"]["apiVersion"] == "v1");
  CHECK(c["resources"]["requests"] == json{{"cpu", "1"}});
  CHECK(c["livenessProbe"] == json{{"httpGet", {{"port", 80}, {"path", "/"}, {"scheme", "HTTP"}}},
                                   {"timeoutSeconds", 1},
                                   {"periodSeconds", 10},
                                   {"successThreshold", 1},
                                   {"failureThreshold", 3}});
  CHECK(spec["volumes"][0] == json{{"name", "a"}, {"emptyDir", json::object()}});
  CHECK(spec["volumes"][1]["secret"]["defaultMode"] == 420);
  CHECK(spec["volumes"][2]["configMap"]["defaultMode"] == 420);
  CHECK(spec["volumes"][3]["hostPath"] == json{{"path", "/x"}, {"type", ""}});
}

TEST_CASE("pod templates get no Pod-only defaults", "[defaults]") {
  json rs = {{"spec", {{"template", {{"spec", {{"containers", {{{"name", "c"}, {"image", "i"},
                                                               {"resources", {{"limits", {{"cpu", "1"}}}}}}}}}}}}}}};
  applyDefaults("apps", "ReplicaSet", rs);
  const json& spec = rs["spec"]["template"]["spec"];
  CHECK_FALSE(spec.contains("enableServiceLinks"));
  CHECK_FALSE(spec["containers"][0]["resources"].contains("requests"));
  CHECK(rs["spec"]["replicas"] == 1);
}

TEST_CASE("a Service gets upstream's defaults and IP families on create", "[defaults]") {
  json svc = {{"metadata", {{"name", "web"}}},
              {"spec", {{"selector", {{"app", "web"}}}, {"ports", {{{"port", 80}}}}}}};
  applyDefaults("", "Service", svc);
  prepareCreate("", "Service", svc);
  json want = {{"metadata", {{"name", "web"}}},
               {"spec",
                {{"selector", {{"app", "web"}}},
                 {"ports", {{{"port", 80}, {"protocol", "TCP"}, {"targetPort", 80}}}},
                 {"type", "ClusterIP"},
                 {"sessionAffinity", "None"},
                 {"internalTrafficPolicy", "Cluster"},
                 {"ipFamilyPolicy", "SingleStack"},
                 {"ipFamilies", {"IPv4"}}}}};
  CHECK(svc == want);

  json np = {{"spec", {{"type", "NodePort"}, {"clusterIP", "None"}, {"ports", {{{"port", 80}, {"targetPort", "http"}}}}}}};
  applyDefaults("", "Service", np);
  prepareCreate("", "Service", np);
  CHECK(np["spec"]["externalTrafficPolicy"] == "Cluster");
  CHECK(np["spec"]["ports"][0]["targetPort"] == "http");
  CHECK(np["spec"]["clusterIPs"] == json{"None"});
  CHECK(np["spec"]["ipFamilyPolicy"] == "RequireDualStack");

  json ext = {{"spec", {{"type", "ExternalName"}, {"externalName", "example.com"}}}};
  applyDefaults("", "Service", ext);
  prepareCreate("", "Service", ext);
  CHECK_FALSE(ext["spec"].contains("ipFamilies"));
  CHECK_FALSE(ext["spec"].contains("internalTrafficPolicy"));
}

TEST_CASE("StatefulSet, DaemonSet, Job and CronJob defaults", "[defaults]") {
  json sts = {{"spec",
               {{"template", bareTemplate()},
                {"volumeClaimTemplates", {{{"metadata", {{"name", "data"}}}, {"spec", json::object()}}}}}}};
  applyDefaults("apps", "StatefulSet", sts);
  CHECK(sts["spec"]["podManagementPolicy"] == "OrderedReady");
  CHECK(sts["spec"]["updateStrategy"] ==
        json{{"type", "RollingUpdate"}, {"rollingUpdate", {{"partition", 0}}}});
  CHECK(sts["spec"]["persistentVolumeClaimRetentionPolicy"] ==
        json{{"whenDeleted", "Retain"}, {"whenScaled", "Retain"}});
  CHECK(sts["spec"]["revisionHistoryLimit"] == 10);
  CHECK(sts["spec"]["replicas"] == 1);
  CHECK(sts["spec"]["volumeClaimTemplates"][0]["spec"]["volumeMode"] == "Filesystem");
  CHECK(sts["spec"]["volumeClaimTemplates"][0]["status"]["phase"] == "Pending");

  json ds = {{"spec", {{"template", bareTemplate()}}}};
  applyDefaults("apps", "DaemonSet", ds);
  CHECK(ds["spec"]["updateStrategy"] ==
        json{{"type", "RollingUpdate"}, {"rollingUpdate", {{"maxUnavailable", 1}, {"maxSurge", 0}}}});
  CHECK(ds["spec"]["revisionHistoryLimit"] == 10);

  json job = {{"metadata", {{"name", "pi"}, {"uid", "u-1"}}}, {"spec", {{"template", bareTemplate()}}}};
  applyDefaults("batch", "Job", job);
  prepareCreate("batch", "Job", job);
  const json& js = job["spec"];
  CHECK(js["parallelism"] == 1);
  CHECK(js["completions"] == 1);
  CHECK(js["backoffLimit"] == 6);
  CHECK(js["completionMode"] == "NonIndexed");
  CHECK(js["suspend"] == false);
  CHECK(js["podReplacementPolicy"] == "TerminatingOrFailed");
  CHECK(js["selector"] == json{{"matchLabels", {{"batch.kubernetes.io/controller-uid", "u-1"}}}});
  CHECK(js["template"]["metadata"]["labels"] ==
        json{{"app", "web"},
             {"batch.kubernetes.io/controller-uid", "u-1"},
             {"batch.kubernetes.io/job-name", "pi"},
             {"controller-uid", "u-1"},
             {"job-name", "pi"}});

  json parallel = {{"spec", {{"parallelism", 3}}}};
  applyDefaults("batch", "Job", parallel);
  CHECK_FALSE(parallel["spec"].contains("completions"));

  json cj = {{"spec", {{"schedule", "* * * * *"}, {"jobTemplate", {{"spec", {{"template", bareTemplate()}}}}}}}};
  applyDefaults("batch", "CronJob", cj);
  CHECK(cj["spec"]["concurrencyPolicy"] == "Allow");
  CHECK(cj["spec"]["suspend"] == false);
  CHECK(cj["spec"]["successfulJobsHistoryLimit"] == 3);
  CHECK(cj["spec"]["failedJobsHistoryLimit"] == 1);
  CHECK(cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] == "Always");
  CHECK_FALSE(cj["spec"]["jobTemplate"]["spec"].contains("backoffLimit"));
}

TEST_CASE("core, storage and RBAC kinds get their defaults", "[defaults]") {
  CHECK(defaulted("", "Secret", json::object())["type"] == "Opaque");
  CHECK(defaulted("", "Secret", {{"type", "kubernetes.io/tls"}})["type"] == "kubernetes.io/tls");

  json pvc = defaulted("", "PersistentVolumeClaim", {{"spec", json::object()}});
  CHECK(pvc == json{{"spec", {{"volumeMode", "Filesystem"}}}, {"status", {{"phase", "Pending"}}}});
  json pv = defaulted("", "PersistentVolume", {{"spec", json::object()}});
  CHECK(pv == json{{"spec", {{"persistentVolumeReclaimPolicy", "Retain"}, {"volumeMode", "Filesystem"}}},
                   {"status", {{"phase", "Pending"}}}});

  CHECK(defaulted("storage.k8s.io", "StorageClass", {{"provisioner", "p"}}) ==
        json{{"provisioner", "p"}, {"reclaimPolicy", "Delete"}, {"volumeBindingMode", "Immediate"}});

  json ns = {{"metadata", {{"name", "team"}}}};
  applyDefaults("", "Namespace", ns);
  prepareCreate("", "Namespace", ns);
  CHECK(ns == json{{"metadata", {{"name", "team"}, {"labels", {{"kubernetes.io/metadata.name", "team"}}}}},
                   {"spec", {{"finalizers", {"kubernetes"}}}},
                   {"status", {{"phase", "Active"}}}});

  json rb = {{"roleRef", {{"kind", "Role"}, {"name", "r"}}},
             {"subjects", {{{"kind", "User"}, {"name", "u"}},
                           {{"kind", "ServiceAccount"}, {"name", "s"}, {"namespace", "d"}}}}};
  applyDefaults("rbac.authorization.k8s.io", "RoleBinding", rb);
  CHECK(rb["roleRef"]["apiGroup"] == "rbac.authorization.k8s.io");
  CHECK(rb["subjects"][0]["apiGroup"] == "rbac.authorization.k8s.io");
  CHECK_FALSE(rb["subjects"][1].contains("apiGroup"));

  json node = {{"status", {{"capacity", {{"cpu", "2"}}}}}};
  applyDefaults("", "Node", node);
  CHECK(node["status"]["allocatable"] == json{{"cpu", "2"}});
}

TEST_CASE("defaulting is idempotent and tolerates bodies of the wrong shape", "[defaults]") {
  json d = {{"spec", {{"selector", {{"matchLabels", {{"app", "web"}}}}}, {"template", bareTemplate()}}}};
  json once = defaulted("apps", "Deployment", d);
  CHECK(defaulted("apps", "Deployment", once) == once);

  for (json bad : {json("x"), json::array(), json{{"spec", "x"}}, json{{"spec", {{"template", 3}}}},
                   json{{"spec", {{"template", {{"spec", {{"containers", "no"}}}}}}}},
                   json{{"spec", {{"template", {{"spec", {{"containers", {1, "x", nullptr}}}}}}}}}}) {
    json copy = bad;
    CHECK_NOTHROW(applyDefaults("apps", "Deployment", copy));
    CHECK_NOTHROW(applyDefaults("", "Pod", copy));
    CHECK_NOTHROW(applyDefaults("", "Service", copy));
    CHECK_NOTHROW(prepareCreate("batch", "Job", copy));
  }
}

TEST_CASE("a DaemonSet's template generation starts at 1 and counts template changes",
          "[defaults]") {
  using tug::api::validation::prepareUpdate;
  constexpr const char* kKey = "deprecated.daemonset.template.generation";
  json ds = {{"metadata", {{"name", "agent"}, {"annotations", {{kKey, "7"}, {"a", "b"}}}}},
             {"spec", {{"template", bareTemplate()}}}};
  prepareCreate("apps", "DaemonSet", ds);
  CHECK(ds["metadata"]["annotations"] == json{{kKey, "1"}, {"a", "b"}});

  json same = ds;
  same["metadata"]["annotations"].erase(kKey);
  same["spec"]["minReadySeconds"] = 5;
  prepareUpdate("apps", "DaemonSet", same, ds);
  CHECK(same["metadata"]["annotations"][kKey] == "1");

  json changed = same;
  changed["metadata"]["annotations"][kKey] = "40";
  changed["spec"]["template"]["spec"]["hostNetwork"] = true;
  prepareUpdate("apps", "DaemonSet", changed, same);
  CHECK(changed["metadata"]["annotations"][kKey] == "2");
}
