"""PodDisruptionBudgets, the Eviction subresource and `kubectl drain` on hollow nodes
(test/tools/hollow_nodes): the disruption controller's status, evictions refused with 429 while
a budget allows nothing, and drains that wait for the budget (with the real kubectl, current
and 1.27). The scheduler places the pods, so a cordoned node gets no replacements.

Every server listens on 127.0.0.1 on a free port with its data in a temporary directory.
"""

import json
import os
import subprocess
import threading
import time
import unittest

import test_rbac
from test_cli import clean_env
from test_workloads import HollowNodes, WorkloadsTestCase, HOLLOW_NODES
from test_resources import KUBECTL

KUBECTL_127 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.27"
PDBS = "/apis/policy/v1/namespaces/default/poddisruptionbudgets"
VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."


def deployment(name="web", replicas=3):
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}}


def budget(name="web-pdb", app="web", **spec):
    spec["selector"] = {"matchLabels": {"app": app}}
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": name, "namespace": "default"}, "spec": spec}


def eviction(pod, api_version="policy/v1", delete_options=None):
    body = {"apiVersion": api_version, "kind": "Eviction",
            "metadata": {"name": pod, "namespace": "default"}}
    if delete_options is not None:
        body["deleteOptions"] = delete_options
    return body


class DisruptionTestCase(WorkloadsTestCase):
    """Two hollow nodes (the third the harness starts is cordoned away at once)."""

    wait_timeout = 60

    def setUp(self):
        super().setUp()
        # Only hollow-0 and hollow-1 take pods.
        self.ok("cordon", "hollow-2")

    def evict(self, pod, **kw):
        return self.call("POST", "/api/v1/namespaces/default/pods/%s/eviction" % pod,
                         eviction(pod, **kw))

    def pdb(self, name="web-pdb"):
        return self.get(PDBS + "/" + name)

    def wait_for_budget(self, name="web-pdb", **expected):
        def settled():
            b = self.pdb(name)
            s = b.get("status", {})
            if s.get("observedGeneration") != b["metadata"]["generation"]:
                return None
            return b if all(s.get(k) == v for k, v in expected.items()) else None
        return self.wait_until(settled, "budget %s with %r" % (name, expected))

    def ready_pods(self, app="web"):
        return [p for p in self.running_pods("app=" + app)
                if any(c["type"] == "Ready" and c["status"] == "True"
                       for c in p["status"].get("conditions", []))]

    def start_web(self, replicas=3):
        self.apply(deployment(replicas=replicas))
        self.wait_until(lambda: len(self.ready_pods()) == replicas and
                        all(p["spec"].get("nodeName") for p in self.ready_pods()),
                        "%d ready pods" % replicas)

    def busiest_node(self):
        nodes = {}
        for p in self.ready_pods():
            nodes.setdefault(p["spec"]["nodeName"], []).append(p["metadata"]["name"])
        return max(nodes.items(), key=lambda kv: len(kv[1]))


