"""Server-side apply and managedFields: the real kubectl (`apply --server-side`, conflicts,
--force-conflicts, --show-managed-fields, client-side writes after an apply), raw HTTP for
exact Status bodies, and Debian's python3-kubernetes dynamic client.

Every server here listens on 127.0.0.1 on a free port and writes its kubeconfig to a
temporary directory.
"""

import json
import os
import unittest

from test_cli import write
from test_resources import KUBECTL, ResourcesTestCase
from test_apiserver import API_ONLY

APPLY = "application/apply-patch+yaml"
DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
    tier: front
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: c
        image: nginx:1.25
        ports:
        - containerPort: 80
"""


def entries(obj):
    return {(e["manager"], e["operation"]): e for e in obj["metadata"].get("managedFields", [])}


class ApplyTestCase(ResourcesTestCase):
    control_plane_args = API_ONLY

    def manifest(self, text, name="web.yaml"):
        path = os.path.join(self.tmp, name)
        write(path, text)
        return path

    def apply(self, path, *args):
        return self.kubectl("apply", "--server-side", "-f", path, *args)

    def get_deployment(self):
        code, body = self.call("GET", DEPLOYMENTS + "/web")
        self.assertEqual(code, 200, body)
        return body

    def patch_apply(self, path, body, query="?fieldManager=test"):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.call("PATCH", path + query, raw=raw, content_type=APPLY)


class KubectlApplyTest(ApplyTestCase):
    def setUp(self):
        super().setUp()
        self.require_kubectl()

    def test_apply_reapply_change_and_remove(self):
        path = self.manifest(DEPLOYMENT.format(replicas=2))
        r = self.apply(path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("deployment.apps/web serverside-applied", r.stdout)
        first = self.get_deployment()
        self.assertEqual(first["spec"]["replicas"], 2)
        mine = entries(first)[("kubectl", "Apply")]
        self.assertEqual(mine["apiVersion"], "apps/v1")
        self.assertEqual(mine["fieldsType"], "FieldsV1")
        self.assertRegex(mine["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        containers = mine["fieldsV1"]["f:spec"]["f:template"]["f:spec"]["f:containers"]
        self.assertIn('k:{"containerPort":80,"protocol":"TCP"}',
                      containers['k:{"name":"c"}']["f:ports"])

        # The same configuration again changes nothing, not even the resourceVersion.
        r = self.apply(path)
        self.assertEqual(r.returncode, 0, r.stderr)
        again = self.get_deployment()
        self.assertEqual(again["metadata"]["resourceVersion"],
                         first["metadata"]["resourceVersion"])
        self.assertEqual(again, first)

        # A changed field changes; a field left out of the file goes away.
        r = self.apply(self.manifest(DEPLOYMENT.format(replicas=3).replace("    tier: front\n",
                                                                           "")))
        self.assertEqual(r.returncode, 0, r.stderr)
        changed = self.get_deployment()
        self.assertEqual(changed["spec"]["replicas"], 3)
        self.assertEqual(changed["metadata"]["labels"], {"app": "web"})
        self.assertNotIn("f:tier", json.dumps(entries(changed)[("kubectl", "Apply")]))

        # dry-run=server answers with the change and stores nothing.
        r = self.apply(self.manifest(DEPLOYMENT.format(replicas=7)), "--dry-run=server",
                       "-o", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["spec"]["replicas"], 7)
        self.assertEqual(self.get_deployment()["spec"]["replicas"], 3)

    def test_conflicts_and_force(self):
        self.assertEqual(self.apply(self.manifest(DEPLOYMENT.format(replicas=2))).returncode, 0)
        other = self.manifest(DEPLOYMENT.format(replicas=5), "other.yaml")
        r = self.apply(other, "--field-manager=other")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
                      r.stderr)
        self.assertEqual(self.get_deployment()["spec"]["replicas"], 2)

        r = self.apply(other, "--field-manager=other", "--force-conflicts")
        self.assertEqual(r.returncode, 0, r.stderr)
        obj = self.get_deployment()
        self.assertEqual(obj["spec"]["replicas"], 5)
        owners = entries(obj)
        self.assertIn("f:replicas", owners[("other", "Apply")]["fieldsV1"]["f:spec"])
        self.assertNotIn("f:replicas", owners[("kubectl", "Apply")]["fieldsV1"]["f:spec"])

        r = self.kubectl("get", "deployment", "web", "--show-managed-fields", "-o", "yaml")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("managedFields:", r.stdout)
        self.assertIn("manager: other", r.stdout)
        self.assertIn("operation: Apply", r.stdout)
        r = self.kubectl("get", "deployment", "web", "-o", "yaml")
        self.assertNotIn("managedFields:", r.stdout)

    def test_client_side_writes_after_apply_record_update_entries(self):
        self.assertEqual(self.apply(self.manifest(DEPLOYMENT.format(replicas=2))).returncode, 0)
        r = self.kubectl("label", "deployment", "web", "extra=yes")
        self.assertEqual(r.returncode, 0, r.stderr)
        owners = entries(self.get_deployment())
        label = owners[("kubectl-label", "Update")]
        self.assertEqual(label["apiVersion"], "apps/v1")
        self.assertEqual(label["fieldsV1"], {"f:metadata": {"f:labels": {"f:extra": {}}}})
        self.assertIn(("kubectl", "Apply"), owners)

        # A label the applier owns, changed by someone else, is theirs now.
        r = self.kubectl("label", "deployment", "web", "app=other", "--overwrite")
        self.assertEqual(r.returncode, 0, r.stderr)
        owners = entries(self.get_deployment())
        self.assertIn("f:app", owners[("kubectl-label", "Update")]["fieldsV1"]["f:metadata"]
                      ["f:labels"])
        self.assertNotIn("f:app", owners[("kubectl", "Apply")]["fieldsV1"]["f:metadata"]
                         .get("f:labels", {}))

        r = self.kubectl("create", "configmap", "made", "--from-literal=k=v")
        self.assertEqual(r.returncode, 0, r.stderr)
        code, cm = self.call("GET", "/api/v1/namespaces/default/configmaps/made")
        create = entries(cm)[("kubectl-create", "Update")]
        self.assertEqual(create["fieldsV1"], {"f:data": {".": {}, "f:k": {}}})


class HttpApplyTest(ApplyTestCase):
    def test_options_and_identity_errors(self):
        cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"},
              "data": {"k": "v"}}
        path = "/api/v1/namespaces/default/configmaps/a"
        body = self.assert_status(self.patch_apply(path, cm, query=""), 422, "Invalid",
                                  'PatchOptions.meta.k8s.io "" is invalid: fieldManager: '
                                  "Required value: is required for apply patch")
        self.assertEqual(body["details"], {
            "group": "meta.k8s.io", "kind": "PatchOptions",
            "causes": [{"reason": "FieldValueRequired",
                        "message": "Required value: is required for apply patch",
                        "field": "fieldManager"}]})
        self.assert_status(self.patch_apply(path, cm, query="?fieldManager=x&force=maybe"),
                           400, "BadRequest")
        self.assert_status(self.patch_apply(path, dict(cm, apiVersion="v2")), 400, "BadRequest",
                           "Incorrect version specified in apply patch. Specified patch "
                           "version: v2, expected: v1")
        self.assert_status(self.patch_apply(path, dict(cm, kind="Secret")), 400, "BadRequest")
        self.assert_status(self.patch_apply(path, dict(cm, metadata={"name": "b"})), 400,
                           "BadRequest", "the name of the object (b) does not match the name "
                           "on the URL (a)")
        self.assert_status(self.patch_apply(path, b"kind: [unclosed"), 400, "BadRequest")
        self.assert_status(self.patch_apply(path, b"- a list"), 400, "BadRequest")
        with_fields = dict(cm, metadata={"name": "a", "managedFields": [{"manager": "x"}]})
        self.assert_status(self.patch_apply(path, with_fields), 400, "BadRequest",
                           "metadata.managedFields must be nil")
        self.assert_status(self.patch_apply("/api/v1/namespaces/nope/configmaps/a",
                                            dict(cm, metadata={"name": "a"})),
                           404, "NotFound", 'namespaces "nope" not found')
        # Nothing was created by any of these.
        self.assert_status(self.call("GET", path), 404, "NotFound")

    def test_yaml_create_status_and_preconditions(self):
        path = "/api/v1/namespaces/default/configmaps/yc"
        code, created = self.patch_apply(path, b"apiVersion: v1\nkind: ConfigMap\n"
                                               b"metadata:\n  name: yc\ndata:\n  k: 'on'\n")
        self.assertEqual(code, 201, created)
        self.assertEqual(created["data"], {"k": "on"})
        self.assertTrue(created["metadata"]["uid"])
        # A resourceVersion in the configuration is a precondition.
        stale = {"apiVersion": "v1", "kind": "ConfigMap",
                 "metadata": {"name": "yc", "resourceVersion": "1"}, "data": {"k": "w"}}
        self.assert_status(self.patch_apply(path, stale), 409, "Conflict")
        stale["metadata"]["resourceVersion"] = created["metadata"]["resourceVersion"]
        code, updated = self.patch_apply(path, stale)
        self.assertEqual(code, 200, updated)
        self.assertEqual(updated["data"], {"k": "w"})
        self.assertNotEqual(updated["metadata"]["resourceVersion"],
                            created["metadata"]["resourceVersion"])

        # A second manager's change to the same field conflicts, with upstream's causes.
        body = self.assert_status(
            self.patch_apply(path, {"apiVersion": "v1", "kind": "ConfigMap",
                                    "metadata": {"name": "yc"}, "data": {"k": "z"}},
                             query="?fieldManager=second"),
            409, "Conflict", 'Apply failed with 1 conflict: conflict with "test": .data.k')
        self.assertEqual(body["details"], {"causes": [{
            "reason": "FieldManagerConflict", "message": 'conflict with "test"',
            "field": ".data.k"}]})
        code, forced = self.patch_apply(path, {"apiVersion": "v1", "kind": "ConfigMap",
                                               "metadata": {"name": "yc"}, "data": {"k": "z"}},
                                        query="?fieldManager=second&force=True")
        self.assertEqual(code, 200, forced)
        self.assertEqual(forced["data"], {"k": "z"})

    def test_status_subresource_apply(self):
        code, _ = self.patch_apply(DEPLOYMENTS + "/s/status",
                                   {"apiVersion": "apps/v1", "kind": "Deployment",
                                    "metadata": {"name": "s"}, "status": {"replicas": 1}})
        self.assertEqual(code, 404)
        code, created = self.patch_apply(DEPLOYMENTS + "/s", {
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "s"},
            "spec": {"selector": {"matchLabels": {"a": "b"}},
                     "template": {"metadata": {"labels": {"a": "b"}},
                                  "spec": {"containers": [{"name": "c", "image": "i"}]}}},
            "status": {"replicas": 9}})
        self.assertEqual(code, 201, created)
        self.assertNotIn("replicas", created.get("status", {}))
        code, status = self.patch_apply(DEPLOYMENTS + "/s/status",
                                        {"apiVersion": "apps/v1", "kind": "Deployment",
                                         "metadata": {"name": "s"}, "status": {"replicas": 1}},
                                        query="?fieldManager=ctrl")
        self.assertEqual(code, 200, status)
        self.assertEqual(status["status"]["replicas"], 1)
        ctrl = entries(status)[("ctrl", "Apply")]
        self.assertEqual(ctrl["subresource"], "status")
        self.assertEqual(ctrl["fieldsV1"], {"f:status": {"f:replicas": {}}})


class PythonClientApplyTest(ApplyTestCase):
    def test_dynamic_client_server_side_apply(self):
        try:
            from kubernetes import config, dynamic
        except ImportError:
            self.skipTest("python3-kubernetes is not installed")
        api = dynamic.DynamicClient(config.new_client_from_config(self.server.kubeconfig))
        configmaps = api.resources.get(api_version="v1", kind="ConfigMap")
        if not hasattr(api, "server_side_apply"):
            self.skipTest("this python3-kubernetes has no server_side_apply")
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "py"},
                "data": {"k": "v"}}
        # Its REST layer sends only text bodies with a YAML content type.
        created = api.server_side_apply(configmaps, body=json.dumps(body), name="py",
                                        namespace="default", field_manager="python")
        self.assertEqual(created.data.k, "v")
        self.assertEqual(created.metadata.managedFields[0].manager, "python")
        body["data"]["k"] = "w"
        with self.assertRaises(Exception) as e:
            api.server_side_apply(configmaps, body=json.dumps(body), name="py",
                                  namespace="default", field_manager="other")
        self.assertEqual(e.exception.status, 409)
        forced = api.server_side_apply(configmaps, body=json.dumps(body), name="py",
                                       namespace="default", field_manager="other",
                                       force_conflicts=True)
        self.assertEqual(forced.data.k, "w")


if __name__ == "__main__":
    unittest.main()
