"""PATCH: JSON patch, merge patch and strategic merge patch on built-in resources, checked
over HTTPS for exact codes and Status bodies, and with the real kubectl commands that send
patches (label, annotate, patch, set image, rollout restart, edit, apply, diff).

Every server listens on 127.0.0.1 on a free port, with its data in a temporary directory that
is removed (and the server killed) even when a test fails.
"""

import json
import os
import stat
import subprocess
import unittest

from test_cli import TUG, clean_env, write
from test_resources import KUBECTL, ResourcesTestCase
from test_apiserver import API_ONLY

JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
CM = "/api/v1/namespaces/default/configmaps"
DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"

DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {
        "replicas": 1,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [
                {"name": "c", "image": "img:1", "ports": [{"containerPort": 80}]},
                {"name": "side", "image": "side:1"}]}}}}


class PatchTestCase(ResourcesTestCase):
    control_plane_args = API_ONLY

    def kubectl(self, *args, env_extra=None):
        env = clean_env()
        env.update(env_extra or {})
        return subprocess.run([KUBECTL, "--kubeconfig", self.server.kubeconfig,
                               "--cache-dir", os.path.join(self.tmp, "kube-cache"), *args],
                              capture_output=True, text=True, timeout=30, env=env)

    def patch(self, path, body, content_type, query=""):
        raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        return self.call("PATCH", path + query, raw=raw, content_type=content_type)

    def create_deployment(self):
        code, body = self.call("POST", DEPLOYMENTS, DEPLOYMENT)
        self.assertEqual(code, 201, body)
        return body


