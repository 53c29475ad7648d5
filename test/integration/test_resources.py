"""The REST verbs on built-in resources: get, list, create, update, delete and the status
subresource, checked with the real kubectl (where it needs no OpenAPI) and with Python's own
HTTPS client for exact status codes and Status bodies.

Every server here listens on 127.0.0.1 on a free port and writes its kubeconfig to a
temporary directory.
"""

import gzip
import json
import os
import shutil
import subprocess
import time
import unittest
import urllib.error
import urllib.request

from test_apiserver import API_ONLY, ApiServerTestCase
from test_cli import TUG, clean_env, write

KUBECTL = shutil.which("kubectl")
# kubectl 1.32+ sends protobuf bodies from `create configmap`; 1.31 sends JSON.
KUBECTL_JSON = "/usr/lib/google-cloud-sdk/bin/kubectl.1.31"


class ResourcesTestCase(ApiServerTestCase):
    server_args = ()

    def setUp(self):
        super().setUp()
        self.server = self.start(*self.server_args)
        self.ctx = self.context()

    def call(self, method, path, body=None, raw=None, content_type="application/json"):
        """Returns (code, decoded JSON body) without raising on HTTP errors."""
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        req = urllib.request.Request("https://127.0.0.1:%d%s" % (self.server.port, path),
                                     data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, context=self.ctx, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    # How long wait_until waits by default; suites whose controllers take longer raise it.
    wait_timeout = 15

    def wait_until(self, check, what, timeout=None):
        """Polls `check` until it returns something true, and returns that; fails with the
        last result after `timeout` seconds."""
        deadline = time.monotonic() + (timeout or self.wait_timeout)
        last = None
        while time.monotonic() < deadline:
            last = check()
            if last:
                return last
            time.sleep(0.1)
        self.fail("timed out waiting for %s (last: %r)" % (what, last))

    def assert_status(self, reply, code, reason, message=None):
        got_code, body = reply
        self.assertEqual(got_code, code, body)
        self.assertEqual(body["kind"], "Status")
        self.assertEqual(body["code"], code)
        self.assertEqual(body["reason"], reason)
        if message is not None:
            self.assertEqual(body["message"], message)
        return body

    def create_cm(self, name, ns="default", labels=None):
        code, body = self.call("POST", "/api/v1/namespaces/%s/configmaps" % ns,
                               {"apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": {"name": name, "labels": labels or {}},
                                "data": {"k": "v"}})
        self.assertEqual(code, 201, body)
        return body

    def kubectl(self, *args, binary=None):
        cache = os.path.join(self.tmp, "kube-cache")
        return subprocess.run([binary or KUBECTL, "--kubeconfig", self.server.kubeconfig,
                               "--cache-dir", cache, *args],
                              capture_output=True, text=True, timeout=30, env=clean_env())

    def require_kubectl(self):
        if KUBECTL is None:
            self.skipTest("kubectl is not installed")
        # kubectl resolves resource names through discovery, which another installer serves.
        if self.call("GET", "/api/v1/")[0] != 200 or self.call("GET", "/api")[0] != 200:
            self.skipTest("discovery is not served yet")


class HttpTest(ResourcesTestCase):
    # Objects are read back as written: no controller may act on them (a ReplicaSet's status).
    control_plane_args = API_ONLY

    def test_standard_namespaces_exist(self):
        code, body = self.call("GET", "/api/v1/namespaces")
        self.assertEqual(code, 200)
        self.assertEqual(body["kind"], "NamespaceList")
        names = [n["metadata"]["name"] for n in body["items"]]
        self.assertEqual(names, ["default", "kube-node-lease", "kube-public", "kube-system"])

    def test_create_get_and_errors(self):
        created = self.create_cm("a")
        meta = created["metadata"]
        self.assertRegex(meta["uid"], r"^[0-9a-f-]{36}$")
        self.assertRegex(meta["creationTimestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(meta["namespace"], "default")
        code, got = self.call("GET", "/api/v1/namespaces/default/configmaps/a")
        self.assertEqual((code, got), (200, created))

        body = self.assert_status(self.call("GET", "/api/v1/namespaces/default/configmaps/b"),
                                  404, "NotFound", 'configmaps "b" not found')
        self.assertEqual(body["details"], {"name": "b", "kind": "configmaps"})
        self.assert_status(self.call("GET", "/apis/apps/v1/namespaces/default/deployments/x"),
                           404, "NotFound", 'deployments.apps "x" not found')
        self.assert_status(self.call("POST", "/api/v1/namespaces/default/configmaps",
                                     {"metadata": {"name": "a"}}),
                           409, "AlreadyExists", 'configmaps "a" already exists')
        self.assert_status(self.call("POST", "/api/v1/namespaces/nope/configmaps",
                                     {"metadata": {"name": "a"}}),
                           404, "NotFound", 'namespaces "nope" not found')
        self.assert_status(self.call("POST", "/api/v1/namespaces/default/configmaps",
                                     {"metadata": {"name": "a", "namespace": "other"}}),
                           400, "BadRequest",
                           "the namespace of the provided object does not match the "
                           "namespace sent on the request")
        self.assert_status(self.call("POST", "/api/v1/namespaces/default/configmaps",
                                     raw=b"{not json"), 400, "BadRequest")
        self.assert_status(self.call("POST", "/api/v1/namespaces/default/configmaps",
                                     {"data": {}}), 422, "Invalid")

    def test_unknown_resources_scope_and_verbs(self):
        self.assert_status(self.call("GET", "/api/v1/nosuch"), 404, "NotFound")
        self.assert_status(self.call("GET", "/apis/nosuch.io/v1/things"), 404, "NotFound")
        self.assert_status(self.call("GET", "/api/v1/namespaces/default/nodes"), 404, "NotFound")
        self.assert_status(self.call("GET", "/api/v1/namespaces/default/pods/x/nosuch"),
                           404, "NotFound")
        # componentstatuses offer only get and list.
        self.assert_status(self.call("POST", "/api/v1/componentstatuses",
                                     {"metadata": {"name": "c"}}),
                           405, "MethodNotAllowed",
                           'create is not supported on resources of kind "componentstatuses"')
        self.assert_status(self.call("POST", "/api/v1/namespaces/default/configmaps/a", {}),
                           405, "MethodNotAllowed")

    def test_list_paging_and_selectors(self):
        for i in range(5):
            self.create_cm("cm%d" % i, labels={"parity": "even" if i % 2 == 0 else "odd"})
        code, page = self.call("GET", "/api/v1/namespaces/default/configmaps?limit=2")
        self.assertEqual(code, 200)
        self.assertEqual(page["kind"], "ConfigMapList")
        self.assertEqual(len(page["items"]), 2)
        self.assertEqual(page["metadata"]["remainingItemCount"], 3)
        names = [i["metadata"]["name"] for i in page["items"]]
        token = page["metadata"]["continue"]
        while token:
            code, page = self.call("GET", "/api/v1/namespaces/default/configmaps?limit=2&continue="
                                   + urllib.request.quote(token))
            self.assertEqual(code, 200, page)
            names += [i["metadata"]["name"] for i in page["items"]]
            token = page["metadata"].get("continue")
        self.assertEqual(names, ["cm0", "cm1", "cm2", "cm3", "cm4"])

        code, odd = self.call("GET", "/api/v1/configmaps?labelSelector=parity%3Dodd")
        self.assertEqual([i["metadata"]["name"] for i in odd["items"]], ["cm1", "cm3"])
        code, notodd = self.call("GET", "/api/v1/configmaps?labelSelector=parity!%3Dodd")
        self.assertEqual(len(notodd["items"]), 3)
        code, inset = self.call("GET", "/api/v1/namespaces/default/configmaps?labelSelector="
                                + urllib.request.quote("parity in (odd),!missing"))
        self.assertEqual(len(inset["items"]), 2)
        code, byname = self.call("GET", "/api/v1/configmaps?fieldSelector=metadata.name%3Dcm2")
        self.assertEqual([i["metadata"]["name"] for i in byname["items"]], ["cm2"])
        self.assert_status(self.call("GET", "/api/v1/configmaps?fieldSelector=spec.x%3D1"),
                           400, "BadRequest", "field label not supported: spec.x")
        code, empty = self.call("GET", "/api/v1/namespaces/kube-public/configmaps")
        self.assertEqual(empty["items"], [])

    def raw_get(self, path, encoding=None):
        """Returns (headers, body bytes) of a GET, sending Accept-Encoding when given."""
        req = urllib.request.Request("https://127.0.0.1:%d%s" % (self.server.port, path))
        if encoding is not None:
            req.add_header("Accept-Encoding", encoding)
        with urllib.request.urlopen(req, context=self.ctx, timeout=10) as r:
            return r.headers, r.read()

    def test_large_responses_are_gzipped_when_accepted(self):
        # About 200 KiB of list, above the 128 KiB from which upstream compresses.
        for i in range(40):
            code, body = self.call("POST", "/api/v1/namespaces/default/configmaps",
                                   {"metadata": {"name": "big%02d" % i},
                                    "data": {"blob": "%05d" % i * 1000}})
            self.assertEqual(code, 201, body)
        path = "/api/v1/namespaces/default/configmaps"
        headers, plain = self.raw_get(path)
        self.assertIsNone(headers.get("Content-Encoding"))
        self.assertGreater(len(plain), 128 * 1024)
        headers, packed = self.raw_get(path, "deflate, gzip")
        self.assertEqual(headers.get("Content-Encoding"), "gzip")
        self.assertEqual(headers.get("Vary"), "Accept-Encoding")
        self.assertLess(len(packed), len(plain) // 4)
        self.assertEqual(gzip.decompress(packed), plain)
        # Small bodies, and encodings other than gzip, go as they are.
        headers, one = self.raw_get(path + "/big00", "gzip")
        self.assertIsNone(headers.get("Content-Encoding"))
        self.assertEqual(json.loads(one)["metadata"]["name"], "big00")
        headers, _ = self.raw_get(path, "br")
        self.assertIsNone(headers.get("Content-Encoding"))

    def test_resource_version_semantics(self):
        first = self.create_cm("a")
        rv = first["metadata"]["resourceVersion"]
        self.create_cm("b")
        code, exact = self.call("GET", "/api/v1/namespaces/default/configmaps?resourceVersion=%s"
                                "&resourceVersionMatch=Exact" % rv)
        self.assertEqual(code, 200, exact)
        self.assertEqual(exact["metadata"]["resourceVersion"], rv)
        self.assertEqual([i["metadata"]["name"] for i in exact["items"]], ["a"])
        code, latest = self.call("GET", "/api/v1/namespaces/default/configmaps?resourceVersion=0")
        self.assertEqual(len(latest["items"]), 2)
        self.assert_status(self.call("GET", "/api/v1/configmaps?resourceVersion=999999"),
                           504, "Timeout")
        self.assert_status(self.call("GET", "/api/v1/configmaps?resourceVersionMatch=Exact"),
                           400, "BadRequest")

    def test_update_conflict_and_status(self):
        created = self.create_cm("a")
        created["data"]["k"] = "w"
        path = "/api/v1/namespaces/default/configmaps/a"
        code, updated = self.call("PUT", path, created)
        self.assertEqual(code, 200, updated)
        self.assertEqual(updated["metadata"]["uid"], created["metadata"]["uid"])
        self.assert_status(self.call("PUT", path, created), 409, "Conflict",
                           'Operation cannot be fulfilled on configmaps "a": the object has been '
                           'modified; please apply your changes to the latest version and try '
                           'again')
        self.assert_status(self.call("PUT", "/api/v1/namespaces/default/configmaps/zz",
                                     {"metadata": {"name": "zz"}}), 404, "NotFound")

        rs = {"metadata": {"name": "r"},
              "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "r"}},
                       "template": {"metadata": {"labels": {"app": "r"}},
                                    "spec": {"containers": [{"name": "c", "image": "busybox"}]}}},
              "status": {"replicas": 0}}
        code, rs = self.call("POST", "/apis/apps/v1/namespaces/default/replicasets", rs)
        self.assertEqual(code, 201, rs)
        rs["status"]["replicas"] = 3
        code, rs = self.call("PUT", "/apis/apps/v1/namespaces/default/replicasets/r/status", rs)
        self.assertEqual(code, 200, rs)
        self.assertEqual(rs["status"]["replicas"], 3)
        code, got = self.call("GET", "/apis/apps/v1/namespaces/default/replicasets/r/status")
        self.assertEqual(got["status"]["replicas"], 3)

    def test_delete_preconditions_finalizers_and_collection(self):
        self.create_cm("a", labels={"k": "v"})
        self.create_cm("b", labels={"k": "v"})
        self.create_cm("c")
        path = "/api/v1/namespaces/default/configmaps/a"
        self.assert_status(self.call("DELETE", path, {"preconditions": {"uid": "x"}}),
                           409, "Conflict")
        code, dry = self.call("DELETE", path + "?dryRun=All")
        self.assertEqual(code, 200)
        self.assertEqual(self.call("GET", path)[0], 200)
        code, deleted = self.call("DELETE", path, {"kind": "DeleteOptions", "apiVersion": "v1"})
        self.assertEqual(code, 200, deleted)
        self.assertEqual(deleted["metadata"]["name"], "a")
        self.assert_status(self.call("DELETE", path), 404, "NotFound")

        code, listed = self.call("DELETE",
                                 "/api/v1/namespaces/default/configmaps?labelSelector=k%3Dv")
        self.assertEqual(code, 200, listed)
        self.assertEqual([i["metadata"]["name"] for i in listed["items"]], ["b"])
        code, left = self.call("GET", "/api/v1/namespaces/default/configmaps")
        self.assertEqual([i["metadata"]["name"] for i in left["items"]], ["c"])

        code, held = self.call("POST", "/api/v1/namespaces/default/configmaps",
                               {"metadata": {"name": "held", "finalizers": ["example.com/x"]}})
        self.assertEqual(code, 201)
        code, marked = self.call("DELETE", "/api/v1/namespaces/default/configmaps/held")
        self.assertEqual(code, 200)
        self.assertIn("deletionTimestamp", marked["metadata"])
        marked["metadata"]["finalizers"] = []
        self.assertEqual(self.call("PUT", "/api/v1/namespaces/default/configmaps/held",
                                   marked)[0], 200)
        self.assert_status(self.call("GET", "/api/v1/namespaces/default/configmaps/held"),
                           404, "NotFound")

    def test_bad_protobuf_and_unknown_body_types(self):
        # An envelope cut off inside its first field is the client's error, not a crash.
        code, body = self.call("POST", "/api/v1/namespaces/default/configmaps",
                               raw=b"k8s\0\x0a\x05ab",
                               content_type="application/vnd.kubernetes.protobuf")
        self.assertEqual((code, body["reason"]), (400, "BadRequest"), body)
        # An empty envelope decodes to an empty ConfigMap, which has no name.
        code, body = self.call("POST", "/api/v1/namespaces/default/configmaps", raw=b"k8s\0",
                               content_type="application/vnd.kubernetes.protobuf")
        self.assertEqual((code, body["reason"]), (422, "Invalid"), body)
        code, body = self.call("POST", "/api/v1/namespaces/default/configmaps", raw=b"<x/>",
                               content_type="application/xml")
        self.assertEqual((code, body["reason"]), (415, "UnsupportedMediaType"))


class CompactionTest(ResourcesTestCase):
    # Revisions come only from the test's own writes.
    control_plane_args = API_ONLY

    # History is forgotten as soon as possible, so old revisions really are compacted.
    server_args = ("--datastore-retain-revisions", "1", "--datastore-retention", "0s")

    def test_compacted_resource_version_is_410(self):
        rv = self.create_cm("a")["metadata"]["resourceVersion"]
        path = ("/api/v1/namespaces/default/configmaps?resourceVersion=%s"
                "&resourceVersionMatch=Exact" % rv)
        deadline = time.monotonic() + 10
        while True:
            self.create_cm("n%f" % time.monotonic())
            code, body = self.call("GET", path)
            if code != 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assert_status((code, body), 410, "Expired")
        self.assertTrue(body["message"].startswith("too old resource version: %s (" % rv),
                        body["message"])


class KubectlTest(ResourcesTestCase):
    control_plane_args = API_ONLY

    def run_ok(self, *args, binary=None):
        r = self.kubectl(*args, binary=binary)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def test_large_gzipped_list(self):
        self.require_kubectl()
        for i in range(40):
            code, body = self.call("POST", "/api/v1/namespaces/default/configmaps",
                                   {"metadata": {"name": "big%02d" % i},
                                    "data": {"blob": "%05d" % i * 1000}})
            self.assertEqual(code, 201, body)
        # kubectl accepts gzip; a list this large (about 200 KiB) comes compressed.
        listed = json.loads(self.run_ok("get", "configmaps", "-o", "json"))
        self.assertEqual(len(listed["items"]), 40)
        self.assertEqual(listed["items"][7]["data"]["blob"], "00007" * 1000)

    def test_scale_subresource(self):
        deployment = {
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
        code, body = self.call("POST", "/apis/apps/v1/namespaces/default/deployments", deployment)
        self.assertEqual(code, 201, body)
        self.run_ok("scale", "deployment/web", "--replicas=3")
        code, scale = self.call("GET", "/apis/apps/v1/namespaces/default/deployments/web/scale")
        self.assertEqual(code, 200)
        self.assertEqual((scale["kind"], scale["apiVersion"]), ("Scale", "autoscaling/v1"))
        self.assertEqual(scale["spec"]["replicas"], 3)
        self.assertEqual(scale["status"]["selector"], "app=web")
        code, got = self.call("GET", "/apis/apps/v1/namespaces/default/deployments/web")
        self.assertEqual(got["spec"]["replicas"], 3)
        self.assertEqual(got["metadata"]["generation"], 2)
        # A stale resourceVersion is refused (kubectl checks it itself before patching; the
        # server checks one inside the patch); a negative count is invalid.
        r = self.kubectl("scale", "deployment/web", "--replicas=2",
                         "--resource-version=" + body["metadata"]["resourceVersion"])
        self.assertNotEqual(r.returncode, 0)
        code, stale = self.call(
            "PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale",
            {"metadata": {"resourceVersion": body["metadata"]["resourceVersion"]},
             "spec": {"replicas": 2}}, content_type="application/merge-patch+json")
        self.assertEqual((code, stale["reason"]), (409, "Conflict"), stale)
        scale["spec"]["replicas"] = -1
        code, status = self.call("PUT", "/apis/apps/v1/namespaces/default/deployments/web/scale",
                                 scale)
        self.assertEqual((code, status["reason"]), (422, "Invalid"), status)

    def test_namespaces_and_configmaps(self):
        self.require_kubectl()
        self.run_ok("create", "namespace", "x")
        namespaces = json.loads(self.run_ok("get", "ns", "-o", "json"))
        self.assertIn("x", [n["metadata"]["name"] for n in namespaces["items"]])
        if os.access(KUBECTL_JSON, os.X_OK):
            self.run_ok("create", "configmap", "a", "--from-literal=k=v", "-n", "x",
                        binary=KUBECTL_JSON)
        else:
            self.call("POST", "/api/v1/namespaces/x/configmaps",
                      {"metadata": {"name": "a"}, "data": {"k": "v"}})
        manifest = os.path.join(self.tmp, "b.yaml")
        write(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: x\n"
                        "  labels: {k: v}\ndata: {k: one}\n")
        # OpenAPI is not served yet, so client-side validation is off.
        self.run_ok("create", "-f", manifest, "--validate=false")
        cms = json.loads(self.run_ok("get", "cm", "-n", "x", "-o", "json"))
        self.assertEqual(sorted(c["metadata"]["name"] for c in cms["items"]), ["a", "b"])
        write(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: x\n"
                        "  labels: {k: v}\ndata: {k: two}\n")
        self.run_ok("replace", "-f", manifest, "--validate=false")
        b = json.loads(self.run_ok("get", "cm", "b", "-n", "x", "-o", "json"))
        self.assertEqual(b["data"]["k"], "two")
        self.assertEqual(b["metadata"]["generation"], 2)
        labelled = json.loads(self.run_ok("get", "cm", "-A", "-l", "k=v", "-o", "json"))
        self.assertEqual([c["metadata"]["name"] for c in labelled["items"]], ["b"])
        self.run_ok("delete", "cm", "b", "-n", "x")
        r = self.kubectl("get", "cm", "b", "-n", "x")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('configmaps "b" not found', r.stderr)
        r = self.kubectl("create", "-f", manifest, "--validate=false")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kubectl("create", "-f", manifest, "--validate=false")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('configmaps "b" already exists', r.stderr)


if __name__ == "__main__":
    if not TUG or not os.access(TUG, os.X_OK):
        raise SystemExit("TUG_BIN must name the tug executable")
    unittest.main(verbosity=2)
