"""The DaemonSet controller of `tug server`, driven with the real kubectl on hollow nodes
(test/tools/hollow_nodes). Daemon pods carry a node affinity naming their node; the scheduler
binds them there and the hollow kubelets report them Running and Ready.

Every server listens on 127.0.0.1 on a free port with its data in a temporary directory.
"""

import json
import os
import unittest

from test_workloads import NODES, HollowNodes, WorkloadsTestCase

DAEMON_TOLERATIONS = [
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
]


def daemonset_manifest(name="agent", image="busybox:1.36", selector=None, labels=None,
                       node_selector=None, tolerations=None, strategy=None):
    labels = labels or {"app": name}
    spec = {"containers": [{"name": "agent", "image": image}]}
    if node_selector:
        spec["nodeSelector"] = node_selector
    if tolerations:
        spec["tolerations"] = tolerations
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet",
          "metadata": {"name": name, "namespace": "default"},
          "spec": {"selector": {"matchLabels": selector or labels},
                   "template": {"metadata": {"labels": labels}, "spec": spec}}}
    if strategy:
        ds["spec"]["updateStrategy"] = strategy
    return ds


class DaemonSetTest(WorkloadsTestCase):
    wait_timeout = 45

    def daemonset(self, name="agent"):
        return self.get("/apis/apps/v1/namespaces/default/daemonsets/" + name)

    def nodes_running(self, name="agent"):
        """The nodes with a Running pod of the DaemonSet, when each has exactly one."""
        pods = self.running_pods("app=" + name)
        nodes = [p["spec"].get("nodeName") for p in pods]
        return sorted(nodes) if len(set(nodes)) == len(nodes) else None

    def wait_for_nodes(self, expected, name="agent"):
        expected = sorted(expected)
        self.wait_until(lambda: self.nodes_running(name) == expected and
                        len(self.pods("app=" + name)) == len(expected),
                        "pods of %s on exactly %s" % (name, expected))

    def wait_for_status(self, name, **want):
        def matches():
            status = self.daemonset(name).get("status", {})
            got = {k: status.get(k, 0) for k in want}
            return got == want and status
        return self.wait_until(matches, "status of %s to be %s" % (name, want))

    def test_covers_every_node_including_one_added_later(self):
        self.apply(daemonset_manifest())
        all_nodes = ["hollow-%d" % i for i in range(NODES)]
        self.wait_for_nodes(all_nodes)
        ds = self.daemonset()
        pod = self.running_pods("app=agent")[0]
        self.assert_controller_ref(pod, "DaemonSet", ds)
        node = pod["spec"]["nodeName"]
        terms = pod["spec"]["affinity"]["nodeAffinity"][
            "requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
        self.assertEqual(terms, [{"matchFields": [
            {"key": "metadata.name", "operator": "In", "values": [node]}]}])
        tolerations = {(t["key"], t["effect"]) for t in pod["spec"]["tolerations"]
                       if t.get("operator") == "Exists" and "tolerationSeconds" not in t}
        self.assertTrue(set(DAEMON_TOLERATIONS) <= tolerations, pod["spec"]["tolerations"])
        labels = pod["metadata"]["labels"]
        self.assertEqual(labels["pod-template-generation"], "1")
        self.assertEqual(ds["metadata"]["annotations"]["deprecated.daemonset.template.generation"],
                         "1")
        revisions = self.get("/apis/apps/v1/namespaces/default/controllerrevisions")["items"]
        self.assertEqual(len(revisions), 1)
        self.assertEqual(revisions[0]["metadata"]["name"],
                         "agent-" + labels["controller-revision-hash"])
        self.assertEqual(revisions[0]["revision"], 1)
        self.assert_controller_ref(revisions[0], "DaemonSet", ds)
        self.wait_for_status("agent", desiredNumberScheduled=NODES, currentNumberScheduled=NODES,
                             numberReady=NODES, updatedNumberScheduled=NODES,
                             numberAvailable=NODES, numberMisscheduled=0, numberUnavailable=0)
        events = self.get("/api/v1/namespaces/default/events?fieldSelector="
                          "involvedObject.kind%3DDaemonSet")["items"]
        created = [e["message"] for e in events if e["reason"] == "SuccessfulCreate"]
        self.assertIn("Created pod: " + pod["metadata"]["name"], created)

        # A node that registers later gets a pod too.
        later_dir = os.path.join(self.tmp, "later")
        os.mkdir(later_dir)
        later = HollowNodes(later_dir, self.server.kubeconfig, "--nodes", "1",
                            "--prefix", "late-")
        self.addCleanup(later.stop)
        later.expect("ready 1")
        self.wait_for_nodes(all_nodes + ["late-0"])
        self.wait_for_status("agent", desiredNumberScheduled=NODES + 1,
                             numberAvailable=NODES + 1)

        # A deleted daemon pod is replaced on its node.
        victim = self.running_pods("app=agent")[0]
        self.ok("delete", "pod", victim["metadata"]["name"], "--wait=false")
        self.wait_until(lambda: any(p["spec"].get("nodeName") == victim["spec"]["nodeName"] and
                                    p["metadata"]["uid"] != victim["metadata"]["uid"]
                                    for p in self.running_pods("app=agent")),
                        "a replacement pod on " + victim["spec"]["nodeName"])

        out = self.ok("get", "daemonset", "agent")
        self.assertRegex(out, r"agent\s+%d\s+%d\s+\d+\s+\d+\s+\d+" % (NODES + 1, NODES + 1))
        self.wait_for_status("agent", numberAvailable=NODES + 1, updatedNumberScheduled=NODES + 1)
        out = self.ok("describe", "daemonset", "agent")
        self.assertIn("Desired Number of Nodes Scheduled: %d" % (NODES + 1), out)
        self.assertIn("Number of Nodes Scheduled with Available Pods: %d" % (NODES + 1), out)
        self.assertIn("SuccessfulCreate", out)

    def test_taints_and_node_selector(self):
        self.ok("taint", "node", "hollow-1", "dedicated=infra:NoSchedule")
        self.ok("label", "node", "hollow-2", "disk=ssd")
        self.ok("cordon", "hollow-2")  # daemon pods tolerate cordoned nodes
        self.apply(daemonset_manifest("plain"))
        self.apply(daemonset_manifest("tolerant", tolerations=[
            {"key": "dedicated", "operator": "Equal", "value": "infra", "effect": "NoSchedule"}]))
        self.apply(daemonset_manifest("ssd", node_selector={"disk": "ssd"}))
        self.wait_for_nodes(["hollow-0", "hollow-2"], "plain")
        self.wait_for_nodes(["hollow-0", "hollow-1", "hollow-2"], "tolerant")
        self.wait_for_nodes(["hollow-2"], "ssd")
        self.wait_for_status("plain", desiredNumberScheduled=2, numberAvailable=2)
        self.wait_for_status("ssd", desiredNumberScheduled=1, numberAvailable=1)

        # A node that stops matching loses its pod; one that starts matching gains one.
        self.ok("label", "node", "hollow-2", "disk-")
        self.ok("label", "node", "hollow-0", "disk=ssd")
        self.wait_for_nodes(["hollow-0"], "ssd")
        # A NoExecute taint the pods do not tolerate evicts them; NoSchedule alone does not.
        self.ok("taint", "node", "hollow-0", "evict=now:NoExecute")
        self.wait_for_nodes(["hollow-2"], "plain")
        self.wait_for_status("plain", desiredNumberScheduled=1, numberMisscheduled=0)

    def test_rolling_update_completes(self):
        self.apply(daemonset_manifest(strategy={"type": "RollingUpdate",
                                                "rollingUpdate": {"maxUnavailable": 1}}))
        out = self.ok("rollout", "status", "daemonset/agent", "--timeout=60s")
        self.assertIn('daemon set "agent" successfully rolled out', out)
        first_hash = self.running_pods("app=agent")[0]["metadata"]["labels"][
            "controller-revision-hash"]

        self.ok("set", "image", "daemonset/agent", "agent=busybox:1.37")
        out = self.ok("rollout", "status", "daemonset/agent", "--timeout=90s")
        self.assertIn('daemon set "agent" successfully rolled out', out)
        self.wait_for_nodes(["hollow-%d" % i for i in range(NODES)])
        pods = self.running_pods("app=agent")
        self.assertEqual({p["spec"]["containers"][0]["image"] for p in pods}, {"busybox:1.37"})
        self.assertEqual({p["metadata"]["labels"]["pod-template-generation"] for p in pods},
                         {"2"})
        new_hash = {p["metadata"]["labels"]["controller-revision-hash"] for p in pods}
        self.assertEqual(len(new_hash), 1)
        self.assertNotEqual(new_hash, {first_hash})
        ds = self.daemonset()
        self.assertEqual(ds["status"]["observedGeneration"], ds["metadata"]["generation"])
        self.assertEqual(ds["status"]["updatedNumberScheduled"], NODES)
        path = "/apis/apps/v1/namespaces/default/controllerrevisions"
        revisions = sorted((r["revision"], r["metadata"]["name"])
                           for r in self.get(path)["items"])
        self.assertEqual(revisions, [(1, "agent-" + first_hash),
                                     (2, "agent-" + new_hash.pop())])
        events = self.get("/api/v1/namespaces/default/events?fieldSelector="
                          "involvedObject.kind%3DDaemonSet")["items"]
        self.assertTrue(any(e["reason"] == "SuccessfulDelete" and
                            e["message"].startswith("Deleted pod: agent-") for e in events))

    def test_failed_pod_is_replaced(self):
        self.apply(daemonset_manifest())
        self.wait_for_nodes(["hollow-%d" % i for i in range(NODES)])
        victim = self.running_pods("app=agent")[0]
        name, node = victim["metadata"]["name"], victim["spec"]["nodeName"]
        status = dict(victim["status"], phase="Failed")
        status["conditions"] = [dict(c, status="False") if c["type"] == "Ready" else c
                                for c in status.get("conditions", [])]
        code, body = self.call("PATCH", "/api/v1/namespaces/default/pods/%s/status" % name,
                               {"status": status}, content_type="application/merge-patch+json")
        self.assertEqual(code, 200, body)
        self.wait_until(lambda: any(p["spec"].get("nodeName") == node and
                                    p["metadata"]["name"] != name
                                    for p in self.running_pods("app=agent")),
                        "a replacement for the failed pod on " + node)
        self.wait_until(lambda: self.call("GET", "/api/v1/namespaces/default/pods/" + name)[0]
                        == 404, "the failed pod to be deleted")
        events = self.get("/api/v1/namespaces/default/events?fieldSelector="
                          "involvedObject.kind%3DDaemonSet")["items"]
        self.assertIn("Found failed daemon pod default/%s on node %s, will try to kill it"
                      % (name, node),
                      [e["message"] for e in events if e["reason"] == "FailedDaemonPod"])
        self.wait_for_status("agent", desiredNumberScheduled=NODES, numberAvailable=NODES)

    def test_rolling_update_with_surge(self):
        self.apply(daemonset_manifest(strategy={
            "type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}))
        self.ok("rollout", "status", "daemonset/agent", "--timeout=60s")
        self.ok("set", "image", "daemonset/agent", "agent=busybox:1.37")
        out = self.ok("rollout", "status", "daemonset/agent", "--timeout=60s")
        self.assertIn('daemon set "agent" successfully rolled out', out)
        self.wait_for_nodes(["hollow-%d" % i for i in range(NODES)])
        pods = self.running_pods("app=agent")
        self.assertEqual({p["spec"]["containers"][0]["image"] for p in pods}, {"busybox:1.37"})

    def test_rollout_history_and_undo(self):
        self.apply(daemonset_manifest())
        self.ok("rollout", "status", "daemonset/agent", "--timeout=60s")
        self.ok("set", "image", "daemonset/agent", "agent=busybox:1.37")
        self.ok("rollout", "status", "daemonset/agent", "--timeout=60s")
        out = self.ok("rollout", "history", "daemonset/agent")
        self.assertRegex(out, r"(?m)^1\s")
        self.assertRegex(out, r"(?m)^2\s")
        out = self.ok("rollout", "history", "daemonset/agent", "--revision=1")
        self.assertIn("busybox:1.36", out)
        self.ok("rollout", "undo", "daemonset/agent")
        self.ok("rollout", "status", "daemonset/agent", "--timeout=60s")
        ds = self.daemonset()
        self.assertEqual(ds["spec"]["template"]["spec"]["containers"][0]["image"], "busybox:1.36")
        self.assertEqual(ds["metadata"]["annotations"]["deprecated.daemonset.template.generation"],
                         "3")
        pods = self.running_pods("app=agent")
        self.assertEqual({p["spec"]["containers"][0]["image"] for p in pods}, {"busybox:1.36"})
        self.assertEqual(len(pods), NODES)
        # The first revision is the current one again, renumbered; no third one is made.
        path = "/apis/apps/v1/namespaces/default/controllerrevisions"
        revisions = sorted(r["revision"] for r in self.get(path)["items"])
        self.assertEqual(revisions, [2, 3])

    def test_on_delete_waits_for_deletion(self):
        self.apply(daemonset_manifest(strategy={"type": "OnDelete"}))
        self.wait_for_status("agent", numberAvailable=NODES, updatedNumberScheduled=NODES)
        self.ok("set", "image", "daemonset/agent", "agent=busybox:1.37")
        self.wait_for_status("agent", numberAvailable=NODES, updatedNumberScheduled=0)
        pods = self.running_pods("app=agent")
        self.assertEqual({p["spec"]["containers"][0]["image"] for p in pods}, {"busybox:1.36"})
        self.ok("delete", "pod", pods[0]["metadata"]["name"], "--wait=false")
        self.wait_for_status("agent", numberAvailable=NODES, updatedNumberScheduled=1)
        r = self.run_kubectl("rollout", "status", "daemonset/agent", "--timeout=5s")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("rollout status is only available for RollingUpdate strategy type",
                      r.stderr)

    def test_orphans_are_adopted(self):
        code, body = self.call("POST", "/api/v1/namespaces/default/pods", {
            "metadata": {"name": "stray", "labels": {"app": "agent"}},
            "spec": {"nodeName": "hollow-0",
                     "containers": [{"name": "agent", "image": "busybox:1.36"}]}})
        self.assertEqual(code, 201, body)
        self.apply(daemonset_manifest())
        ds = self.daemonset()
        self.wait_until(lambda: self.get("/api/v1/namespaces/default/pods/stray")["metadata"]
                        .get("ownerReferences"), "the orphan to be adopted")
        self.assert_controller_ref(self.get("/api/v1/namespaces/default/pods/stray"),
                                   "DaemonSet", ds)
        self.wait_for_nodes(["hollow-%d" % i for i in range(NODES)])

        # Deleting the DaemonSet takes its pods and revisions along (garbage collector).
        self.ok("delete", "daemonset", "agent")
        revisions = "/apis/apps/v1/namespaces/default/controllerrevisions"
        self.wait_until(lambda: not self.pods("app=agent") and not self.get(revisions)["items"],
                        "the pods and revisions to go")

    def test_duplicate_revisions_are_merged(self):
        self.apply(daemonset_manifest())
        self.wait_for_status("agent", numberAvailable=NODES, updatedNumberScheduled=NODES)
        path = "/apis/apps/v1/namespaces/default/controllerrevisions"
        [original] = self.get(path)["items"]
        # An orphan of the same template with a higher revision: adopted, kept, and the pods
        # move to its hash before the older copy goes.
        code, body = self.call("POST", path, {
            "metadata": {"name": "agent-dup",
                         "labels": {"app": "agent", "controller-revision-hash": "dup"}},
            "data": original["data"], "revision": 5})
        self.assertEqual(code, 201, body)
        self.wait_until(lambda: [r["metadata"]["name"] for r in self.get(path)["items"]]
                        == ["agent-dup"], "the older copy to be deleted")
        self.wait_until(lambda: {p["metadata"]["labels"]["controller-revision-hash"]
                                 for p in self.pods("app=agent")} == {"dup"},
                        "the pods to be relabelled")
        self.assert_controller_ref(self.get(path + "/agent-dup"), "DaemonSet", self.daemonset())
        self.wait_for_status("agent", numberAvailable=NODES, updatedNumberScheduled=NODES)
        self.assertEqual(len(self.pods("app=agent")), NODES)

    def test_bad_input(self):
        ds = daemonset_manifest(selector={"app": "other"})
        code, body = self.call("POST", "/apis/apps/v1/namespaces/default/daemonsets", ds)
        self.assertEqual(code, 422, body)
        self.assertEqual(body["reason"], "Invalid")
        fields = [c["field"] for c in body["details"]["causes"]]
        self.assertIn("spec.template.metadata.labels", fields)
        self.assertIn("`selector` does not match template `labels`", body["message"])

        ds = daemonset_manifest(strategy={"type": "Sometimes"})
        code, body = self.call("POST", "/apis/apps/v1/namespaces/default/daemonsets", ds)
        self.assertEqual(code, 422, body)
        self.assertIn("spec.updateStrategy.type", [c["field"] for c in body["details"]["causes"]])

        r = self.run_kubectl("apply", "-f", "-",
                             stdin=json.dumps(daemonset_manifest(selector={"app": "other"})))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("spec.template.metadata.labels", r.stderr)

        # Defaults, as upstream's.
        code, body = self.call("POST", "/apis/apps/v1/namespaces/default/daemonsets",
                               daemonset_manifest("defaults"))
        self.assertEqual(code, 201, body)
        self.assertEqual(body["spec"]["updateStrategy"],
                         {"type": "RollingUpdate",
                          "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})
        self.assertEqual(body["spec"]["revisionHistoryLimit"], 10)


if __name__ == "__main__":
    unittest.main()
