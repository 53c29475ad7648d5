"""Request bodies in protobuf and YAML: kubectl 1.32+ sends `create <generator>` objects as
application/vnd.kubernetes.protobuf, and the server must store what kubectl meant. YAML and
bad bodies are posted with Python's HTTPS client for exact codes.

Every server here listens on 127.0.0.1 on a free port, in a temporary directory.
"""

import base64
import json
import os
import subprocess
import unittest
import urllib.error
import urllib.request

from test_apiserver import ApiServerTestCase
from test_cli import clean_env

KUBECTLS = [k for k in ("/usr/bin/kubectl", "/usr/lib/google-cloud-sdk/bin/kubectl.1.33")
            if os.path.exists(k)]


class ProtobufTestCase(ApiServerTestCase):
    @classmethod
    def setUpClass(cls):
        if not KUBECTLS:
            raise unittest.SkipTest("no kubectl 1.32+ is installed")

    def setUp(self):
        super().setUp()
        self.server = self.start()
        self.ctx = self.context()

    def call(self, method, path, raw, content_type):
        req = urllib.request.Request("https://127.0.0.1:%d%s" % (self.server.port, path),
                                     data=raw, method=method)
        req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def run_kubectl(self, binary, *args):
        cache = os.path.join(self.tmp, "kube-cache")
        r = subprocess.run([binary, "--kubeconfig", self.server.kubeconfig, "--cache-dir", cache,
                            *args], capture_output=True, text=True, timeout=30, env=clean_env())
        self.assertEqual(r.returncode, 0, "%s %s:\n%s%s" % (binary, " ".join(args), r.stdout,
                                                            r.stderr))
        return r.stdout

    def get_json(self, binary, *args):
        return json.loads(self.run_kubectl(binary, "get", *args, "-o", "json"))


