"""OpenAPI v2/v3 serving and server-side field validation, checked with the real kubectl
(create with its default strict validation, --validate=warn, explain, and kubectl 1.27, which
fetches /openapi/v2 as protobuf) and with Python's HTTPS client for caching headers.

Every server here listens on 127.0.0.1 on a free port and writes its kubeconfig to a
temporary directory.
"""

import http.client
import json
import os
import shutil
import subprocess
import unittest

from test_apiserver import ApiServerTestCase
from test_cli import clean_env, write

KUBECTL = shutil.which("kubectl")
KUBECTL_127 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.27"

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: %s
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
%s"""


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class OpenApiTestCase(ApiServerTestCase):
    def setUp(self):
        super().setUp()
        self.server = self.start()
        self.ctx = self.context()

    def request(self, path, headers=None):
        """(status, headers, body bytes) without following redirects."""
        conn = http.client.HTTPSConnection("127.0.0.1", self.server.port, context=self.ctx,
                                           timeout=20)
        self.addCleanup(conn.close)
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.headers, r.read()

    def run_kubectl(self, *args, binary=None):
        if (binary or KUBECTL) is None or not os.path.exists(binary or KUBECTL):
            self.skipTest("kubectl is not installed")
        cache = os.path.join(self.tmp, "kube-cache")
        return subprocess.run([binary or KUBECTL, "--kubeconfig", self.server.kubeconfig,
                               "--cache-dir", cache, *args],
                              capture_output=True, text=True, timeout=40, env=clean_env())

    def manifest(self, name, extra_container_lines="", spec_extra=""):
        path = os.path.join(self.tmp, name + ".yaml")
        text = DEPLOYMENT % (name, extra_container_lines)
        if spec_extra:
            text = text.replace("  replicas: 2\n", "  replicas: 2\n" + spec_extra)
        write(path, text)
        return path


class DocumentsTest(OpenApiTestCase):
    def test_index_lists_every_group_version_with_a_hash(self):
        code, headers, body = self.request("/openapi/v3", {"Accept": "application/json"})
        self.assertEqual(code, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        paths = json.loads(body)["paths"]
        self.assertIn("api/v1", paths)
        self.assertIn("apis/apps/v1", paths)
        url = paths["apis/apps/v1"]["serverRelativeURL"]
        self.assertRegex(url, r"^/openapi/v3/apis/apps/v1\?hash=[0-9A-F]{128}$")

    def test_document_caching_headers_redirect_and_304(self):
        index = json.loads(self.request("/openapi/v3")[2])["paths"]
        url = index["apis/apps/v1"]["serverRelativeURL"]
        digest = url.split("hash=")[1]
        code, headers, body = self.request(url, {"Accept": "application/json"})
        self.assertEqual(code, 200)
        self.assertEqual(headers["Cache-Control"], "public, immutable")
        self.assertEqual(headers["ETag"], '"%s"' % digest)
        self.assertEqual(headers["Vary"], "Accept")
        self.assertRegex(headers["Expires"], r"^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$")
        doc = json.loads(body)
        op = doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
        self.assertEqual(op["x-kubernetes-group-version-kind"],
                         {"group": "apps", "version": "v1", "kind": "Deployment"})
        self.assertIn("fieldValidation", [p["name"] for p in op["parameters"]])
        self.assertIn("io.k8s.api.apps.v1.Deployment", doc["components"]["schemas"])

        code, headers, body = self.request(url, {"If-None-Match": '"%s"' % digest})
        self.assertEqual(code, 304)
        self.assertEqual(body, b"")

        code, headers, _ = self.request("/openapi/v3/apis/apps/v1?hash=0123ABCD")
        self.assertEqual(code, 301)
        self.assertEqual(headers["Location"], url)

        # Without a hash: the document, but no promise that it never changes.
        code, headers, _ = self.request("/openapi/v3/apis/apps/v1")
        self.assertEqual(code, 200)
        self.assertIsNone(headers["Cache-Control"])

        code, _, body = self.request("/openapi/v3/apis/nosuch.io/v1")
        self.assertEqual(code, 404)
        self.assertEqual(json.loads(body)["reason"], "NotFound")

    def test_v2_is_the_minimal_protobuf_whatever_the_accept(self):
        for accept in ("application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
                       "application/json", ""):
            code, headers, body = self.request("/openapi/v2", {"Accept": accept})
            self.assertEqual(code, 200)
            self.assertEqual(headers["Content-Type"],
                             "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
            self.assertEqual(body, b"\x0a\x03\x32\x2e\x30")

    def test_anonymous_requests_are_refused(self):
        self.ctx = self.context(client_cert=False)
        self.assertEqual(self.request("/openapi/v3")[0], 401)


class KubectlTest(OpenApiTestCase):
    def test_create_with_default_validation_then_explain(self):
        r = self.run_kubectl("create", "-f", self.manifest("web"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("deployment.apps/web created", r.stdout)
        self.assertEqual(r.stderr, "")

        r = self.run_kubectl("explain", "pod.spec.containers")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("FIELD: containers <[]Container>", r.stdout)
        self.assertIn("image\t<string>", r.stdout)
        r = self.run_kubectl("explain", "deployment.spec.strategy")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("FIELD: strategy <DeploymentStrategy>", r.stdout)
        self.assertIn("rollingUpdate\t<RollingUpdateDeployment>", r.stdout)
        print("\nRSS after create -f and explain: %d KiB" % rss_kib(self.server.proc.pid))

    def test_unknown_field_is_refused_by_default(self):
        path = self.manifest("bad", "        foo: bar\n", spec_extra="  bogus: 1\n")
        r = self.run_kubectl("create", "-f", path)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('strict decoding error: unknown field "spec.bogus", '
                      'unknown field "spec.template.spec.containers[0].foo"', r.stderr)
        self.assertIn("NotFound", self.run_kubectl("get", "deployment", "bad").stderr)

    def test_validate_warn_prints_the_warning_and_prunes(self):
        path = self.manifest("warned", spec_extra="  bogus: 1\n")
        r = self.run_kubectl("create", "--validate=warn", "-f", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('Warning: unknown field "spec.bogus"', r.stderr)
        r = self.run_kubectl("get", "deployment", "warned", "-o", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("bogus", json.loads(r.stdout)["spec"])

    def test_validate_false_ignores(self):
        path = self.manifest("ignored", spec_extra="  bogus: 1\n")
        r = self.run_kubectl("create", "--validate=false", "-f", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("Warning", r.stderr)

    def test_kubectl_127_creates_with_v2_protobuf(self):
        if not os.path.exists(KUBECTL_127):
            self.skipTest("kubectl 1.27 is not installed")
        r = self.run_kubectl("create", "-f", self.manifest("old"), binary=KUBECTL_127)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("deployment.apps/old created", r.stdout)


if __name__ == "__main__":
    unittest.main()