class HttpPatchTest(PatchTestCase):
    def test_three_patch_types_change_a_configmap(self):
        created = self.create_cm("a", labels={"app": "web", "tier": "fe"})
        code, merged = self.patch(CM + "/a", {"metadata": {"labels": {"tier": None, "v": "2"}},
                                              "data": {"x": "y"}}, MERGE_PATCH)
        self.assertEqual(code, 200, merged)
        self.assertEqual(merged["metadata"]["labels"], {"app": "web", "v": "2"})
        self.assertEqual(merged["data"], {"k": "v", "x": "y"})
        self.assertGreater(int(merged["metadata"]["resourceVersion"]),
                           int(created["metadata"]["resourceVersion"]))
        self.assertEqual(merged["metadata"]["uid"], created["metadata"]["uid"])

        code, patched = self.patch(CM + "/a", [
            {"op": "test", "path": "/data/x", "value": "y"},
            {"op": "add", "path": "/metadata/annotations", "value": {"a/b": "1"}},
            {"op": "replace", "path": "/metadata/annotations/a~1b", "value": "2"},
            {"op": "move", "from": "/data/x", "path": "/data/z"},
            {"op": "remove", "path": "/data/k"}], JSON_PATCH)
        self.assertEqual(code, 200, patched)
        self.assertEqual(patched["data"], {"z": "y"})
        self.assertEqual(patched["metadata"]["annotations"], {"a/b": "2"})

        code, smp = self.patch(CM + "/a", {"data": {"n": "1"}, "metadata": {"finalizers": ["f/a"]}},
                               STRATEGIC + "; charset=utf-8")
        self.assertEqual(code, 200, smp)
        self.assertEqual(smp["data"], {"z": "y", "n": "1"})
        self.assertEqual(smp["metadata"]["finalizers"], ["f/a"])
        self.assertEqual(self.call("GET", CM + "/a"), (200, smp))

        # A patch that changes nothing writes nothing.
        code, same = self.patch(CM + "/a", {"data": {"n": "1"}}, MERGE_PATCH)
        self.assertEqual((code, same), (200, smp))

    def test_failing_and_malformed_patches(self):
        self.create_cm("a")
        body = self.assert_status(
            self.patch(CM + "/a", [{"op": "test", "path": "/data/k", "value": "other"}],
                       JSON_PATCH), 422, "Invalid",
            "the server rejected our request due to an error in our request")
        self.assertEqual(body["details"], {})
        self.assert_status(self.patch(CM + "/a", [{"op": "remove", "path": "/data/nope/x"}],
                                      JSON_PATCH), 422, "Invalid")
        for content_type in (JSON_PATCH, MERGE_PATCH, STRATEGIC):
            self.assert_status(self.patch(CM + "/a", "{not json", content_type),
                               400, "BadRequest", "invalid JSON patch")
            self.assert_status(self.patch(CM + "/a", "[" * 5000 + "]" * 5000, content_type),
                               400, "BadRequest")
        self.assert_status(self.patch(CM + "/a", {"op": "add"}, JSON_PATCH), 400, "BadRequest",
                           "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        self.assert_status(self.patch(CM + "/a", "null", MERGE_PATCH), 400, "BadRequest",
                           "Invalid JSON Patch")
        self.assert_status(self.patch(CM + "/a", {"data": {"k": "v"}}, "application/json"),
                           415, "UnsupportedMediaType",
                           "the body of the request was in an unknown format - accepted media "
                           "types include: application/json-patch+json, "
                           "application/merge-patch+json, application/strategic-merge-patch+json"
                           + self.apply_type_suffix())
        self.assert_status(self.patch(CM + "/a", "a: b", "application/yaml"),
                           415, "UnsupportedMediaType")
        # The object is untouched by all of that.
        self.assertEqual(self.call("GET", CM + "/a")[1]["data"], {"k": "v"})

    def apply_type_suffix(self):
        code, body = self.patch(CM + "/a", "{}", "application/apply-patch+yaml")
        return "" if code == 415 else ", application/apply-patch+yaml"

    def test_missing_objects_and_preconditions(self):
        self.assert_status(self.patch(CM + "/nope", {"data": {}}, MERGE_PATCH),
                           404, "NotFound", 'configmaps "nope" not found')
        self.assert_status(self.patch("/api/v1/namespaces/gone/configmaps/x", {}, MERGE_PATCH),
                           404, "NotFound")
        created = self.create_cm("a")
        rv = created["metadata"]["resourceVersion"]
        self.assertEqual(self.patch(CM + "/a", {"data": {"k": "2"}}, MERGE_PATCH)[0], 200)
        body = self.assert_status(
            self.patch(CM + "/a", {"metadata": {"resourceVersion": rv}, "data": {"k": "3"}},
                       MERGE_PATCH), 409, "Conflict",
            'Operation cannot be fulfilled on configmaps "a": the object has been modified; '
            "please apply your changes to the latest version and try again")
        self.assertEqual(body["details"], {"name": "a", "kind": "configmaps"})
        self.assert_status(self.patch(CM + "/a", [{"op": "replace", "path":
                                                   "/metadata/resourceVersion", "value": rv}],
                                      JSON_PATCH), 409, "Conflict")
        current = self.call("GET", CM + "/a")[1]["metadata"]["resourceVersion"]
        code, body = self.patch(CM + "/a", {"metadata": {"resourceVersion": current},
                                            "data": {"k": "4"}}, STRATEGIC)
        self.assertEqual(code, 200, body)
        self.assertEqual(body["data"]["k"], "4")

    def test_identity_cannot_change(self):
        created = self.create_cm("a")
        self.assert_status(self.patch(CM + "/a", {"metadata": {"name": "b"}}, MERGE_PATCH),
                           400, "BadRequest",
                           "the name of the object (b) does not match the name on the URL (a)")
        self.assert_status(self.patch(CM + "/a", {"metadata": {"namespace": "kube-system"}},
                                      MERGE_PATCH), 400, "BadRequest",
                           "the namespace of the provided object does not match the namespace "
                           "sent on the request")
        body = self.assert_status(
            self.patch(CM + "/a", {"metadata": {"uid": "1234"}}, STRATEGIC), 422, "Invalid",
            'ConfigMap "a" is invalid: metadata.uid: Invalid value: "1234": field is immutable')
        self.assertEqual(body["details"]["causes"][0]["field"], "metadata.uid")
        self.assert_status(self.patch(CM + "/a", [{"op": "replace", "path": "",
                                                   "value": ["x"]}], JSON_PATCH),
                           422, "Invalid")
        # The generation is the server's whatever the patch says.
        code, body = self.patch(CM + "/a", {"metadata": {"generation": 99}}, MERGE_PATCH)
        self.assertEqual(code, 200, body)
        self.assertEqual(body["metadata"]["generation"], created["metadata"]["generation"])

    def test_dry_run_writes_nothing(self):
        created = self.create_cm("a")
        code, body = self.patch(CM + "/a", {"data": {"k": "dry"}}, MERGE_PATCH, "?dryRun=All")
        self.assertEqual(code, 200, body)
        self.assertEqual(body["data"]["k"], "dry")
        self.assertEqual(self.call("GET", CM + "/a"), (200, created))
        self.assert_status(self.patch(CM + "/a", {}, MERGE_PATCH, "?dryRun=Some"), 400,
                           "BadRequest")

    def test_strategic_merge_status_and_generation(self):
        self.create_deployment()
        path = DEPLOYMENTS + "/web"
        # What `kubectl set image` sends: containers merge by name, the rest of each is kept.
        code, body = self.patch(path, {"spec": {"template": {"spec": {
            "$setElementOrder/containers": [{"name": "c"}, {"name": "side"}],
            "containers": [{"image": "img:2", "name": "c"}]}}}}, STRATEGIC)
        self.assertEqual(code, 200, body)
        containers = body["spec"]["template"]["spec"]["containers"]
        self.assertEqual([c["name"] for c in containers], ["c", "side"])
        self.assertEqual(containers[0]["image"], "img:2")
        self.assertEqual(containers[0]["ports"][0]["containerPort"], 80)
        self.assertEqual(body["metadata"]["generation"], 2)
        self.assertNotIn("$setElementOrder/containers", json.dumps(body))
        # Deleting one container by its merge key.
        code, body = self.patch(path, {"spec": {"template": {"spec": {
            "$setElementOrder/containers": [{"name": "c"}],
            "containers": [{"name": "side", "$patch": "delete"}]}}}}, STRATEGIC)
        self.assertEqual(code, 200, body)
        self.assertEqual([c["name"] for c in body["spec"]["template"]["spec"]["containers"]],
                         ["c"])
        self.assertEqual(body["metadata"]["generation"], 3)
        # Labels are metadata: no new generation.
        code, body = self.patch(path, {"metadata": {"labels": {"x": "1"}}}, MERGE_PATCH)
        self.assertEqual(body["metadata"]["generation"], 3)
        # The main resource ignores .status; /status takes only .status.
        code, body = self.patch(path, {"status": {"replicas": 5}}, MERGE_PATCH)
        self.assertEqual(code, 200, body)
        self.assertNotEqual(body.get("status", {}).get("replicas"), 5)
        code, body = self.patch(path + "/status", {"status": {"replicas": 5},
                                                   "spec": {"replicas": 9}}, MERGE_PATCH)
        self.assertEqual(code, 200, body)
        self.assertEqual(body["status"]["replicas"], 5)
        self.assertEqual(body["spec"]["replicas"], 1)
        self.assertEqual(body["metadata"]["generation"], 3)
        self.assert_status(self.patch(DEPLOYMENTS, {}, MERGE_PATCH), 405, "MethodNotAllowed")