class BudgetStatusTest(DisruptionTestCase):
    def test_status_follows_the_pods(self):
        self.start_web()
        self.apply(budget(minAvailable=2))
        b = self.wait_for_budget(disruptionsAllowed=1, currentHealthy=3, desiredHealthy=2,
                                 expectedPods=3)
        cond = [c for c in b["status"]["conditions"] if c["type"] == "DisruptionAllowed"]
        self.assertEqual(len(cond), 1, b["status"])
        self.assertEqual((cond[0]["status"], cond[0]["reason"]), ("True", "SufficientPods"))

        out = self.ok("get", "pdb")
        header = out.splitlines()[0].split()
        self.assertEqual(header, ["NAME", "MIN", "AVAILABLE", "MAX", "UNAVAILABLE", "ALLOWED",
                                  "DISRUPTIONS", "AGE"])
        row = out.splitlines()[1].split()
        self.assertEqual(row[:4], ["web-pdb", "2", "N/A", "1"])

        # A percentage of maxUnavailable counts the Deployment's replicas.
        self.apply(budget(maxUnavailable="50%"))
        self.wait_for_budget(disruptionsAllowed=2, desiredHealthy=1, expectedPods=3)

        # Scaled down to one pod, the budget allows nothing more.
        self.apply(budget(minAvailable=2))
        self.ok("scale", "deployment/web", "--replicas=1")
        b = self.wait_for_budget(disruptionsAllowed=0, currentHealthy=1, expectedPods=1)
        cond = [c for c in b["status"]["conditions"] if c["type"] == "DisruptionAllowed"][0]
        self.assertEqual((cond["status"], cond["reason"]), ("False", "InsufficientPods"))

    def test_a_budget_it_cannot_compute_allows_nothing(self):
        # A pod whose controller has no scale the controller knows (a ConfigMap, which the
        # garbage collector leaves alone as it exists).
        owner = self.create_cm("owner")
        code, body = self.call("POST", "/api/v1/namespaces/default/pods", {
            "metadata": {"name": "odd", "labels": {"app": "odd"},
                         "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap",
                                              "name": "owner", "uid": owner["metadata"]["uid"],
                                              "controller": True}]},
            "spec": {"nodeName": "hollow-0", "containers": [{"name": "c", "image": "nginx"}]}})
        self.assertEqual(code, 201, body)
        self.apply(budget(name="odd-pdb", app="odd", maxUnavailable=1))

        def failed():
            b = self.pdb("odd-pdb")
            conds = b.get("status", {}).get("conditions", [])
            return [c for c in conds if c["reason"] == "SyncFailed"]
        cond = self.wait_until(failed, "the SyncFailed condition")[0]
        self.assertEqual((cond["type"], cond["status"]), ("DisruptionAllowed", "False"))
        self.assertEqual(cond["message"], 'found no controllers for pod "odd"')
        self.assertEqual(self.pdb("odd-pdb")["status"]["disruptionsAllowed"], 0)
        self.wait_until(lambda: self.ready_pods("odd"), "the pod to be ready")
        code, body = self.evict("odd")
        self.assertEqual(code, 429, body)

    def test_invalid_budgets_are_refused_with_field_paths(self):
        code, body = self.call("POST", PDBS, budget(minAvailable=1, maxUnavailable=1))
        self.assertEqual(code, 422, body)
        self.assertEqual(body["reason"], "Invalid")
        self.assertEqual([c["field"] for c in body["details"]["causes"]], ["spec"])
        self.assertIn("minAvailable and maxUnavailable cannot be both set", body["message"])

        code, body = self.call("POST", PDBS, budget(minAvailable="150%"))
        self.assertEqual(code, 422, body)
        self.assertEqual(body["details"]["causes"][0]["field"], "spec.minAvailable")
        self.assertIn("must not be greater than 100%", body["message"])

        code, body = self.call("POST", PDBS, budget(maxUnavailable=-2))
        self.assertEqual(code, 422, body)
        self.assertEqual(body["details"]["causes"][0]["field"], "spec.maxUnavailable")

        r = self.run_kubectl("apply", "-f", "-", stdin=json.dumps(budget(minAvailable="x")))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("spec.minAvailable: Invalid value", r.stderr)


class EvictionTest(DisruptionTestCase):
    def test_evictions_spend_the_budget(self):
        self.start_web()
        self.apply(budget(minAvailable=2))
        self.wait_for_budget(disruptionsAllowed=1)
        first, second = [p["metadata"]["name"] for p in self.ready_pods()][:2]

        code, body = self.evict("nosuch")
        self.assertEqual(code, 404, body)
        self.assertEqual(body["message"], 'pods "nosuch" not found')

        # A dry run checks the budget and spends nothing.
        code, body = self.evict(first, delete_options={"dryRun": ["All"]})
        self.assertEqual(code, 201, body)
        self.assertEqual(self.pdb()["status"]["disruptionsAllowed"], 1)

        code, body = self.evict(first)
        self.assertEqual(code, 201, body)
        self.assertEqual((body["kind"], body["status"]), ("Status", "Success"))
        code, _ = self.call("GET", "/api/v1/namespaces/default/pods/" + first)
        self.assertEqual(code, 404)
        # The eviction spent the disruption before the controller saw the pod go.
        code, body = self.evict(second)
        self.assertEqual(code, 429, body)
        self.assertEqual(body["reason"], "TooManyRequests")
        self.assertEqual(body["message"], VIOLATION)
        cause = body["details"]["causes"][0]
        self.assertEqual(cause["reason"], "DisruptionBudget")
        self.assertRegex(cause["message"],
                         r"^The disruption budget web-pdb needs 2 healthy pods and has \d currently$")

        # The replacement becomes ready, and the budget allows one again.
        self.wait_for_budget(disruptionsAllowed=1, currentHealthy=3)
        self.assertNotIn("disruptedPods", self.pdb()["status"])
        code, body = self.evict(second, api_version="policy/v1beta1")
        self.assertEqual(code, 201, body)

    def test_two_budgets_over_one_pod(self):
        self.start_web(replicas=1)
        self.apply(budget(name="a", maxUnavailable=1))
        self.apply(budget(name="b", maxUnavailable=1))
        self.wait_for_budget(name="b", disruptionsAllowed=1)
        pod = self.ready_pods()[0]["metadata"]["name"]
        code, body = self.evict(pod)
        self.assertEqual(code, 500, body)
        self.assertEqual(body["message"], "This pod has more than one PodDisruptionBudget, which "
                                          "the eviction subresource does not support.")

    def test_rbac_edit_may_evict_and_view_may_not(self):
        self.start_web(replicas=1)
        pod = self.ready_pods()[0]["metadata"]["name"]
        for user, role in (("vic", "view"), ("eddie", "edit")):
            code, body = self.call(
                "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
                {"metadata": {"name": user},
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                             "name": role},
                 "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User",
                               "name": user}]})
            self.assertEqual(code, 201, body)
        path = "/api/v1/namespaces/default/pods/%s/eviction" % pod
        viewer, _, _ = test_rbac.RbacTest.user(self, "vic")
        code, body = test_rbac.RbacTest.as_user(self, viewer, "POST", path, eviction(pod))
        self.assertEqual(code, 403, body)
        self.assertIn('cannot create resource "pods/eviction"', body["message"])
        editor, _, _ = test_rbac.RbacTest.user(self, "eddie")
        code, body = test_rbac.RbacTest.as_user(self, editor, "POST", path, eviction(pod))
        self.assertEqual(code, 201, body)


