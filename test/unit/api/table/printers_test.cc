#include <catch2/catch.hpp>

#include "api/table/printer.h"

using namespace tug::api::table;
using nlohmann::json;

namespace {

const TimePoint kNow = *parseTimestamp("2024-05-01T12:00:00Z");

json meta(const std::string& name) {
  return {{"name", name}, {"namespace", "default"}, {"creationTimestamp", "2024-05-01T11:00:00Z"}};
}

json cells(const char* group, const char* resource, const json& obj) {
  return printerFor(group, resource).row(obj, kNow).cells;
}

std::vector<std::string> columnNames(const char* group, const char* resource, bool wide) {
  std::vector<std::string> out;
  for (const auto& c : printerFor(group, resource).columns()) {
    if (wide || c.priority == 0) {
      out.push_back(c.name);
    }
  }
  return out;
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("services of each type", "[table][service]") {
  json svc = {{"metadata", meta("web")},
              {"spec",
               {{"type", "ClusterIP"},
                {"clusterIP", "10.43.0.10"},
                {"clusterIPs", {"10.43.0.10"}},
                {"selector", {{"app", "web"}, {"tier", "front"}}},
                {"ports", {{{"port", 80}, {"protocol", "TCP"}}, {{"port", 53}, {"protocol", "UDP"}}}}}}};
  CHECK(columnNames("", "services", true) ==
        Names{"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"});
  CHECK(cells("", "services", svc) ==
        json({"web", "ClusterIP", "10.43.0.10", "<none>", "80/TCP,53/UDP", "60m",
              "app=web,tier=front"}));

  SECTION("NodePort shows node ports and external IPs") {
    svc["spec"]["type"] = "NodePort";
    svc["spec"]["ports"] = {{{"port", 80}, {"nodePort", 30080}, {"protocol", "TCP"}}};
    svc["spec"]["externalIPs"] = {"192.0.2.1", "192.0.2.2"};
    json c = cells("", "services", svc);
    CHECK(c[3] == "192.0.2.1,192.0.2.2");
    CHECK(c[4] == "80:30080/TCP");
  }
  SECTION("LoadBalancer pending, then with ingress points") {
    svc["spec"]["type"] = "LoadBalancer";
    CHECK(cells("", "services", svc)[3] == "<pending>");
    svc["status"]["loadBalancer"]["ingress"] = {{{"ip", "203.0.113.5"}},
                                                {{"hostname", "lb.example.com"}},
                                                {{"ip", "203.0.113.5"}}};
    CHECK(cells("", "services", svc)[3] == "203.0.113.5,lb.example.com");
    svc["spec"]["externalIPs"] = {"192.0.2.9"};
    CHECK(cells("", "services", svc)[3] == "203.0.113.5,lb.example.com,192.0.2.9");
  }
  SECTION("ExternalName and headless") {
    json ext = {{"metadata", meta("db")},
                {"spec", {{"type", "ExternalName"}, {"externalName", "db.example.com"}}}};
    CHECK(cells("", "services", ext) ==
          json({"db", "ExternalName", "<none>", "db.example.com", "<none>", "60m", "<none>"}));
    svc["spec"]["clusterIPs"] = {"None"};
    CHECK(cells("", "services", svc)[2] == "None");
  }
  SECTION("defaults: no type is ClusterIP, no protocol is TCP") {
    json bare = {{"metadata", meta("bare")}, {"spec", {{"ports", {{{"port", 8080}}}}}}};
    json c = cells("", "services", bare);
    CHECK(c[1] == "ClusterIP");
    CHECK(c[4] == "8080/TCP");
  }
}

TEST_CASE("nodes: status, roles and wide columns", "[table][node]") {
  json node = {{"metadata",
                {{"name", "n1"},
                 {"creationTimestamp", "2024-04-29T12:00:00Z"},
                 {"labels",
                  {{"node-role.kubernetes.io/control-plane", ""},
                   {"node-role.kubernetes.io/master", "true"},
                   {"kubernetes.io/hostname", "n1"}}}}},
               {"status",
                {{"conditions", {{{"type", "MemoryPressure"}, {"status", "False"}},
                                 {{"type", "Ready"}, {"status", "True"}}}},
                 {"addresses", {{{"type", "InternalIP"}, {"address", "192.168.1.10"}},
                                {{"type", "Hostname"}, {"address", "n1"}}}},
                 {"nodeInfo",
                  {{"kubeletVersion", "v1.31.0+tug"},
                   {"osImage", "Debian GNU/Linux 12"},
                   {"kernelVersion", "6.1.0"},
                   {"containerRuntimeVersion", "runc://1.1"}}}}}};
  CHECK(columnNames("", "nodes", false) == Names{"Name", "Status", "Roles", "Age", "Version"});
  CHECK(cells("", "nodes", node) ==
        json({"n1", "Ready", "control-plane,master", "2d", "v1.31.0+tug", "192.168.1.10",
              "<none>", "Debian GNU/Linux 12", "6.1.0", "runc://1.1"}));
  node["spec"]["unschedulable"] = true;
  node["status"]["conditions"][1]["status"] = "Unknown";
  CHECK(cells("", "nodes", node)[1] == "NotReady,SchedulingDisabled");
  json bare = {{"metadata", {{"name", "n2"}, {"labels", {{"kubernetes.io/role", "worker"}}}}}};
  json c = cells("", "nodes", bare);
  CHECK(c[1] == "Unknown");
  CHECK(c[2] == "worker");
  CHECK(c[7] == "<unknown>");
}

TEST_CASE("deployments, replica sets, stateful sets and daemon sets", "[table][workload]") {
  json tmpl = {{"spec", {{"containers", {{{"name", "app"}, {"image", "nginx:1"}},
                                         {{"name", "log"}, {"image", "busybox"}}}}}}};
  json selector = {{"matchLabels", {{"app", "web"}}},
                   {"matchExpressions",
                    {{{"key", "env"}, {"operator", "In"}, {"values", {"prod", "dev"}}}}}};
  json d = {{"metadata", meta("web")},
            {"spec", {{"replicas", 3}, {"selector", selector}, {"template", tmpl}}},
            {"status", {{"readyReplicas", 2}, {"updatedReplicas", 3}, {"availableReplicas", 2}}}};
  CHECK(columnNames("apps", "deployments", true) ==
        Names{"Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images",
              "Selector"});
  CHECK(cells("apps", "deployments", d) ==
        json({"web", "2/3", 3, 2, "60m", "app,log", "nginx:1,busybox",
              "app=web,env in (dev,prod)"}));
  json rs = {{"metadata", meta("web-1")},
             {"spec", {{"replicas", 2}, {"selector", {{"matchLabels", {{"app", "web"}}}}}, {"template", tmpl}}},
             {"status", {{"replicas", 2}, {"readyReplicas", 1}}}};
  CHECK(cells("apps", "replicasets", rs) ==
        json({"web-1", 2, 2, 1, "60m", "app,log", "nginx:1,busybox", "app=web"}));
  json rc = {{"metadata", meta("old")}, {"spec", {{"selector", {{"app", "old"}}}}}};
  CHECK(cells("", "replicationcontrollers", rc) ==
        json({"old", 1, 0, 0, "60m", "", "", "app=old"}));
  json sts = {{"metadata", meta("db")}, {"spec", {{"replicas", 3}, {"template", tmpl}}},
              {"status", {{"readyReplicas", 3}}}};
  CHECK(cells("apps", "statefulsets", sts) == json({"db", "3/3", "60m", "app,log", "nginx:1,busybox"}));
  json cr = {{"metadata", meta("db-7b9")}, {"revision", 2}};
  cr["metadata"]["ownerReferences"] = {{{"apiVersion", "apps/v1"}, {"kind", "StatefulSet"},
                                        {"name", "db"}, {"uid", "u"}, {"controller", true}}};
  CHECK(columnNames("apps", "controllerrevisions", false) ==
        Names{"Name", "Controller", "Revision", "Age"});
  CHECK(cells("apps", "controllerrevisions", cr) ==
        json({"db-7b9", "statefulset.apps/db", 2, "60m"}));
  cr["metadata"].erase("ownerReferences");
  CHECK(cells("apps", "controllerrevisions", cr) == json({"db-7b9", "<none>", 2, "60m"}));
  json ds = {{"metadata", meta("agent")},
             {"spec", {{"template", {{"spec", {{"nodeSelector", {{"os", "linux"}}}}}}}}},
             {"status", {{"desiredNumberScheduled", 2}, {"currentNumberScheduled", 2},
                         {"numberReady", 1}, {"updatedNumberScheduled", 2}, {"numberAvailable", 1}}}};
  CHECK(cells("apps", "daemonsets", ds) ==
        json({"agent", 2, 2, 1, 2, 1, "os=linux", "60m", "", "", "<none>"}));
}

TEST_CASE("jobs and cron jobs", "[table][workload]") {
  json job = {{"metadata", meta("pi")},
              {"spec", {{"completions", 1}}},
              {"status",
               {{"succeeded", 1},
                {"startTime", "2024-05-01T11:00:00Z"},
                {"completionTime", "2024-05-01T11:00:42Z"},
                {"conditions", {{{"type", "Complete"}, {"status", "True"}}}}}}};
  json c = cells("batch", "jobs", job);
  CHECK(c[1] == "Complete");
  CHECK(c[2] == "1/1");
  CHECK(c[3] == "42s");
  json running = {{"metadata", meta("par")},
                  {"spec", {{"parallelism", 3}}},
                  {"status", {{"startTime", "2024-05-01T11:58:00Z"}}}};
  c = cells("batch", "jobs", running);
  CHECK(c[1] == "Running");
  CHECK(c[2] == "0/1 of 3");
  CHECK(c[3] == "2m");
  json cj = {{"metadata", meta("nightly")},
             {"spec", {{"schedule", "0 3 * * *"}, {"suspend", false}}},
             {"status", {{"active", {{{"name", "j1"}}}}, {"lastScheduleTime", "2024-05-01T03:00:00Z"}}}};
  CHECK(columnNames("batch", "cronjobs", false) ==
        Names{"Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age"});
  c = cells("batch", "cronjobs", cj);
  CHECK(c[2] == "<none>");
  CHECK(c[3] == "False");
  CHECK(c[4] == 1);
  CHECK(c[5] == "9h");
}

TEST_CASE("config maps, secrets, namespaces, service accounts", "[table]") {
  CHECK(cells("", "configmaps",
              {{"metadata", meta("cm")}, {"data", {{"a", "1"}, {"b", "2"}}}, {"binaryData", {{"c", "AA=="}}}}) ==
        json({"cm", 3, "60m"}));
  CHECK(cells("", "secrets", {{"metadata", meta("s")}, {"type", "Opaque"}, {"data", {{"k", "dg=="}}}}) ==
        json({"s", "Opaque", 1, "60m"}));
  CHECK(cells("", "namespaces", {{"metadata", meta("ns")}, {"status", {{"phase", "Active"}}}}) ==
        json({"ns", "Active", "60m"}));
  CHECK(cells("", "serviceaccounts", {{"metadata", meta("default")}}) == json({"default", 0, "60m"}));
}

TEST_CASE("endpoints and endpoint slices", "[table][network]") {
  json ep = {{"metadata", meta("web")},
             {"subsets",
              {{{"addresses", {{{"ip", "10.42.0.5"}}, {{"ip", "10.42.0.6"}}}},
                {"ports", {{{"port", 80}}, {{"port", 443}}}}}}}};
  CHECK(cells("", "endpoints", ep)[1] == "10.42.0.5:80,10.42.0.6:80,10.42.0.5:443 + 1 more...");
  CHECK(cells("", "endpoints", {{"metadata", meta("none")}})[1] == "<none>");
  json slice = {{"metadata", meta("web-abc")},
                {"addressType", "IPv4"},
                {"ports", {{{"port", 80}}, {{"name", "https"}}}},
                {"endpoints", {{{"addresses", {"10.42.0.5"}}}}}};
  CHECK(cells("discovery.k8s.io", "endpointslices", slice) ==
        json({"web-abc", "IPv4", "80,https", "10.42.0.5", "60m"}));
  json empty = {{"metadata", meta("e")}, {"addressType", "IPv6"}};
  CHECK(cells("discovery.k8s.io", "endpointslices", empty)[2] == "<unset>");
}

TEST_CASE("ingresses, ingress classes, network policies", "[table][network]") {
  json ing = {{"metadata", meta("site")},
              {"spec",
               {{"ingressClassName", "traefik"},
                {"rules", {{{"host", "a.example.com"}}, {{"host", "b.example.com"}}}},
                {"tls", {{{"hosts", {"a.example.com"}}}}}}},
              {"status", {{"loadBalancer", {{"ingress", {{{"ip", "192.0.2.1"}}}}}}}}};
  CHECK(cells("networking.k8s.io", "ingresses", ing) ==
        json({"site", "traefik", "a.example.com,b.example.com", "192.0.2.1", "80, 443", "60m"}));
  CHECK(cells("networking.k8s.io", "ingresses", {{"metadata", meta("x")}}) ==
        json({"x", "<none>", "*", "", "80", "60m"}));
  json ic = {{"metadata", meta("traefik")},
             {"spec", {{"controller", "traefik.io/ingress-controller"},
                       {"parameters", {{"apiGroup", "k8s.example.com"}, {"kind", "Params"}, {"name", "p"}}}}}};
  CHECK(cells("networking.k8s.io", "ingressclasses", ic)[2] == "Params.k8s.example.com/p");
  json np = {{"metadata", meta("deny")}, {"spec", {{"podSelector", json::object()}}}};
  CHECK(cells("networking.k8s.io", "networkpolicies", np)[1] == "<none>");
}

TEST_CASE("storage: volumes, claims, classes", "[table][storage]") {
  json pv = {{"metadata", meta("pv1")},
             {"spec",
              {{"capacity", {{"storage", "10Gi"}}},
               {"accessModes", {"ReadWriteMany", "ReadWriteOnce"}},
               {"persistentVolumeReclaimPolicy", "Retain"},
               {"claimRef", {{"namespace", "default"}, {"name", "data"}}},
               {"storageClassName", "local-path"},
               {"volumeMode", "Filesystem"}}},
             {"status", {{"phase", "Bound"}}}};
  CHECK(cells("", "persistentvolumes", pv) ==
        json({"pv1", "10Gi", "RWO,RWX", "Retain", "Bound", "default/data", "local-path", "<unset>",
              "", "60m", "Filesystem"}));
  json pvc = {{"metadata", meta("data")},
              {"spec", {{"volumeName", "pv1"}, {"storageClassName", "local-path"}}},
              {"status", {{"phase", "Bound"}, {"capacity", {{"storage", "10Gi"}}}, {"accessModes", {"ReadWriteOnce"}}}}};
  CHECK(cells("", "persistentvolumeclaims", pvc) ==
        json({"data", "Bound", "pv1", "10Gi", "RWO", "local-path", "<unset>", "60m", "<unset>"}));
  json sc = {{"metadata",
              {{"name", "local-path"},
               {"creationTimestamp", "2024-05-01T11:00:00Z"},
               {"annotations", {{"storageclass.kubernetes.io/is-default-class", "true"}}}}},
             {"provisioner", "rancher.io/local-path"},
             {"volumeBindingMode", "WaitForFirstConsumer"}};
  CHECK(cells("storage.k8s.io", "storageclasses", sc) ==
        json({"local-path (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer",
              false, "60m"}));
}

TEST_CASE("RBAC bindings, roles use the generic printer", "[table][rbac]") {
  json rb = {{"metadata", meta("read")},
             {"roleRef", {{"kind", "ClusterRole"}, {"name", "view"}}},
             {"subjects", {{{"kind", "User"}, {"name", "alice"}},
                           {{"kind", "Group"}, {"name", "devs"}},
                           {{"kind", "ServiceAccount"}, {"namespace", "ci"}, {"name", "bot"}},
                           {{"kind", "User"}, {"name", "bob"}}}}};
  CHECK(cells("rbac.authorization.k8s.io", "clusterrolebindings", rb) ==
        json({"read", "ClusterRole/view", "60m", "alice, bob", "devs", "ci/bot"}));
  CHECK(columnNames("rbac.authorization.k8s.io", "roles", true) == Names{"Name", "Created At"});
  CHECK(cells("rbac.authorization.k8s.io", "roles", {{"metadata", meta("r")}}) ==
        json({"r", "2024-05-01T11:00:00Z"}));
}

TEST_CASE("leases, priority classes, quotas, budgets, autoscalers", "[table]") {
  CHECK(cells("coordination.k8s.io", "leases",
              {{"metadata", meta("n1")}, {"spec", {{"holderIdentity", "n1"}}}}) ==
        json({"n1", "n1", "60m"}));
  CHECK(cells("scheduling.k8s.io", "priorityclasses",
              {{"metadata", meta("high")}, {"value", 1000}, {"globalDefault", true}}) ==
        json({"high", 1000, true, "60m", ""}));
  json rq = {{"metadata", meta("q")},
             {"status", {{"hard", {{"pods", "10"}, {"limits.cpu", "2"}, {"requests.memory", "1Gi"}}},
                         {"used", {{"pods", "3"}, {"limits.cpu", "500m"}}}}}};
  CHECK(cells("", "resourcequotas", rq) ==
        json({"q", "60m", "pods: 3/10, requests.memory: 0/1Gi", "limits.cpu: 500m/2"}));
  json pdb = {{"metadata", meta("b")}, {"spec", {{"minAvailable", "50%"}}},
              {"status", {{"disruptionsAllowed", 1}}}};
  CHECK(cells("policy", "poddisruptionbudgets", pdb) == json({"b", "50%", "N/A", 1, "60m"}));
  json hpa = {{"metadata", meta("web")},
              {"spec", {{"scaleTargetRef", {{"kind", "Deployment"}, {"name", "web"}}},
                        {"minReplicas", 1},
                        {"maxReplicas", 5},
                        {"metrics", {{{"type", "Resource"},
                                      {"resource", {{"name", "cpu"}, {"target", {{"type", "Utilization"}, {"averageUtilization", 80}}}}}}}}}},
              {"status", {{"currentReplicas", 2},
                          {"currentMetrics", {{{"type", "Resource"},
                                               {"resource", {{"name", "cpu"}, {"current", {{"averageUtilization", 40}}}}}}}}}}};
  CHECK(cells("autoscaling", "horizontalpodautoscalers", hpa) ==
        json({"web", "Deployment/web", "cpu: 40%/80%", "1", 5, 2, "60m"}));
}

TEST_CASE("events of both API groups print the same columns", "[table][event]") {
  CHECK(columnNames("", "events", false) ==
        Names{"Last Seen", "Type", "Reason", "Object", "Message"});
  json core = {{"metadata", meta("web.17a")},
               {"involvedObject", {{"kind", "Pod"}, {"name", "web"}, {"fieldPath", "spec.containers{app}"}}},
               {"reason", "Pulled"},
               {"message", "  Image pulled \n"},
               {"type", "Normal"},
               {"source", {{"component", "kubelet"}, {"host", "n1"}}},
               {"firstTimestamp", "2024-05-01T11:00:00Z"},
               {"lastTimestamp", "2024-05-01T11:58:00Z"},
               {"count", 4}};
  CHECK(cells("", "events", core) ==
        json({"2m", "Normal", "Pulled", "pod/web", "spec.containers{app}", "kubelet, n1",
              "Image pulled", "60m", 4, "web.17a"}));
  json modern = {{"metadata", meta("web.17b")},
                 {"regarding", {{"kind", "Pod"}, {"name", "web"}}},
                 {"reason", "Scheduled"},
                 {"note", "assigned"},
                 {"type", "Normal"},
                 {"eventTime", "2024-05-01T11:59:00.000000Z"},
                 {"reportingController", "default-scheduler"}};
  CHECK(cells("events.k8s.io", "events", modern) ==
        json({"60s", "Normal", "Scheduled", "pod/web", "", "default-scheduler", "assigned", "60s",
              1, "web.17b"}));
  CHECK(cells("events.k8s.io", "events", core)[3] == "pod/web");
}

TEST_CASE("anything else gets Name and Created At", "[table]") {
  for (auto [group, resource] : {std::pair{"apiextensions.k8s.io", "customresourcedefinitions"},
                                 std::pair{"", "limitranges"}, std::pair{"example.com", "widgets"}}) {
    INFO(resource);
    const auto& cols = printerFor(group, resource).columns();
    REQUIRE(cols.size() == 2);
    CHECK(cols[1].name == "Created At");
    CHECK(cols[1].type == "date");
  }
}