class KubectlCreateTest(ProtobufTestCase):
    def check_generators(self, binary, ns, suffix):
        k = lambda *args: self.run_kubectl(binary, *args)
        k("create", "namespace", ns)
        self.assertEqual(self.get_json(binary, "namespace", ns)["status"]["phase"], "Active")

        k("create", "configmap", "cm1", "-n", ns, "--from-literal=a=b", "--from-literal=n=1")
        cm = self.get_json(binary, "configmap", "cm1", "-n", ns)
        self.assertEqual(cm["data"], {"a": "b", "n": "1"})
        self.assertEqual(cm["metadata"]["namespace"], ns)

        k("create", "secret", "generic", "s1", "-n", ns, "--from-literal=password=s3cr\u00e9t")
        secret = self.get_json(binary, "secret", "s1", "-n", ns)
        self.assertEqual(base64.b64decode(secret["data"]["password"]).decode(), "s3cr\u00e9t")
        self.assertEqual(secret["type"], "Opaque")

        k("create", "deployment", "web", "-n", ns, "--image=nginx", "--replicas=2", "--port=80")
        dep = self.get_json(binary, "deployment", "web", "-n", ns)
        self.assertEqual(dep["spec"]["replicas"], 2)
        self.assertEqual(dep["spec"]["selector"], {"matchLabels": {"app": "web"}})
        container = dep["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual((container["name"], container["image"]), ("nginx", "nginx"))
        self.assertEqual(container["ports"][0]["containerPort"], 80)
        self.assertEqual(dep["spec"]["template"]["metadata"]["labels"], {"app": "web"})

        k("create", "serviceaccount", "sa1", "-n", ns)
        self.assertEqual(self.get_json(binary, "serviceaccount", "sa1", "-n", ns)["kind"],
                         "ServiceAccount")

        k("create", "job", "j1", "-n", ns, "--image=busybox", "--", "echo", "hi")
        job = self.get_json(binary, "job", "j1", "-n", ns)
        pod = job["spec"]["template"]["spec"]
        self.assertEqual(pod["restartPolicy"], "Never")
        self.assertEqual(pod["containers"][0]["command"], ["echo", "hi"])

        k("create", "cronjob", "cj1", "-n", ns, "--image=busybox", "--schedule=*/5 * * * *")
        cj = self.get_json(binary, "cronjob", "cj1", "-n", ns)
        self.assertEqual(cj["spec"]["schedule"], "*/5 * * * *")
        self.assertEqual(
            cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["image"],
            "busybox")

        k("create", "role", "r1", "-n", ns, "--verb=get,list", "--resource=pods")
        role = self.get_json(binary, "role", "r1", "-n", ns)
        self.assertEqual(role["rules"], [{"apiGroups": [""], "resources": ["pods"],
                                          "verbs": ["get", "list"]}])

        k("create", "rolebinding", "rb1", "-n", ns, "--role=r1", "--user=alice")
        rb = self.get_json(binary, "rolebinding", "rb1", "-n", ns)
        self.assertEqual(rb["roleRef"], {"apiGroup": "rbac.authorization.k8s.io",
                                         "kind": "Role", "name": "r1"})
        self.assertEqual(rb["subjects"][0]["name"], "alice")

        k("create", "priorityclass", "pc-" + suffix, "--value=100", "--description=test")
        pc = self.get_json(binary, "priorityclass", "pc-" + suffix)
        self.assertEqual((pc["value"], pc["description"]), (100, "test"))

        k("create", "service", "clusterip", "svc1", "-n", ns, "--tcp=80:8080")
        svc = self.get_json(binary, "service", "svc1", "-n", ns)
        port = svc["spec"]["ports"][0]
        self.assertEqual((port["port"], port["targetPort"], port["protocol"]), (80, 8080, "TCP"))

        k("create", "quota", "q1", "-n", ns, "--hard=pods=10,cpu=2")
        quota = self.get_json(binary, "resourcequota", "q1", "-n", ns)
        self.assertEqual(quota["spec"]["hard"], {"pods": "10", "cpu": "2"})

    def test_create_generators(self):
        for binary in KUBECTLS:
            version = "133" if binary.endswith("1.33") else "default"
            with self.subTest(kubectl=binary):
                self.check_generators(binary, "pb-" + version, version)


class BodyTypesTest(ProtobufTestCase):
    PATH = "/api/v1/namespaces/default/configmaps"

    def test_yaml_body_is_created(self):
        yaml = (b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n"
                b"  labels: {tier: \"1\"}\ndata:\n  enabled: \"true\"\n  note: |\n    two\n"
                b"    lines\n")
        code, body = self.call("POST", self.PATH, yaml, "application/yaml")
        self.assertEqual(code, 201, body)
        self.assertEqual(body["data"], {"enabled": "true", "note": "two\nlines\n"})
        self.assertEqual(body["metadata"]["labels"], {"tier": "1"})
        got = self.get_json(KUBECTLS[0], "configmap", "from-yaml")
        self.assertEqual(got["data"], body["data"])

        # PUT takes YAML too.
        update = yaml.replace(b"two", b"three")
        code, body = self.call("PUT", self.PATH + "/from-yaml", update, "application/yaml")
        self.assertEqual(code, 200, body)
        self.assertEqual(body["data"]["note"], "three\nlines\n")

    def test_bad_bodies(self):
        code, body = self.call("POST", self.PATH, b"metadata: [1\n", "application/yaml")
        self.assertEqual((code, body["reason"]), (400, "BadRequest"), body)
        self.assertIn("error converting YAML to JSON", body["message"])

        code, body = self.call("POST", self.PATH, b"k8s\0\x0a\x7f\x0a",
                               "application/vnd.kubernetes.protobuf")
        self.assertEqual((code, body["reason"]), (400, "BadRequest"), body)

        code, body = self.call("POST", self.PATH, b"not protobuf",
                               "application/vnd.kubernetes.protobuf")
        self.assertEqual((code, body["reason"]), (400, "BadRequest"), body)

        code, body = self.call("POST", self.PATH, b"a=b", "text/plain")
        self.assertEqual((code, body["reason"]), (415, "UnsupportedMediaType"), body)
        self.assertEqual(body["message"],
                         "the body of the request was in an unknown format - accepted media "
                         "types include: application/json, application/yaml, "
                         "application/vnd.kubernetes.protobuf")
        # The server is still up and serving.
        self.assertEqual(self.get_json(KUBECTLS[0], "namespace", "default")["kind"], "Namespace")


if __name__ == "__main__":
    unittest.main()