class DrainTest(DisruptionTestCase):
    def drain(self, node, timeout="60s", binary=None):
        cache = os.path.join(self.tmp, "kube-cache")
        return subprocess.run([binary or KUBECTL, "--kubeconfig", self.server.kubeconfig,
                               "--cache-dir", cache, "drain", node, "--ignore-daemonsets",
                               "--delete-emptydir-data", "--timeout=" + timeout],
                              capture_output=True, text=True, timeout=120, env=clean_env())

    def check_drain_respects_the_budget(self, binary=None):
        self.start_web()
        self.apply(budget(minAvailable=2))
        self.wait_for_budget(disruptionsAllowed=1)
        node, names = self.busiest_node()
        other = "hollow-1" if node == "hollow-0" else "hollow-0"
        # The fewest ready pods seen while the drain runs: the budget keeps at least two.
        fewest = [3]
        draining = threading.Event()

        def watch_ready():
            while not draining.is_set():
                fewest[0] = min(fewest[0], len(self.ready_pods()))
                time.sleep(0.05)
        watcher = threading.Thread(target=watch_ready)
        watcher.start()
        try:
            r = self.drain(node, binary=binary)
        finally:
            draining.set()
            watcher.join()
        self.assertGreaterEqual(fewest[0], 2)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("node/%s drained" % node, r.stdout)
        for name in names:
            self.assertIn("pod/%s evicted" % name, r.stdout + r.stderr)
        if len(names) > 1:
            # The second eviction had to wait for the first pod's replacement.
            self.assertIn(VIOLATION, r.stderr)
        ready = self.wait_until(lambda: len(self.ready_pods()) == 3 and self.ready_pods(),
                                "three ready pods again")
        self.assertEqual({p["spec"]["nodeName"] for p in ready}, {other})
        self.assertTrue(self.get("/api/v1/nodes/" + node)["spec"].get("unschedulable"))
        self.wait_for_budget(disruptionsAllowed=1, currentHealthy=3)

    def test_drain_waits_for_the_budget(self):
        self.check_drain_respects_the_budget()

    def test_drain_with_kubectl_1_27(self):
        if not os.path.exists(KUBECTL_127):
            self.skipTest("kubectl 1.27 is not installed")
        self.check_drain_respects_the_budget(binary=KUBECTL_127)

    def test_drain_times_out_on_a_budget_that_allows_nothing(self):
        self.start_web()
        self.apply(budget(minAvailable=3))
        self.wait_for_budget(disruptionsAllowed=0, currentHealthy=3)
        node, names = self.busiest_node()
        started = time.monotonic()
        r = self.drain(node, timeout="12s")
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertGreaterEqual(time.monotonic() - started, 11)
        self.assertIn(VIOLATION, r.stderr)
        self.assertIn("global timeout reached", r.stderr)
        still = {p["metadata"]["name"] for p in self.ready_pods()}
        self.assertTrue(set(names) <= still, (names, still))


if __name__ == "__main__":
    unittest.main()
