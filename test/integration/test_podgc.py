"""The pod garbage collector: finished pods beyond --terminated-pod-gc-threshold go, oldest
first; a pod bound to a node that does not exist is marked Failed with the DisruptionTarget
condition (reason DeletionByPodGC) and deleted once the node has been missing for upstream's
40 s quarantine; running pods on existing nodes stay.

The server listens on 127.0.0.1 on a free port with its data in a temporary directory. Nodes
are plain API objects; nothing runs.
"""

import time
import unittest

from test_resources import ResourcesTestCase
from test_statefulset import PodWatch

PODS = "/api/v1/namespaces/default/pods"


class PodGcTest(ResourcesTestCase):
    # The node lifecycle controller would taint the heartbeat-less node; it plays no part here.
    server_args = ("--terminated-pod-gc-threshold", "2", "--controllers", "*,-nodelifecycle")
    wait_timeout = 90

    def get(self, path):
        code, body = self.call("GET", path)
        self.assertEqual(code, 200, body)
        return body

    def make_pod(self, name, node, phase):
        code, pod = self.call("POST", PODS, {
            "metadata": {"name": name},
            "spec": {"nodeName": node, "containers": [{"name": "c", "image": "nginx"}]}})
        self.assertEqual(code, 201, pod)
        pod["status"] = {"phase": phase}
        code, body = self.call("PUT", "%s/%s/status" % (PODS, name), pod)
        self.assertEqual(code, 200, body)

    def names(self):
        return sorted(p["metadata"]["name"] for p in self.get(PODS)["items"])

    def test_finished_pods_beyond_the_threshold_and_orphans_go(self):
        code, body = self.call("POST", "/api/v1/nodes", {"metadata": {"name": "n1"}})
        self.assertEqual(code, 201, body)
        watch = PodWatch(self)
        self.addCleanup(watch.close)
        started = time.monotonic()
        # Three finished pods where two may stay: the oldest goes (equal timestamps: by name).
        self.make_pod("done-0", "n1", "Succeeded")
        self.make_pod("done-1", "n1", "Failed")
        self.make_pod("done-2", "n1", "Succeeded")
        self.make_pod("running", "n1", "Running")
        self.make_pod("orphan", "ghost", "Running")

        self.wait_until(lambda: "done-0" not in self.names(), "done-0 to be collected")
        self.assertEqual(self.names(), ["done-1", "done-2", "orphan", "running"])

        self.wait_until(lambda: "orphan" not in self.names(), "the orphan to be collected")
        # Not before its node had been missing for the quarantine.
        self.assertGreaterEqual(time.monotonic() - started, 40)
        self.assertEqual(self.names(), ["done-1", "done-2", "running"])
        events = [(t, o) for t, o in watch.snapshot() if o["metadata"]["name"] == "orphan"]
        self.assertEqual(events[-1][0], "DELETED")
        failed = [o for t, o in events if t == "MODIFIED" and o["status"].get("phase") == "Failed"]
        self.assertTrue(failed, [t for t, _ in events])
        target = [c for c in failed[0]["status"]["conditions"] if c["type"] == "DisruptionTarget"]
        self.assertEqual([(c["status"], c["reason"], c["message"]) for c in target],
                         [("True", "DeletionByPodGC", "PodGC: node no longer exists")])


if __name__ == "__main__":
    unittest.main()