class KubectlPatchTest(PatchTestCase):
    def run_ok(self, *args):
        r = self.kubectl(*args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def get_json(self, *args):
        return json.loads(self.run_ok("get", *args, "-o", "json"))

    def test_label_annotate_and_patch(self):
        self.require_kubectl()
        self.create_cm("a")
        self.run_ok("label", "cm", "a", "app=web", "tier=fe")
        self.run_ok("annotate", "cm", "a", "note=hello", "other=x")
        self.run_ok("label", "cm", "a", "tier-")
        self.run_ok("annotate", "cm", "a", "other-")
        r = self.kubectl("label", "cm", "a", "app=db")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("already has a value", r.stderr)
        self.run_ok("label", "cm", "a", "app=db", "--overwrite")
        meta = self.get_json("cm", "a")["metadata"]
        self.assertEqual(meta["labels"], {"app": "db"})
        self.assertEqual(meta["annotations"], {"note": "hello"})

        self.run_ok("patch", "cm", "a", "--type", "merge", "-p", '{"data":{"m":"1"}}')
        self.run_ok("patch", "cm", "a", "--type", "json",
                    "-p", '[{"op":"add","path":"/data/j","value":"2"}]')
        self.run_ok("patch", "cm", "a", "--type", "strategic", "-p", '{"data":{"s":"3"}}')
        self.run_ok("patch", "cm", "a", "-p", '{"data":{"d":"4"}}')  # strategic by default
        self.assertEqual(self.get_json("cm", "a")["data"],
                         {"k": "v", "m": "1", "j": "2", "s": "3", "d": "4"})
        out = self.run_ok("patch", "cm", "a", "--type", "merge", "-p", '{"data":{"d":"4"}}')
        self.assertIn("(no change)", out)

        r = self.kubectl("patch", "cm", "a", "--type", "json",
                         "-p", '[{"op":"test","path":"/data/k","value":"zzz"}]')
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("The request is invalid", r.stderr)
        r = self.kubectl("patch", "cm", "nope", "--type", "merge", "-p", '{"data":{}}')
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('configmaps "nope" not found', r.stderr)
        r = self.kubectl("patch", "cm", "a", "--type", "merge", "-p", '{"data":')
        self.assertNotEqual(r.returncode, 0)

    def test_set_image_rollout_restart_and_edit(self):
        self.require_kubectl()
        self.create_deployment()
        self.run_ok("set", "image", "deployment/web", "c=img:2")
        d = self.get_json("deployment", "web")
        containers = d["spec"]["template"]["spec"]["containers"]
        self.assertEqual([(c["name"], c["image"]) for c in containers],
                         [("c", "img:2"), ("side", "side:1")])
        self.assertEqual(containers[0]["ports"][0]["containerPort"], 80)

        self.run_ok("rollout", "restart", "deployment/web")
        d = self.get_json("deployment", "web")
        self.assertIn("kubectl.kubernetes.io/restartedAt",
                      d["spec"]["template"]["metadata"]["annotations"])

        editor = os.path.join(self.tmp, "editor.sh")
        write(editor, "#!/bin/sh\nsed -i 's/img:2/img:3/' \"$1\"\n")
        os.chmod(editor, stat.S_IRWXU)
        r = self.kubectl("edit", "deployment/web", env_extra={"KUBE_EDITOR": editor})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("edited", r.stdout)
        d = self.get_json("deployment", "web")
        self.assertEqual(d["spec"]["template"]["spec"]["containers"][0]["image"], "img:3")

        unchanged = os.path.join(self.tmp, "true.sh")
        write(unchanged, "#!/bin/sh\nexit 0\n")
        os.chmod(unchanged, stat.S_IRWXU)
        rv = d["metadata"]["resourceVersion"]
        r = self.kubectl("edit", "deployment/web", env_extra={"KUBE_EDITOR": unchanged})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Edit cancelled, no changes made.", r.stdout + r.stderr)
        self.assertEqual(self.get_json("deployment", "web")["metadata"]["resourceVersion"], rv)

    def test_client_side_apply_and_diff(self):
        self.require_kubectl()
        manifest = os.path.join(self.tmp, "cm.yaml")
        write(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n"
                        "  labels: {app: web}\ndata: {a: '1', b: '2'}\n")
        flags = self.apply_flags()
        self.assertIn("created", self.run_ok("apply", "-f", manifest, *flags))
        self.assertIn("unchanged", self.run_ok("apply", "-f", manifest, *flags))
        r = self.kubectl("diff", "-f", manifest)
        self.assertEqual((r.returncode, r.stdout), (0, ""), r.stderr)

        # Someone else labels it; apply of a changed file changes only what the file changed.
        self.run_ok("label", "cm", "applied", "extra=kept")
        write(manifest, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\n"
                        "  labels: {app: web}\ndata: {a: '1', c: '3'}\n")
        r = self.kubectl("diff", "-f", manifest)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("c: \"3\"", r.stdout)
        self.assertNotIn("c", self.get_json("cm", "applied")["data"])  # diff is a dry run
        self.assertIn("configured", self.run_ok("apply", "-f", manifest, *flags))
        cm = self.get_json("cm", "applied")
        self.assertEqual(cm["data"], {"a": "1", "c": "3"})
        self.assertEqual(cm["metadata"]["labels"], {"app": "web", "extra": "kept"})
        self.assertIn("kubectl.kubernetes.io/last-applied-configuration",
                      cm["metadata"]["annotations"])
        r = self.kubectl("diff", "-f", manifest)
        self.assertEqual((r.returncode, r.stdout), (0, ""), r.stderr)

    def apply_flags(self):
        """--validate=false while the server has no OpenAPI document for kubectl to fetch."""
        try:
            served = self.call("GET", "/openapi/v3")[0] == 200
        except ValueError:  # not a JSON reply
            served = False
        return () if served else ("--validate=false",)


if __name__ == "__main__":
    if not TUG or not os.access(TUG, os.X_OK):
        raise SystemExit("TUG_BIN must name the tug executable")
    unittest.main(verbosity=2)
