"""Discovery: /api, /apis and the group version documents, legacy and aggregated, checked
with real kubectl (oldest and newest installed) and Python's own HTTPS client.

One server on 127.0.0.1 (free port, kubeconfig in a temporary directory) serves every test
here; discovery is read-only, so the tests cannot disturb each other.
"""

import json
import os
import re
import shutil
import ssl
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.request

from test_cli import Server, TUG, clean_env, write

SERVING = re.compile(r"serving HTTPS on 127\.0\.0\.1:(\d+)")
STARTED = re.compile(r"INFO  server: started in \d+ms")
KUBECTL_DIR = "/usr/lib/google-cloud-sdk/bin"
V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"


def kubectl_versions():
    """The installed kubectl.1.XX binaries, oldest first."""
    found = []
    if os.path.isdir(KUBECTL_DIR):
        for name in os.listdir(KUBECTL_DIR):
            m = re.fullmatch(r"kubectl\.1\.(\d+)", name)
            if m:
                found.append((int(m.group(1)), os.path.join(KUBECTL_DIR, name)))
    return [path for _, path in sorted(found)]


def oldest_and_newest():
    found = kubectl_versions()
    if not found:
        plain = shutil.which("kubectl")
        return [plain] if plain else []
    return sorted(set([found[0], found[-1]]))


class DiscoveryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tug-discovery-test-")
        config = os.path.join(cls.tmp, "config.yaml")
        write(config, "")
        data = os.path.join(cls.tmp, "data")
        cls.tls = os.path.join(data, "server", "tls")
        cls.server = Server(cls.tmp, "-c", config, "-d", data)
        try:
            log = cls.server.wait_for(STARTED)
        except BaseException:
            cls.server.kill()
            shutil.rmtree(cls.tmp, ignore_errors=True)
            raise
        cls.port = int(SERVING.search(log).group(1))

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def context(self, client_cert=True):
        ctx = ssl.create_default_context(cafile=os.path.join(self.tls, "server-ca.crt"))
        if client_cert:
            ctx.load_cert_chain(os.path.join(self.tls, "client-admin.crt"),
                                os.path.join(self.tls, "client-admin.key"))
        return ctx

    def get(self, path, accept=None, client_cert=True):
        """Returns (code, content type, parsed body) without raising on HTTP errors."""
        headers = {"Accept": accept} if accept is not None else {}
        req = urllib.request.Request("https://127.0.0.1:%d%s" % (self.port, path),
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, context=self.context(client_cert),
                                        timeout=10) as r:
                return r.status, r.headers.get("Content-Type"), json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type"), json.loads(e.read())

    def kubectl(self, binary, *args):
        # A fresh cache per run: kubectl keeps discovery for hours.
        cache = tempfile.mkdtemp(dir=self.tmp, prefix="kubectl-cache-")
        r = subprocess.run([binary, "--kubeconfig", self.server.kubeconfig, "--cache-dir",
                            cache, *args], capture_output=True, text=True, timeout=60,
                           env=clean_env())
        self.assertEqual(r.returncode, 0, "%s %s: %s" % (binary, args, r.stderr))
        return r.stdout

    def kubectls(self):
        found = oldest_and_newest()
        if not found:
            self.skipTest("kubectl is not installed")
        return found

    # Legacy documents, straight from the wire.

    def test_api_versions_document(self):
        for path in ["/api", "/api/"]:
            code, ctype, body = self.get(path)
            self.assertEqual((code, ctype), (200, "application/json"), path)
            self.assertEqual(body["kind"], "APIVersions")
            self.assertEqual(body["versions"], ["v1"])
            self.assertEqual(body["serverAddressByClientCIDRs"],
                             [{"clientCIDR": "0.0.0.0/0",
                               "serverAddress": "127.0.0.1:%d" % self.port}])

    def test_group_list_and_group(self):
        code, ctype, body = self.get("/apis", "application/json")
        self.assertEqual((code, ctype), (200, "application/json"))
        self.assertEqual(body["kind"], "APIGroupList")
        names = [g["name"] for g in body["groups"]]
        self.assertEqual(names[:3], ["apiregistration.k8s.io", "apps", "events.k8s.io"])
        self.assertNotIn("resource.k8s.io", names)  # alpha only
        for g in body["groups"]:
            self.assertIn(g["preferredVersion"], g["versions"])
            self.assertEqual(g["preferredVersion"], g["versions"][0])
        code, _, group = self.get("/apis/autoscaling/")
        self.assertEqual(code, 200)
        self.assertEqual(group["kind"], "APIGroup")
        self.assertEqual(group["preferredVersion"],
                         {"groupVersion": "autoscaling/v2", "version": "v2"})
        self.assertEqual([v["version"] for v in group["versions"]], ["v2", "v1"])

    def test_resource_lists(self):
        code, _, core = self.get("/api/v1", "application/json, */*")
        self.assertEqual(code, 200)
        self.assertEqual((core["kind"], core["groupVersion"]), ("APIResourceList", "v1"))
        byname = {r["name"]: r for r in core["resources"]}
        self.assertEqual(byname["pods"]["shortNames"], ["po"])
        self.assertEqual((byname["pods/eviction"]["group"], byname["pods/eviction"]["version"]),
                         ("policy", "v1"))
        code, _, apps = self.get("/apis/apps/v1/")
        self.assertEqual(code, 200)
        self.assertIn("deployments/scale", [r["name"] for r in apps["resources"]])

    def test_unknown_groups_and_versions_are_404_status(self):
        for path in ["/apis/example.com", "/apis/example.com/v1", "/apis/apps/v1beta1",
                     "/api/v2", "/apis/resource.k8s.io/v1alpha3"]:
            code, ctype, status = self.get(path)
            self.assertEqual((code, ctype), (404, "application/json"), path)
            self.assertEqual(status["kind"], "Status")
            self.assertEqual(status["reason"], "NotFound")
            self.assertEqual(status["message"],
                             "the server could not find the requested resource")

    def test_discovery_needs_authentication(self):
        code, _, status = self.get("/apis", client_cert=False)
        self.assertEqual((code, status["reason"]), (401, "Unauthorized"))

    # Content negotiation.

    def test_aggregated_discovery_v2_and_v2beta1(self):
        kubectl133 = V2 + "," + V2BETA1 + ",application/json"
        kubectl127 = V2BETA1 + ",application/json"
        for accept, ctype, api_version in [
                (kubectl133, V2, "apidiscovery.k8s.io/v2"),
                (kubectl127, V2BETA1, "apidiscovery.k8s.io/v2beta1")]:
            code, got_ctype, core = self.get("/api", accept)
            self.assertEqual((code, got_ctype), (200, ctype))
            self.assertEqual((core["kind"], core["apiVersion"]),
                             ("APIGroupDiscoveryList", api_version))
            self.assertEqual([i["metadata"]["name"] for i in core["items"]], [""])
            code, got_ctype, groups = self.get("/apis", accept)
            self.assertEqual((code, got_ctype), (200, ctype))
            apps = next(i for i in groups["items"] if i["metadata"]["name"] == "apps")
            version = apps["versions"][0]
            self.assertEqual((version["version"], version["freshness"]), ("v1", "Current"))
            deploy = next(r for r in version["resources"] if r["resource"] == "deployments")
            self.assertEqual(deploy["scope"], "Namespaced")
            self.assertEqual(deploy["shortNames"], ["deploy"])
            self.assertEqual(deploy["subresources"][0]["responseKind"],
                             {"group": "autoscaling", "version": "v1", "kind": "Scale"})
        # Aggregated documents exist only for /api and /apis; elsewhere JSON is the fallback.
        code, ctype, _ = self.get("/apis/apps/v1", kubectl133)
        self.assertEqual((code, ctype), (200, "application/json"))

    def test_aggregated_discovery_etag(self):
        def fetch(path, etag=None):
            headers = {"Accept": V2}
            if etag is not None:
                headers["If-None-Match"] = etag
            req = urllib.request.Request("https://127.0.0.1:%d%s" % (self.port, path),
                                         headers=headers)
            try:
                with urllib.request.urlopen(req, context=self.context(), timeout=10) as r:
                    return r.status, r.headers, r.read()
            except urllib.error.HTTPError as e:
                return e.code, e.headers, e.read()

        code, headers, body = fetch("/apis")
        self.assertEqual(code, 200)
        etag = headers.get("ETag")
        self.assertRegex(etag, r'^"[0-9a-fA-F]{128}"$')
        self.assertEqual(headers.get("Cache-Control"), "public")
        self.assertEqual(fetch("/apis")[1].get("ETag"), etag)  # the same document, the same tag
        code, headers, body = fetch("/apis", etag)
        self.assertEqual((code, body), (304, b""))
        self.assertEqual(headers.get("ETag"), etag)
        # Another document, another tag; a stale tag gets the whole document.
        core_etag = fetch("/api")[1].get("ETag")
        self.assertNotEqual(core_etag, etag)
        code, _, body = fetch("/api", etag)
        self.assertEqual(code, 200)
        self.assertEqual(json.loads(body)["kind"], "APIGroupDiscoveryList")
        # Legacy documents carry no tag.
        req = urllib.request.Request("https://127.0.0.1:%d/apis" % self.port)
        with urllib.request.urlopen(req, context=self.context(), timeout=10) as r:
            self.assertIsNone(r.headers.get("ETag"))

    def test_not_acceptable(self):
        code, ctype, status = self.get("/apis", "application/vnd.kubernetes.protobuf")
        self.assertEqual((code, ctype), (406, "application/json"))
        self.assertEqual((status["kind"], status["reason"], status["code"]),
                         ("Status", "NotAcceptable", 406))
        code, _, _ = self.get("/apis/apps/v1", V2)
        self.assertEqual(code, 406)
        code, ctype, body = self.get("/api/v1",
                                     "application/vnd.kubernetes.protobuf,application/json")
        self.assertEqual((code, ctype, body["kind"]), (200, "application/json",
                                                       "APIResourceList"))

    # Real kubectl.

    def test_kubectl_api_versions(self):
        for kubectl in self.kubectls():
            lines = self.kubectl(kubectl, "api-versions").split()
            self.assertIn("v1", lines, kubectl)
            self.assertIn("apps/v1", lines, kubectl)
            self.assertIn("autoscaling/v2", lines, kubectl)
            self.assertIn("autoscaling/v1", lines, kubectl)
            self.assertEqual(len(lines), 21, kubectl)
            self.assertFalse([line for line in lines if "alpha" in line or "beta" in line])

    def test_kubectl_api_resources(self):
        for kubectl in self.kubectls():
            out = self.kubectl(kubectl, "api-resources")
            rows = [line.split() for line in out.splitlines()[1:]]
            self.assertIn(["pods", "po", "v1", "true", "Pod"], rows, kubectl)
            self.assertIn(["deployments", "deploy", "apps/v1", "true", "Deployment"], rows,
                          kubectl)
            self.assertIn(["namespaces", "ns", "v1", "false", "Namespace"], rows, kubectl)
            self.assertIn(["bindings", "v1", "true", "Binding"], rows, kubectl)
            # The preferred version only, and no subresources.
            self.assertIn(["horizontalpodautoscalers", "hpa", "autoscaling/v2", "true",
                           "HorizontalPodAutoscaler"], rows, kubectl)
            self.assertFalse([r for r in rows if "/" in r[0]], kubectl)

    def test_kubectl_api_resources_of_one_group(self):
        for kubectl in self.kubectls():
            names = self.kubectl(kubectl, "api-resources", "--api-group=apps",
                                 "-o", "name").split()
            self.assertEqual(names, ["controllerrevisions.apps", "daemonsets.apps",
                                     "deployments.apps", "replicasets.apps",
                                     "statefulsets.apps"], kubectl)

    def test_kubectl_get_raw(self):
        kubectl = self.kubectls()[-1]
        body = json.loads(self.kubectl(kubectl, "get", "--raw", "/apis/apps/v1"))
        self.assertEqual((body["kind"], body["groupVersion"]), ("APIResourceList", "apps/v1"))
        deploy = next(r for r in body["resources"] if r["name"] == "deployments")
        self.assertEqual(deploy["categories"], ["all"])
        body = json.loads(self.kubectl(kubectl, "get", "--raw", "/api"))
        self.assertEqual(body["kind"], "APIVersions")


if __name__ == "__main__":
    if not TUG or not os.access(TUG, os.X_OK):
        raise SystemExit("TUG_BIN must name the tug executable")
    unittest.main(verbosity=2)
