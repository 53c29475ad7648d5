"""Table output: what `kubectl get` prints from the server's metav1.Table answers (columns,
cells, -o wide, -A, --show-labels, -L, --sort-by, --no-headers, custom columns, jsonpath,
names, -w), and the Accept negotiation behind it, checked over raw HTTPS.

Every server here listens on 127.0.0.1 on a free port and writes its kubeconfig to a
temporary directory.
"""

import datetime
import json
import os
import re
import subprocess
import threading
import time
import unittest
import urllib.error
import urllib.request

from test_cli import clean_env
from test_resources import KUBECTL, ResourcesTestCase
from test_apiserver import API_ONLY

TABLE_ACCEPT = ("application/json;as=Table;v=v1;g=meta.k8s.io,"
                "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")


def ago(seconds):
    t = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def columns(line):
    """The cells of one line of kubectl's table: runs of two or more spaces separate them."""
    return re.split(r"\s{2,}", line.strip())


class TableTestCase(ResourcesTestCase):
    control_plane_args = API_ONLY

    def request(self, method, path, body=None, headers=None):
        """Returns (code, decoded JSON body) without raising on HTTP errors."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request("https://127.0.0.1:%d%s" % (self.server.port, path),
                                     data=data, method=method, headers=headers or {})
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def create(self, path, obj, status=None):
        code, body = self.request("POST", path, obj)
        self.assertEqual(code, 201, body)
        if status is not None:
            body["status"] = status
            url = "%s/%s/status" % (path, obj["metadata"]["name"])
            code, body = self.request("PUT", url, body)
            self.assertEqual(code, 200, body)
        return body

    def get(self, *args):
        result = self.kubectl("get", *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.splitlines()

    def make_pods(self):
        container = {"name": "app", "image": "nginx:1.25"}
        self.create("/api/v1/namespaces/default/pods",
                    {"metadata": {"name": "web", "labels": {"app": "web"}},
                     "spec": {"containers": [container]}},
                    status={"phase": "Running", "podIP": "10.42.0.7",
                            "podIPs": [{"ip": "10.42.0.7"}],
                            "containerStatuses": [{
                                "name": "app", "ready": False, "restartCount": 3,
                                "image": "nginx:1.25", "imageID": "",
                                "lastState": {"terminated": {"exitCode": 1,
                                                             "finishedAt": ago(300)}},
                                "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]})
        self.create("/api/v1/namespaces/default/pods",
                    {"metadata": {"name": "api", "labels": {"app": "api"}},
                     "spec": {"containers": [container],
                              "initContainers": [{"name": "setup", "image": "busybox"}]}},
                    status={"phase": "Pending", "initContainerStatuses": [{
                        "name": "setup", "ready": False, "restartCount": 0,
                        "image": "busybox", "imageID": "",
                        "state": {"running": {"startedAt": ago(10)}}}]})


class KubectlGetTest(TableTestCase):
    def setUp(self):
        super().setUp()
        self.require_kubectl()

    def test_pods_default_wide_labels_and_sorting(self):
        self.make_pods()
        lines = self.get("pods")
        self.assertEqual(columns(lines[0]), ["NAME", "READY", "STATUS", "RESTARTS", "AGE"])
        rows = {columns(l)[0]: columns(l) for l in lines[1:]}
        self.assertEqual(rows["web"][1:3], ["0/1", "CrashLoopBackOff"])
        self.assertRegex(rows["web"][3], r"^3 \(5m(\d+s)? ago\)$")
        self.assertEqual(rows["api"][1:4], ["0/1", "Init:0/1", "0"])
        self.assertRegex(rows["api"][4], r"^\d+s$")

        wide = self.get("pods", "-o", "wide")
        self.assertEqual(columns(wide[0]), ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP",
                                            "NODE", "NOMINATED NODE", "READINESS GATES"])
        web = [columns(l) for l in wide if l.startswith("web ")][0]
        self.assertEqual(web[5:], ["10.42.0.7", "<none>", "<none>", "<none>"])

        everywhere = self.get("pods", "-A")
        self.assertEqual(columns(everywhere[0])[:2], ["NAMESPACE", "NAME"])
        self.assertIn(["default", "web"], [columns(l)[:2] for l in everywhere[1:]])

        labelled = self.get("pods", "--show-labels")
        self.assertEqual(columns(labelled[0])[-1], "LABELS")
        self.assertIn("app=web", [columns(l)[-1] for l in labelled if l.startswith("web ")])

        with_app = self.get("pods", "-L", "app")
        self.assertEqual(columns(with_app[0])[-1], "APP")
        self.assertEqual([columns(l)[-1] for l in with_app[1:]], ["api", "web"])

        by_name = self.get("pods", "--sort-by=.metadata.name", "--no-headers")
        self.assertEqual([columns(l)[0] for l in by_name], ["api", "web"])
        by_age = self.get("pods", "--sort-by=.metadata.creationTimestamp")
        self.assertEqual(columns(by_age[0])[0], "NAME")

        one = self.get("pod", "web")
        self.assertEqual(len(one), 2)
        self.assertEqual(columns(one[1])[:3], ["web", "0/1", "CrashLoopBackOff"])

    def test_other_output_formats(self):
        self.make_pods()
        custom = self.get("pods", "-o", "custom-columns=NAME:.metadata.name,"
                          "IMAGE:.spec.containers[0].image", "--sort-by=.metadata.name")
        self.assertEqual([columns(l) for l in custom],
                         [["NAME", "IMAGE"], ["api", "nginx:1.25"], ["web", "nginx:1.25"]])
        jp = self.get("pods", "-o", "jsonpath={.items[*].metadata.name}")
        self.assertEqual(sorted(jp[0].split()), ["api", "web"])
        self.assertEqual(sorted(self.get("pods", "-o", "name")), ["pod/api", "pod/web"])

    def test_kind_families(self):
        ns = "/api/v1/namespaces/default"
        apps = "/apis/apps/v1/namespaces/default"
        template = {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "app", "image": "nginx:1.25"}]}}
        self.create(apps + "/deployments",
                    {"metadata": {"name": "web"},
                     "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                              "template": template}},
                    status={"replicas": 3, "readyReplicas": 2, "updatedReplicas": 3,
                            "availableReplicas": 2})
        self.create(ns + "/services",
                    {"metadata": {"name": "web"},
                     "spec": {"type": "NodePort", "clusterIP": "10.43.0.20",
                              "clusterIPs": ["10.43.0.20"], "selector": {"app": "web"},
                              "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}]}})
        self.create(ns + "/services",
                    {"metadata": {"name": "lb"},
                     "spec": {"type": "LoadBalancer", "clusterIP": "10.43.0.21",
                              "clusterIPs": ["10.43.0.21"],
                              "ports": [{"port": 443, "nodePort": 30443, "protocol": "TCP"}]}},
                    status={"loadBalancer": {"ingress": [{"ip": "192.0.2.10"}]}})
        self.create(ns + "/secrets", {"metadata": {"name": "creds"}, "type": "Opaque",
                                      "data": {"user": "YWRtaW4=", "pass": "cw=="}})
        self.create("/api/v1/nodes",
                    {"metadata": {"name": "n1",
                                  "labels": {"node-role.kubernetes.io/control-plane": ""}},
                     "spec": {"unschedulable": True}},
                    status={"conditions": [{"type": "Ready", "status": "True"}],
                            "nodeInfo": {"kubeletVersion": "v1.31.0+tug", "osImage": "Debian",
                                         "kernelVersion": "6.1", "machineID": "",
                                         "systemUUID": "", "bootID": "",
                                         "containerRuntimeVersion": "runc",
                                         "kubeProxyVersion": "", "operatingSystem": "linux",
                                         "architecture": "amd64"},
                            "addresses": [{"type": "InternalIP", "address": "192.168.1.5"}]})
        self.create("/apis/rbac.authorization.k8s.io/v1/clusterroles",
                    {"metadata": {"name": "viewer"}, "rules": []})

        deploy = self.get("deployments")
        self.assertEqual(columns(deploy[0]), ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"])
        self.assertEqual(columns(deploy[1])[:4], ["web", "2/3", "3", "2"])
        wide = self.get("deployments", "-o", "wide")
        self.assertEqual(columns(wide[1])[5:], ["app", "nginx:1.25", "app=web"])

        svcs = {columns(l)[0]: columns(l) for l in self.get("services")}
        self.assertEqual(svcs["NAME"], ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)",
                                        "AGE"])
        self.assertEqual(svcs["web"][1:5], ["NodePort", "10.43.0.20", "<none>", "80:30080/TCP"])
        self.assertEqual(svcs["lb"][1:5], ["LoadBalancer", "10.43.0.21", "192.0.2.10",
                                           "443:30443/TCP"])

        secrets = self.get("secrets", "creds")
        self.assertEqual(columns(secrets[0]), ["NAME", "TYPE", "DATA", "AGE"])
        self.assertEqual(columns(secrets[1])[:3], ["creds", "Opaque", "2"])

        nodes = self.get("nodes", "-o", "wide")
        self.assertEqual(columns(nodes[0])[:5], ["NAME", "STATUS", "ROLES", "AGE", "VERSION"])
        self.assertEqual(columns(nodes[0])[5], "INTERNAL-IP")
        n1 = columns(nodes[1])
        self.assertEqual(n1[:3], ["n1", "Ready,SchedulingDisabled", "control-plane"])
        self.assertEqual(n1[4:6], ["v1.31.0+tug", "192.168.1.5"])

        namespaces = self.get("namespaces")
        self.assertEqual(columns(namespaces[0]), ["NAME", "STATUS", "AGE"])
        self.assertIn("default", [columns(l)[0] for l in namespaces])

        roles = self.get("clusterroles", "viewer")
        self.assertEqual(columns(roles[0]), ["NAME", "CREATED AT"])
        self.assertRegex(columns(roles[1])[1], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

    def test_get_watch_prints_a_row_for_a_change(self):
        self.make_pods()
        proc = subprocess.Popen([KUBECTL, "--kubeconfig", self.server.kubeconfig, "--cache-dir",
                                 os.path.join(self.tmp, "kube-cache"), "--request-timeout",
                                 "30s", "get", "pods", "-w"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=clean_env())

        def stop():
            if proc.poll() is None:
                proc.kill()
            proc.communicate()
        self.addCleanup(stop)
        lines = []
        threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")),
                         daemon=True).start()

        def wait_for(pred, what):
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and proc.poll() is None:
                if any(pred(columns(l)) for l in list(lines)):
                    return
                time.sleep(0.05)
            self.fail("%s not printed: %r %s" % (what, lines, proc.stderr.read()
                                                 if proc.poll() is not None else ""))
        wait_for(lambda c: c[0] == "web", "the listed pod")
        time.sleep(0.5)  # let kubectl open its watch
        self.create("/api/v1/namespaces/default/pods",
                    {"metadata": {"name": "late"},
                     "spec": {"containers": [{"name": "app", "image": "nginx:1.25"}]}})
        wait_for(lambda c: c[0] == "late" and c[1] == "0/1", "the new pod")
        self.assertEqual(sum(1 for l in lines if l.startswith("NAME")), 1, lines)


class NegotiationTest(TableTestCase):
    def test_table_for_get_and_list(self):
        self.create_cm("a", labels={"x": "1"})
        self.create_cm("b")
        code, t = self.request("GET", "/api/v1/namespaces/default/configmaps?limit=1",
                               headers={"Accept": TABLE_ACCEPT})
        self.assertEqual(code, 200, t)
        self.assertEqual((t["kind"], t["apiVersion"]), ("Table", "meta.k8s.io/v1"))
        self.assertEqual([c["name"] for c in t["columnDefinitions"]], ["Name", "Data", "Age"])
        self.assertTrue(t["metadata"]["resourceVersion"])
        self.assertTrue(t["metadata"]["continue"])
        self.assertEqual(len(t["rows"]), 1)
        row = t["rows"][0]
        self.assertEqual(row["cells"][:2], ["a", 1])
        self.assertEqual(row["object"]["kind"], "PartialObjectMetadata")
        self.assertEqual(row["object"]["metadata"]["labels"], {"x": "1"})

        code, one = self.request("GET", "/api/v1/namespaces/default/configmaps/b?includeObject=Object",
                                 headers={"Accept": "application/json;as=Table;v=v1beta1;g=meta.k8s.io"})
        self.assertEqual(code, 200, one)
        self.assertEqual(one["apiVersion"], "meta.k8s.io/v1beta1")
        self.assertEqual(one["rows"][0]["object"]["kind"], "ConfigMap")
        self.assertEqual(one["metadata"]["resourceVersion"],
                         one["rows"][0]["object"]["metadata"]["resourceVersion"])

        code, bad = self.request("GET", "/api/v1/namespaces/default/configmaps?includeObject=All",
                                 headers={"Accept": TABLE_ACCEPT})
        self.assert_status((code, bad), 400, "BadRequest",
                           "Unable to convert to Table as requested: includeObject: Invalid "
                           "value: \"All\": must be 'Metadata', 'Object', 'None', or empty")
        # Errors stay Status objects.
        self.assert_status(self.request("GET", "/api/v1/namespaces/default/configmaps/zz",
                                        headers={"Accept": TABLE_ACCEPT}), 404, "NotFound")

    def test_fall_through_and_not_acceptable(self):
        self.create_cm("a")
        path = "/api/v1/namespaces/default/configmaps"
        for accept, kind in [
                ("application/vnd.kubernetes.protobuf,application/json", "ConfigMapList"),
                ("application/json;as=Table;v=v2;g=meta.k8s.io, */*", "ConfigMapList"),
                ("application/yaml;as=Table;v=v1;g=meta.k8s.io,application/json;q=0.5",
                 "ConfigMapList"),
                ("application/json;q=0.1,application/json;as=Table;v=v1;g=meta.k8s.io", "Table"),
                ("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io",
                 "PartialObjectMetadataList"),
                ("", "ConfigMapList")]:
            code, body = self.request("GET", path, headers={"Accept": accept} if accept else {})
            self.assertEqual((code, body["kind"]), (200, kind), accept)
        self.assert_status(self.request("GET", path, headers={"Accept": "application/yaml"}),
                           406, "NotAcceptable",
                           "only the following media types are accepted: application/json")
        self.assert_status(self.request("GET", path, headers={"Accept": "text/html"}),
                           406, "NotAcceptable")
        code, pom = self.request("GET", path + "/a", headers={
            "Accept": "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io"})
        self.assertEqual((code, pom["kind"], pom["metadata"]["name"]),
                         (200, "PartialObjectMetadata", "a"))
        self.assertNotIn("data", pom)
        self.assert_status(self.request("GET", path, headers={
            "Accept": "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io"}),
            406, "NotAcceptable")
        self.assert_status(self.request("GET", path + "?watch=true", headers={
            "Accept": "application/vnd.kubernetes.protobuf"}), 406, "NotAcceptable")

    def test_watch_sends_one_row_tables(self):
        self.create_cm("first")
        req = urllib.request.Request(
            "https://127.0.0.1:%d/api/v1/namespaces/default/configmaps?watch=true" %
            self.server.port, headers={"Accept": TABLE_ACCEPT})
        resp = urllib.request.urlopen(req, context=self.ctx, timeout=10)
        self.addCleanup(resp.close)
        first = json.loads(resp.readline())
        self.assertEqual(first["type"], "ADDED")
        self.assertEqual(first["object"]["kind"], "Table")
        self.assertEqual(len(first["object"]["columnDefinitions"]), 3)
        self.assertEqual(first["object"]["rows"][0]["cells"][0], "first")
        self.create_cm("second")
        second = json.loads(resp.readline())
        self.assertEqual(second["type"], "ADDED")
        self.assertFalse(second["object"]["columnDefinitions"])
        self.assertEqual(second["object"]["rows"][0]["cells"][0], "second")
        self.assertEqual(second["object"]["metadata"]["resourceVersion"],
                         second["object"]["rows"][0]["object"]["metadata"]["resourceVersion"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
