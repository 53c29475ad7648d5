"""Node restriction: a node's credential (CN system:node:<name>, O system:nodes) may write only
its own Node, its own Lease in kube-node-lease, the status of pods bound to it, delete those
pods and create mirror pods; everything else is refused with upstream's NodeRestriction
messages. The nodes' certificates are signed by the test with the server's client CA; RBAC
grants them the system:node role through its bootstrap binding, as an administrator would.
"""

import json
import unittest

from test_apiserver import API_ONLY
import test_rbac

RBAC = "/apis/rbac.authorization.k8s.io/v1"
LEASES = "/apis/coordination.k8s.io/v1/namespaces/%s/leases"
MERGE = "application/merge-patch+json"


def lease(name):
    return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": {"name": name}, "spec": {"holderIdentity": name}}


def pod(name, node, **meta):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": dict({"name": name}, **meta),
            "spec": {"nodeName": node, "containers": [{"name": "c", "image": "busybox"}]}}


class NodeRestrictionTest(test_rbac.RbacTestCase):
    control_plane_args = API_ONLY

    def setUp(self):
        super().setUp()
        code, body = self.call("PATCH", RBAC + "/clusterrolebindings/system:node",
                               raw=json.dumps({"subjects": [{
                                   "apiGroup": "rbac.authorization.k8s.io", "kind": "Group",
                                   "name": "system:nodes"}]}).encode(), content_type=MERGE)
        self.assertEqual(code, 200, body)
        self.n1, _, _ = self.user("system:node:n1", groups=("system:nodes",))
        self.n2, self.n2_crt, self.n2_key = self.user("system:node:n2",
                                                      groups=("system:nodes",))
        self.wait_for_code(self.n1, "GET", "/api/v1/nodes", 200)

    def refused(self, ctx, method, path, body, message, content_type=None):
        code, reply = self.as_user(ctx, method, path, body, content_type=content_type)
        self.assertEqual(code, 403, (method, path, reply))
        self.assertEqual(reply["reason"], "Forbidden")
        self.assertEqual(reply["message"], message)
        return reply

    def test_nodes_write_only_their_own_node(self):
        code, body = self.as_user(self.n1, "POST", "/api/v1/nodes",
                                  {"metadata": {"name": "n1",
                                                "labels": {"kubernetes.io/hostname": "n1"}}})
        self.assertEqual(code, 201, body)
        reply = self.refused(self.n1, "POST", "/api/v1/nodes", {"metadata": {"name": "n2"}},
                             'nodes "n2" is forbidden: node "n1" is not allowed to modify node '
                             '"n2"')
        self.assertEqual(reply["details"], {"name": "n2", "kind": "nodes"})
        code, body = self.as_user(self.n2, "POST", "/api/v1/nodes", {"metadata": {"name": "n2"}})
        self.assertEqual(code, 201, body)

        # Status and labels of its own node; nothing of the other's.
        status = {"status": {"conditions": [{"type": "Ready", "status": "True"}]}}
        code, body = self.as_user(self.n1, "PATCH", "/api/v1/nodes/n1/status", status,
                                  content_type=MERGE)
        self.assertEqual(code, 200, body)
        self.assertEqual(body["status"]["conditions"][0]["status"], "True")
        self.refused(self.n1, "PATCH", "/api/v1/nodes/n2/status", status,
                     'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"',
                     content_type=MERGE)
        self.refused(self.n1, "PATCH", "/api/v1/nodes/n2", {"metadata": {"labels": {"a": "b"}}},
                     'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"',
                     content_type=MERGE)
        code, body = self.as_user(self.n1, "PATCH", "/api/v1/nodes/n1",
                                  {"metadata": {"labels": {"rack": "r1",
                                                           "topology.kubernetes.io/zone": "z"}}},
                                  content_type=MERGE)
        self.assertEqual(code, 200, body)
        self.refused(self.n1, "PATCH", "/api/v1/nodes/n1",
                     {"metadata": {"labels": {"node-restriction.kubernetes.io/pool": "gold",
                                              "node-role.kubernetes.io/control-plane": ""}}},
                     'nodes "n1" is forbidden: is not allowed to modify labels: '
                     'node-restriction.kubernetes.io/pool, node-role.kubernetes.io/control-plane',
                     content_type=MERGE)
        self.refused(self.n1, "PATCH", "/api/v1/nodes/n1",
                     {"spec": {"taints": [{"key": "k", "effect": "NoSchedule"}]}},
                     'nodes "n1" is forbidden: node "n1" is not allowed to modify taints',
                     content_type=MERGE)
        self.refused(self.n1, "POST", "/api/v1/nodes",
                     {"metadata": {"name": "n1x"}},
                     'nodes "n1x" is forbidden: node "n1" is not allowed to modify node "n1x"')
        # The administrator is not restricted.
        code, body = self.call("PATCH", "/api/v1/nodes/n2",
                               raw=b'{"spec":{"taints":[{"key":"k","effect":"NoSchedule"}]}}',
                               content_type=MERGE)
        self.assertEqual(code, 200, body)

    def test_nodes_use_only_their_own_lease(self):
        code, body = self.as_user(self.n1, "POST", LEASES % "kube-node-lease", lease("n1"))
        self.assertEqual(code, 201, body)
        reply = self.refused(self.n1, "POST", LEASES % "kube-node-lease", lease("n2"),
                             'leases.coordination.k8s.io "n2" is forbidden: can only access node '
                             'lease with the same name as the requesting node')
        self.assertEqual(reply["details"], {"name": "n2", "group": "coordination.k8s.io",
                                            "kind": "leases"})
        self.refused(self.n1, "POST", LEASES % "default", lease("n1"),
                     'leases.coordination.k8s.io "n1" is forbidden: can only access leases in '
                     'the "kube-node-lease" system namespace')
        renew = {"spec": {"renewTime": "2026-01-01T00:00:00.000000Z"}}
        code, body = self.as_user(self.n1, "PATCH", LEASES % "kube-node-lease" + "/n1", renew,
                                  content_type=MERGE)
        self.assertEqual(code, 200, body)
        self.refused(self.n2, "PATCH", LEASES % "kube-node-lease" + "/n1", renew,
                     'leases.coordination.k8s.io "n1" is forbidden: can only access node lease '
                     'with the same name as the requesting node', content_type=MERGE)
        self.refused(self.n2, "DELETE", LEASES % "kube-node-lease" + "/n1", None,
                     'leases.coordination.k8s.io "n1" is forbidden: can only access node lease '
                     'with the same name as the requesting node')
        code, body = self.as_user(self.n1, "DELETE", LEASES % "kube-node-lease" + "/n1")
        self.assertEqual(code, 200, body)

    def test_pods_bound_to_the_node(self):
        pods = "/api/v1/namespaces/default/pods"
        for name, node in (("p1", "n1"), ("p2", "n2")):
            code, body = self.call("POST", pods, pod(name, node))
            self.assertEqual(code, 201, body)
        status = {"status": {"phase": "Running"}}
        code, body = self.as_user(self.n1, "PATCH", pods + "/p1/status", status,
                                  content_type=MERGE)
        self.assertEqual(code, 200, body)
        self.assertEqual(body["status"]["phase"], "Running")
        reply = self.refused(self.n1, "PATCH", pods + "/p2/status", status,
                             'pods "p2" is forbidden: node "n1" can only update pod status for '
                             'pods with spec.nodeName set to itself', content_type=MERGE)
        self.assertEqual(reply["details"], {"name": "p2", "kind": "pods"})
        # Even where RBAC allows more, the restriction holds: a node updates no pod itself.
        code, current = self.as_user(self.n1, "GET", pods + "/p1")
        self.assertEqual(code, 200, current)
        code, body = self.as_user(self.n1, "PUT", pods + "/p1", current)
        self.assertEqual(code, 403, body)
        self.assertIn('User "system:node:n1" cannot update resource "pods"', body["message"])
        code, body = self.call("POST", RBAC + "/clusterroles", {
            "metadata": {"name": "pod-updater"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["update"]}]})
        self.assertEqual(code, 201, body)
        code, body = self.call("POST", RBAC + "/clusterrolebindings", {
            "metadata": {"name": "nodes-update-pods"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                        "name": "pod-updater"},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group",
                          "name": "system:nodes"}]})
        self.assertEqual(code, 201, body)
        self.wait_until(lambda: "unexpected operation" in self.as_user(
            self.n1, "PUT", pods + "/p1", current)[1].get("message", ""), "RBAC to allow it")
        self.refused(self.n1, "PUT", pods + "/p1", current,
                     'pods "p1" is forbidden: unexpected operation "UPDATE", node "n1" can only '
                     'create and delete mirror pods')
        self.refused(self.n1, "DELETE", pods + "/p2", None,
                     'pods "p2" is forbidden: node "n1" can only delete pods with spec.nodeName '
                     'set to itself')
        code, body = self.as_user(self.n1, "DELETE", pods + "/p1")
        self.assertEqual(code, 200, body)
        code, body = self.as_user(self.n2, "DELETE", pods + "/p2")
        self.assertEqual(code, 200, body)

    def test_only_mirror_pods_may_be_created(self):
        pods = "/api/v1/namespaces/default/pods"
        code, node = self.as_user(self.n1, "POST", "/api/v1/nodes", {"metadata": {"name": "n1"}})
        self.assertEqual(code, 201, node)
        self.refused(self.n1, "POST", pods, pod("plain", "n1"),
                     'pods "plain" is forbidden: pod does not have "kubernetes.io/config.mirror" '
                     'annotation, node "n1" can only create mirror pods')
        mirror = {"annotations": {"kubernetes.io/config.mirror": "hash"}}
        self.refused(self.n1, "POST", pods, pod("m", "n2", **mirror),
                     'pods "m" is forbidden: node "n1" can only create pods with spec.nodeName '
                     'set to itself')
        self.refused(self.n1, "POST", pods, pod("m", "n1", **mirror),
                     'pods "m" is forbidden: node "n1" can only create pods with an owner '
                     'reference set to itself')
        owner = {"apiVersion": "v1", "kind": "Node", "name": "n1",
                 "uid": node["metadata"]["uid"], "controller": True}
        with_secret = pod("m", "n1", ownerReferences=[owner], **mirror)
        with_secret["spec"]["volumes"] = [{"name": "s", "secret": {"secretName": "x"}}]
        self.refused(self.n1, "POST", pods, with_secret,
                     'pods "m" is forbidden: node "n1" can not create pods that reference '
                     'secrets')
        code, body = self.as_user(self.n1, "POST", pods,
                                  pod("m", "n1", ownerReferences=[owner], **mirror))
        self.assertEqual(code, 201, body)

    def test_tokens_only_for_pods_bound_to_the_node(self):
        code, body = self.call("POST", "/api/v1/namespaces/default/serviceaccounts",
                               {"metadata": {"name": "runner"}})
        self.assertEqual(code, 201, body)
        uids = {}
        for name, node in (("p1", "n1"), ("p2", "n2")):
            spec = pod(name, node)
            spec["spec"]["serviceAccountName"] = "runner"
            code, body = self.call("POST", "/api/v1/namespaces/default/pods", spec)
            self.assertEqual(code, 201, body)
            uids[name] = body["metadata"]["uid"]
        token = "/api/v1/namespaces/default/serviceaccounts/runner/token"

        def request(pod_name, uid):
            return {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                    "spec": {"audiences": ["api"], "boundObjectRef": {
                        "apiVersion": "v1", "kind": "Pod", "name": pod_name, "uid": uid}}}

        code, body = self.as_user(self.n1, "POST", token, request("p1", uids["p1"]))
        self.assertEqual(code, 201, body)
        self.assertTrue(body["status"]["token"])
        reply = self.refused(self.n1, "POST", token, request("p2", uids["p2"]),
                             'serviceaccounts "runner" is forbidden: node requested token bound '
                             'to a pod scheduled on a different node')
        self.assertEqual(reply["details"], {"name": "runner", "kind": "serviceaccounts"})
        self.refused(self.n1, "POST", token, request("p1", "not-the-uid"),
                     'serviceaccounts "runner" is forbidden: the UID in the bound object '
                     'reference (not-the-uid) does not match the UID in record. The object '
                     'might have been deleted and then recreated')
        self.refused(self.n1, "POST", token, {"spec": {"audiences": ["api"]}},
                     'serviceaccounts "runner" is forbidden: node requested token not bound to '
                     'a pod')
        code, body = self.as_user(self.n1, "POST", token, request("gone", "u"))
        self.assertEqual(code, 404, body)
        self.assertEqual(body["message"], 'pod "gone" not found')
        # The administrator asks tokens as before.
        code, body = self.call("POST", token, request("p2", uids["p2"]))
        self.assertEqual(code, 201, body)

    def test_only_node_identities_are_restricted(self):
        # system:node:<name> outside system:nodes is an ordinary user: RBAC alone decides.
        lone, _, _ = self.user("system:node:n9")
        code, body = self.as_user(lone, "POST", "/api/v1/nodes", {"metadata": {"name": "n8"}})
        self.assertEqual(code, 403, body)
        self.assertIn('User "system:node:n9" cannot create resource "nodes"', body["message"])
        # A member of system:nodes whose name says no node is refused every write.
        nameless, _, _ = self.user("system:node:", groups=("system:nodes",))
        self.wait_for_code(nameless, "GET", "/api/v1/nodes", 200)
        self.refused(nameless, "POST", LEASES % "kube-node-lease", lease("x"),
                     'leases.coordination.k8s.io "x" is forbidden: could not determine node '
                     'from user "system:node:"')
        # kubectl shows the refusal as it shows upstream's.
        self.require_kubectl()
        code, body = self.call("POST", "/api/v1/nodes", {"metadata": {"name": "n3"}})
        self.assertEqual(code, 201, body)
        r = self.kubectl_as(self.n2_crt, self.n2_key, "label", "node", "n3", "a=b")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('nodes "n3" is forbidden: node "n2" is not allowed to modify node "n3"',
                      r.stderr)


if __name__ == "__main__":
    unittest.main()
