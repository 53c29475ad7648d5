"""The garbage collector and deletion propagation: `kubectl delete` with its default
background cascade, --cascade=foreground and --cascade=orphan on owners of ConfigMaps,
Secrets, Pods and custom resources; dependents with several owners, dangling owner
references, owners in other namespaces and cluster-scoped owners; and the API server's answers
to DeleteOptions it refuses.

Every server listens on 127.0.0.1 on a free port with its data in a temporary directory.
"""

import json
import time
import unittest
import uuid

from test_controllers import ControllersTestCase


def owner_ref(obj, kind="ConfigMap", api_version="v1", block=None):
    ref = {"apiVersion": api_version, "kind": kind, "name": obj["metadata"]["name"],
           "uid": obj["metadata"]["uid"]}
    if block is not None:
        ref["blockOwnerDeletion"] = block
    return ref


class GarbageCollectorTestCase(ControllersTestCase):
    def create(self, path, body):
        code, created = self.call("POST", path, body)
        self.assertEqual(code, 201, created)
        return created

    def cm(self, name, ns="default", owners=None, finalizers=None):
        meta = {"name": name}
        if owners:
            meta["ownerReferences"] = owners
        if finalizers:
            meta["finalizers"] = finalizers
        return self.create("/api/v1/namespaces/%s/configmaps" % ns,
                           {"metadata": meta, "data": {"k": "v"}})

    def cm_path(self, name, ns="default"):
        return "/api/v1/namespaces/%s/configmaps/%s" % (ns, name)

    def gone(self, path):
        return self.call("GET", path)[0] == 404

    def wait_gone(self, path, timeout=15):
        self.wait_until(lambda: self.gone(path), path + " to be deleted", timeout)

    def stays(self, path, seconds=2):
        """Asserts `path` still exists after the collector had time to act."""
        time.sleep(seconds)
        code, body = self.call("GET", path)
        self.assertEqual(code, 200, body)
        return body

    def run_ok(self, *args):
        r = self.kubectl(*args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def release(self, path, finalizer):
        code, obj = self.call("GET", path)
        self.assertEqual(code, 200, obj)
        kept = [f for f in obj["metadata"].get("finalizers", []) if f != finalizer]
        code, body = self.call("PATCH", path,
                               raw=json.dumps({"metadata": {"finalizers": kept or None}}).encode(),
                               content_type="application/merge-patch+json")
        self.assertEqual(code, 200, body)


class CascadeTest(GarbageCollectorTestCase):
    def test_background_delete_removes_dependents(self):
        self.require_kubectl()
        parent = self.cm("parent")
        self.cm("child", owners=[owner_ref(parent)])
        self.create("/api/v1/namespaces/default/secrets",
                    {"metadata": {"name": "child-secret", "ownerReferences": [owner_ref(parent)]},
                     "stringData": {"a": "b"}})
        grandchild_owner = self.call("GET", self.cm_path("child"))[1]
        self.cm("grandchild", owners=[owner_ref(grandchild_owner)])
        self.cm("unrelated")
        self.run_ok("delete", "configmap", "parent")
        self.assertTrue(self.gone(self.cm_path("parent")))
        self.wait_gone(self.cm_path("child"))
        self.wait_gone("/api/v1/namespaces/default/secrets/child-secret")
        self.wait_gone(self.cm_path("grandchild"))
        self.assertEqual(self.call("GET", self.cm_path("unrelated"))[0], 200)

    def test_foreground_keeps_the_owner_until_blocking_dependents_are_gone(self):
        self.require_kubectl()
        owner = self.cm("owner")
        # The blocking dependent holds a finalizer of its own, so it can be seen waiting.
        self.cm("blocker", owners=[owner_ref(owner, block=True)], finalizers=["example.com/hold"])
        self.cm("free", owners=[owner_ref(owner, block=False)])
        self.run_ok("delete", "configmap", "owner", "--cascade=foreground", "--wait=false")
        self.wait_gone(self.cm_path("free"))
        self.wait_until(lambda: "deletionTimestamp" in self.call(
            "GET", self.cm_path("blocker"))[1]["metadata"], "the blocker to be deleted")
        held = json.loads(self.run_ok("get", "configmap", "owner", "-o", "json"))
        self.assertIn("deletionTimestamp", held["metadata"])
        self.assertEqual(held["metadata"]["finalizers"], ["foregroundDeletion"])
        self.stays(self.cm_path("owner"))
        self.release(self.cm_path("blocker"), "example.com/hold")
        self.wait_gone(self.cm_path("blocker"))
        self.wait_gone(self.cm_path("owner"))

    def test_foreground_replicaset_waits_for_its_pods(self):
        self.require_kubectl()
        rs = self.create("/apis/apps/v1/namespaces/default/replicasets", {
            "metadata": {"name": "web"},
            "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}})
        ref = owner_ref(rs, kind="ReplicaSet", api_version="apps/v1", block=True)
        ref["controller"] = True
        for i in range(2):
            self.create("/api/v1/namespaces/default/pods", {
                "metadata": {"name": "web-%d" % i, "labels": {"app": "web"},
                             "ownerReferences": [ref],
                             "finalizers": ["example.com/hold"] if i == 0 else []},
                "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
        self.run_ok("delete", "replicaset", "web", "--cascade=foreground", "--wait=false")
        self.wait_gone("/api/v1/namespaces/default/pods/web-1")
        code, held = self.call("GET", "/apis/apps/v1/namespaces/default/replicasets/web")
        self.assertEqual(code, 200, held)
        self.assertIn("foregroundDeletion", held["metadata"]["finalizers"])
        self.stays("/apis/apps/v1/namespaces/default/replicasets/web")
        self.release("/api/v1/namespaces/default/pods/web-0", "example.com/hold")
        self.wait_gone("/api/v1/namespaces/default/pods/web-0")
        self.wait_gone("/apis/apps/v1/namespaces/default/replicasets/web")

    def test_orphan_leaves_dependents_without_the_reference(self):
        self.require_kubectl()
        owner = self.cm("owner")
        other = self.cm("other")
        self.cm("kept", owners=[owner_ref(owner)])
        self.cm("shared", owners=[owner_ref(owner), owner_ref(other)])
        self.run_ok("delete", "configmap", "owner", "--cascade=orphan")
        self.wait_gone(self.cm_path("owner"))
        kept = self.stays(self.cm_path("kept"))
        self.assertNotIn("ownerReferences", kept["metadata"])
        shared = self.stays(self.cm_path("shared"), seconds=0)
        self.assertEqual([r["name"] for r in shared["metadata"]["ownerReferences"]], ["other"])

    def test_orphan_through_the_api_shows_the_finalizer_while_it_waits(self):
        owner = self.cm("owner", finalizers=["example.com/hold"])
        self.cm("kept", owners=[owner_ref(owner)])
        code, body = self.call("DELETE", self.cm_path("owner"),
                               {"kind": "DeleteOptions", "apiVersion": "v1",
                                "propagationPolicy": "Orphan"})
        self.assertEqual(code, 200, body)
        self.assertEqual(body["metadata"]["finalizers"], ["example.com/hold", "orphan"])
        self.wait_until(lambda: "ownerReferences" not in self.call(
            "GET", self.cm_path("kept"))[1]["metadata"], "the reference to be removed")
        self.wait_until(lambda: self.call("GET", self.cm_path("owner"))[1]["metadata"].get(
            "finalizers") == ["example.com/hold"], "the orphan finalizer to be removed")
        self.release(self.cm_path("owner"), "example.com/hold")
        self.wait_gone(self.cm_path("owner"))
        self.stays(self.cm_path("kept"), seconds=0)


class OwnershipRulesTest(GarbageCollectorTestCase):
    def test_a_dependent_with_two_owners_survives_one(self):
        self.require_kubectl()
        a = self.cm("a")
        b = self.cm("b")
        self.cm("dep", owners=[owner_ref(a), owner_ref(b)])
        self.run_ok("delete", "configmap", "a")
        self.wait_until(lambda: [r["name"] for r in self.call("GET", self.cm_path("dep"))[1]
                                 ["metadata"].get("ownerReferences", [])] == ["b"],
                        "the reference to the deleted owner to be removed")
        self.run_ok("delete", "configmap", "b")
        self.wait_gone(self.cm_path("dep"))

    def test_dangling_owner_references_are_collected(self):
        ghost = {"metadata": {"name": "never", "uid": str(uuid.uuid4())}}
        self.cm("orphaned", owners=[owner_ref(ghost)])
        # The name exists, but as another object (another uid).
        self.cm("impostor")
        fake = {"metadata": {"name": "impostor", "uid": str(uuid.uuid4())}}
        self.cm("misled", owners=[owner_ref(fake)])
        self.wait_gone(self.cm_path("orphaned"))
        self.wait_gone(self.cm_path("misled"))
        self.assertEqual(self.call("GET", self.cm_path("impostor"))[0], 200)

    def test_an_owner_in_another_namespace_does_not_hold_its_dependent(self):
        self.create_namespace("other")
        owner = self.cm("owner", ns="other")
        self.cm("dep", owners=[owner_ref(owner)])
        self.wait_gone(self.cm_path("dep"))
        self.assertEqual(self.call("GET", self.cm_path("owner", "other"))[0], 200)

    def test_cluster_scoped_owners_and_dependents(self):
        self.require_kubectl()
        role = self.create("/apis/rbac.authorization.k8s.io/v1/clusterroles",
                           {"metadata": {"name": "gc-owner"}, "rules": []})
        role_ref = owner_ref(role, kind="ClusterRole", api_version="rbac.authorization.k8s.io/v1")
        self.create_namespace("team")
        # A cluster-scoped owner holds namespaced dependents in any namespace.
        self.cm("in-default", owners=[role_ref])
        self.cm("in-team", ns="team", owners=[role_ref])
        # A cluster-scoped object cannot be owned by a namespaced one: it is left alone.
        cm = self.cm("ns-owner")
        self.create("/apis/rbac.authorization.k8s.io/v1/clusterroles",
                    {"metadata": {"name": "bad-child", "ownerReferences": [owner_ref(cm)]},
                     "rules": []})
        self.stays(self.cm_path("in-default"))
        self.stays(self.cm_path("in-team", "team"), seconds=0)
        self.run_ok("delete", "configmap", "ns-owner")
        self.run_ok("delete", "clusterrole", "gc-owner")
        self.wait_gone(self.cm_path("in-default"))
        self.wait_gone(self.cm_path("in-team", "team"))
        self.stays("/apis/rbac.authorization.k8s.io/v1/clusterroles/bad-child")

    def test_custom_resources_own_and_are_owned(self):
        self.require_kubectl()
        crd = {
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "gadgets.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                     "names": {"plural": "gadgets", "singular": "gadget", "kind": "Gadget"},
                     "versions": [{"name": "v1", "served": True, "storage": True,
                                   "schema": {"openAPIV3Schema": {
                                       "type": "object",
                                       "x-kubernetes-preserve-unknown-fields": True}}}]}}
        self.create("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)
        path = "/apis/example.com/v1/namespaces/default/gadgets"
        self.wait_until(lambda: self.call("GET", path)[0] == 200, "gadgets to be served")
        gadget = self.create(path, {"apiVersion": "example.com/v1", "kind": "Gadget",
                                    "metadata": {"name": "g"}})
        self.cm("of-gadget", owners=[owner_ref(gadget, kind="Gadget",
                                               api_version="example.com/v1")])
        owner = self.cm("owner")
        self.create(path, {"apiVersion": "example.com/v1", "kind": "Gadget",
                           "metadata": {"name": "of-cm", "ownerReferences": [owner_ref(owner)]}})
        self.run_ok("delete", "gadget", "g")
        self.wait_gone(self.cm_path("of-gadget"))
        self.run_ok("delete", "configmap", "owner")
        # The collector finds new resources when it reads discovery again (every 30s).
        self.wait_gone(path + "/of-cm", timeout=45)


class DeleteOptionsTest(GarbageCollectorTestCase):
    def test_refused_options(self):
        self.cm("a")
        options = {"kind": "DeleteOptions", "apiVersion": "v1", "orphanDependents": True,
                   "propagationPolicy": "Foreground"}
        self.assert_status(
            self.call("DELETE", self.cm_path("a"), options), 422, "Invalid",
            'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: '
            '"Foreground": orphanDependents and deletionPropagation cannot be both set')
        code, body = self.call("DELETE", self.cm_path("a"),
                               {"kind": "DeleteOptions", "propagationPolicy": "Sideways"})
        self.assertEqual(code, 422, body)
        self.assertEqual(body["message"],
                         'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: '
                         'Unsupported value: "Sideways": supported values: "Foreground", '
                         '"Background", "Orphan", "nil"')
        self.assertEqual(body["details"]["causes"][0]["field"], "propagationPolicy")
        self.assertEqual(self.call("DELETE", self.cm_path("a") + "?propagationPolicy=Sideways")[0],
                         422)
        self.assertEqual(self.call("GET", self.cm_path("a"))[0], 200)
        code, body = self.call("DELETE", self.cm_path("missing"),
                               {"kind": "DeleteOptions", "propagationPolicy": "Sideways"})
        self.assertEqual(code, 404, body)

    def test_orphan_dependents_false_that_waits_is_202(self):
        self.cm("a", finalizers=["example.com/hold"])
        code, body = self.call("DELETE", self.cm_path("a"),
                               {"kind": "DeleteOptions", "orphanDependents": False})
        self.assertEqual(code, 202, body)
        self.assertIn("deletionTimestamp", body["metadata"])
        self.release(self.cm_path("a"), "example.com/hold")
        self.wait_gone(self.cm_path("a"))


if __name__ == "__main__":
    unittest.main()
