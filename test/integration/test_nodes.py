"""Node lifecycle: a node that stops renewing its Lease becomes Ready=Unknown, is tainted
unreachable, and its pods are marked not ready and evicted once their tolerations run out;
a node that comes back is untainted. Cordoning taints a node unschedulable. New pods get the
default not-ready/unreachable tolerations.

The server runs with a short grace period and short default tolerations so that the whole
path takes seconds. Every server listens on 127.0.0.1 with its data in a temporary directory.
"""

import datetime
import threading
import time
import unittest

from test_resources import ResourcesTestCase

LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases"


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class NodeLifecycleTest(ResourcesTestCase):
    server_args = ("--node-monitor-grace-period", "3s",
                   "--default-unreachable-toleration-seconds", "2",
                   "--default-not-ready-toleration-seconds", "2")

    def setUp(self):
        super().setUp()
        self.alive = {}  # node name -> whether its heartbeat thread renews
        self.stop_beats = threading.Event()
        self.addCleanup(self.stop_beats.set)

    wait_timeout = 20

    def add_node(self, name):
        code, body = self.call("POST", "/api/v1/nodes", {"metadata": {"name": name}})
        self.assertEqual(code, 201, body)
        body["status"] = {"conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                          "lastHeartbeatTime": now()[:19] + "Z"}],
                          "capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                          "allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}}
        code, reply = self.call("PUT", "/api/v1/nodes/%s/status" % name, body)
        self.assertEqual(code, 200, reply)
        code, lease = self.call("POST", LEASES, {
            "metadata": {"name": name},
            "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": now()}})
        self.assertEqual(code, 201, lease)
        self.alive[name] = True
        threading.Thread(target=self.heartbeat, args=(name,), daemon=True).start()

    def heartbeat(self, name):
        while not self.stop_beats.wait(0.5):
            if not self.alive[name]:
                continue
            try:
                code, lease = self.call("GET", LEASES + "/" + name)
                if code != 200:
                    continue
                lease["spec"]["renewTime"] = now()
                self.call("PUT", LEASES + "/" + name, lease)
            except OSError:
                pass  # the server is stopping at the end of the test

    def run_pod(self, name, node, tolerations=None):
        spec = {"nodeName": node, "containers": [{"name": "c", "image": "nginx"}]}
        if tolerations is not None:
            spec["tolerations"] = tolerations
        code, pod = self.call("POST", "/api/v1/namespaces/default/pods",
                              {"metadata": {"name": name}, "spec": spec})
        self.assertEqual(code, 201, pod)
        pod["status"] = {"phase": "Running", "podIP": "10.42.0.9",
                         "conditions": [{"type": "Ready", "status": "True"}]}
        code, body = self.call("PUT", "/api/v1/namespaces/default/pods/%s/status" % name, pod)
        self.assertEqual(code, 200, body)
        return pod

    def node(self, name):
        return self.call("GET", "/api/v1/nodes/" + name)[1]

    def ready(self, name):
        for c in self.node(name).get("status", {}).get("conditions", []):
            if c["type"] == "Ready":
                return c
        return None

    def taint_keys(self, name):
        return sorted((t["key"], t["effect"])
                      for t in self.node(name).get("spec", {}).get("taints", []))

    def pod(self, name):
        code, body = self.call("GET", "/api/v1/namespaces/default/pods/" + name)
        return body if code == 200 else None

    def test_new_pods_get_the_default_tolerations(self):
        pod = self.run_pod("plain", "nowhere")
        self.assertEqual(pod["spec"]["tolerations"], [
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": 2},
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": 2}])
        # A pod that tolerates everything keeps its own tolerations only.
        pod = self.run_pod("tolerant", "nowhere", [{"operator": "Exists"}])
        self.assertEqual(pod["spec"]["tolerations"], [{"operator": "Exists"}])

    def has_event(self, kind, name, reason, message=None, type_="Normal"):
        code, events = self.call("GET", "/api/v1/namespaces/default/events")
        self.assertEqual(code, 200, events)
        return any(e["involvedObject"].get("kind") == kind and e["involvedObject"]["name"] == name
                   and e["reason"] == reason and e["type"] == type_
                   and e["source"]["component"] == "node-controller"
                   and (message is None or e["message"] == message)
                   for e in events["items"])

    def test_a_silent_node_is_tainted_and_its_pods_evicted(self):
        self.add_node("alive")
        self.add_node("lost")
        self.run_pod("on-lost", "lost")
        self.run_pod("stays", "lost", [{"key": "node.kubernetes.io/unreachable",
                                        "operator": "Exists", "effect": "NoExecute"}])
        self.run_pod("on-alive", "alive")
        time.sleep(4)  # longer than the grace period: heartbeats keep both alive
        self.assertEqual(self.ready("lost")["status"], "True")
        self.assertEqual(self.taint_keys("lost"), [])

        self.alive["lost"] = False
        self.wait_until(lambda: self.ready("lost")["status"] == "Unknown", "lost to be Unknown")
        self.assertEqual(self.ready("lost")["reason"], "NodeStatusUnknown")
        self.assertEqual(self.ready("lost")["message"], "Kubelet stopped posting node status.")
        self.wait_until(lambda: self.taint_keys("lost") == [
            ("node.kubernetes.io/unreachable", "NoExecute"),
            ("node.kubernetes.io/unreachable", "NoSchedule")], "the unreachable taints")
        taint = [t for t in self.node("lost")["spec"]["taints"] if t["effect"] == "NoExecute"][0]
        self.assertIn("timeAdded", taint)
        # Its pods are not ready, then evicted after their 2 s toleration; one that tolerates the
        # taint forever stays, and the other node's pod is untouched.
        self.wait_until(lambda: self.pod("on-lost") is None, "on-lost to be evicted")
        stays = self.pod("stays")
        self.assertIsNotNone(stays)
        ready = [c for c in stays["status"]["conditions"] if c["type"] == "Ready"][0]
        self.assertEqual(ready["status"], "False")
        self.assertIsNotNone(self.pod("on-alive"))
        self.assertEqual(self.ready("alive")["status"], "True")
        # What happened is told in events, with upstream's reasons and words.
        self.wait_until(lambda: self.has_event("Node", "lost", "NodeNotReady",
                                               "Node lost status is now: NodeNotReady"),
                        "the NodeNotReady event")
        self.assertTrue(self.has_event("Node", "lost", "RegisteredNode",
                                       "Node lost event: Registered Node lost in Controller"))
        self.wait_until(lambda: self.has_event("Pod", "on-lost", "TaintManagerEviction",
                                               "Marking for deletion Pod default/on-lost"),
                        "the eviction event")
        self.wait_until(lambda: self.has_event("Pod", "stays", "NodeNotReady",
                                               "Node is not ready", "Warning"),
                        "the pod's NodeNotReady event")
        self.assertFalse(self.has_event("Node", "alive", "NodeNotReady"))

        # The node comes back: its kubelet posts Ready again, and the taints go.
        self.alive["lost"] = True
        node = self.node("lost")
        for c in node["status"]["conditions"]:
            if c["type"] == "Ready":
                c.update({"status": "True", "reason": "KubeletReady", "message": "",
                          "lastHeartbeatTime": now()[:19] + "Z"})
        self.assertEqual(self.call("PUT", "/api/v1/nodes/lost/status", node)[0], 200)
        self.wait_until(lambda: self.taint_keys("lost") == [], "the taints removed")
        self.wait_until(lambda: self.has_event("Node", "lost", "NodeReady",
                                               "Node lost status is now: NodeReady"),
                        "the NodeReady event")

    def test_cordon_taints_and_every_node_down_evicts_nothing(self):
        self.require_kubectl()
        self.add_node("only")
        self.run_pod("p", "only")
        r = self.kubectl("cordon", "only")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.wait_until(lambda: self.taint_keys("only") == [
            ("node.kubernetes.io/unschedulable", "NoSchedule")], "the unschedulable taint")
        r = self.kubectl("uncordon", "only")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.wait_until(lambda: self.taint_keys("only") == [], "the taint removed")
        # The only node goes silent: it is marked, but with no node left nothing is evicted.
        self.alive["only"] = False
        self.wait_until(lambda: self.ready("only")["status"] == "Unknown", "only to be Unknown")
        time.sleep(4)
        self.assertIsNotNone(self.pod("p"))

    def test_delete_node_waits_for_its_finalizers(self):
        self.require_kubectl()
        self.add_node("plain")
        r = self.kubectl("delete", "node", "plain")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('node "plain" deleted', r.stdout)
        self.assertEqual(self.call("GET", "/api/v1/nodes/plain")[0], 404)

        self.add_node("held")
        node = self.node("held")
        node["metadata"]["finalizers"] = ["example.com/keep"]
        self.assertEqual(self.call("PUT", "/api/v1/nodes/held", node)[0], 200)
        r = self.kubectl("delete", "node", "held", "--wait=false")
        self.assertEqual(r.returncode, 0, r.stderr)
        held = self.node("held")
        self.assertIn("deletionTimestamp", held["metadata"])
        self.assertEqual(held["metadata"]["finalizers"], ["example.com/keep"])
        r = self.kubectl("get", "node", "held")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("held", r.stdout)
        r = self.kubectl("patch", "node", "held", "--type=merge",
                         "-p", '{"metadata":{"finalizers":null}}')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.wait_until(lambda: self.call("GET", "/api/v1/nodes/held")[0] == 404,
                        "the node to go with its last finalizer")
        r = self.kubectl("delete", "node", "held")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('nodes "held" not found', r.stderr)


if __name__ == "__main__":
    unittest.main()
