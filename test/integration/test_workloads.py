"""The ReplicaSet and Deployment controllers of `tug server`, driven with the real kubectl on
hollow nodes (test/tools/hollow_nodes: nodes whose kubelets report pods Running without running
anything). Pod templates name a hollow node in spec.nodeName, so no scheduler is involved.

Every server listens on 127.0.0.1 on a free port with its data in a temporary directory.
"""

import json
import os
import queue
import subprocess
import threading
import time
import unittest
import urllib.parse

from test_cli import clean_env
from test_resources import KUBECTL, ResourcesTestCase

HOLLOW_NODES = os.environ.get("HOLLOW_NODES", "")
NODES = 3


def deployment_manifest(name="web", replicas=3, image="nginx:1.25", strategy=None,
                        labels=None, selector=None, node="hollow-0"):
    labels = labels or {"app": name}
    spec = {
        "replicas": replicas,
        "selector": {"matchLabels": selector or labels},
        "template": {
            "metadata": {"labels": labels},
            "spec": {"nodeName": node,
                     "containers": [{"name": "web", "image": image}]},
        },
    }
    if strategy:
        spec["strategy"] = strategy
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "default"}, "spec": spec}


class HollowNodes:
    """A hollow_nodes process; its stdout lines arrive on a queue."""

    def __init__(self, workdir, kubeconfig, *args):
        self.stderr = open(os.path.join(workdir, "hollow.stderr"), "w")
        self.proc = subprocess.Popen(
            [HOLLOW_NODES, "--kubeconfig", kubeconfig, *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, text=True,
            env=clean_env())
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, line, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                got = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if got == line:
                return
        raise AssertionError("hollow_nodes did not print %r" % line)

    def command(self, text):
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.stderr):
            try:
                f.close()
            except OSError:
                pass


class WorkloadsTestCase(ResourcesTestCase):
    hollow_args = ()

    def setUp(self):
        super().setUp()
        if not HOLLOW_NODES:
            self.skipTest("HOLLOW_NODES is not set")
        self.require_kubectl()
        self.nodes = HollowNodes(self.tmp, self.server.kubeconfig, "--nodes", str(NODES),
                                 "--prefix", "hollow-", *self.hollow_args)
        self.addCleanup(self.nodes.stop)
        self.nodes.expect("ready %d" % NODES)

    def run_kubectl(self, *args, stdin=None, timeout=90):
        cache = os.path.join(self.tmp, "kube-cache")
        return subprocess.run([KUBECTL, "--kubeconfig", self.server.kubeconfig,
                               "--cache-dir", cache, *args], input=stdin,
                              capture_output=True, text=True, timeout=timeout, env=clean_env())

    def ok(self, *args, stdin=None):
        r = self.run_kubectl(*args, stdin=stdin)
        self.assertEqual(r.returncode, 0, "kubectl %s:\n%s%s" % (" ".join(args), r.stdout,
                                                                  r.stderr))
        return r.stdout

    def apply(self, obj):
        return self.ok("apply", "-f", "-", stdin=json.dumps(obj))

    wait_timeout = 30

    def get(self, path):
        code, body = self.call("GET", path)
        self.assertEqual(code, 200, body)
        return body

    def deployment(self, name="web"):
        return self.get("/apis/apps/v1/namespaces/default/deployments/" + name)

    def replica_sets(self):
        return self.get("/apis/apps/v1/namespaces/default/replicasets")["items"]

    def pods(self, selector=""):
        path = "/api/v1/namespaces/default/pods"
        if selector:
            path += "?labelSelector=" + urllib.parse.quote(selector)
        return self.get(path)["items"]

    def rollout_status(self, name="web"):
        out = self.ok("rollout", "status", "deployment/" + name, "--timeout=60s")
        self.assertIn('deployment "%s" successfully rolled out' % name, out)

    def assert_controller_ref(self, obj, kind, owner):
        refs = obj["metadata"].get("ownerReferences", [])
        self.assertEqual(len(refs), 1, obj["metadata"])
        ref = refs[0]
        self.assertEqual((ref["apiVersion"], ref["kind"], ref["name"], ref["uid"]),
                         ("apps/v1", kind, owner["metadata"]["name"], owner["metadata"]["uid"]))
        self.assertIs(ref["controller"], True)
        self.assertIs(ref["blockOwnerDeletion"], True)

    def running_pods(self, selector):
        return [p for p in self.pods(selector)
                if p.get("status", {}).get("phase") == "Running"
                and "deletionTimestamp" not in p["metadata"]]


class HollowNodesTest(WorkloadsTestCase):
    hollow_args = ("--lease-interval-ms", "300")

    def test_nodes_register_renew_leases_and_can_go_silent(self):
        nodes = self.get("/api/v1/nodes")["items"]
        self.assertEqual(sorted(n["metadata"]["name"] for n in nodes),
                         ["hollow-0", "hollow-1", "hollow-2"])
        for n in nodes:
            ready = [c for c in n["status"]["conditions"] if c["type"] == "Ready"]
            self.assertEqual(ready[0]["status"], "True")
            self.assertEqual(n["status"]["allocatable"]["pods"], "110")
            self.assertEqual(n["metadata"]["labels"]["kubernetes.io/hostname"],
                             n["metadata"]["name"])
        out = self.ok("get", "nodes")
        self.assertIn("hollow-1", out)
        self.assertIn("Ready", out)

        def renew_time(node):
            lease = self.get("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/"
                             + node)
            self.assertEqual(lease["spec"]["holderIdentity"], node)
            return lease["spec"]["renewTime"]

        first = renew_time("hollow-1")
        self.wait_until(lambda: renew_time("hollow-1") != first, "the lease to be renewed")
        self.nodes.command("stop hollow-1")
        self.nodes.expect("ok stop hollow-1")
        time.sleep(0.5)  # a renewal already under way may still land
        stopped = renew_time("hollow-1")
        other = renew_time("hollow-2")
        time.sleep(1.2)
        self.assertEqual(renew_time("hollow-1"), stopped)
        self.assertNotEqual(renew_time("hollow-2"), other)
        self.nodes.command("start hollow-1")
        self.nodes.expect("ok start hollow-1")
        self.wait_until(lambda: renew_time("hollow-1") != stopped, "the lease to be renewed again")
        self.nodes.command("stop nosuch")
        self.nodes.expect("error unknown node stop nosuch")

    def test_bound_pods_run_and_deleted_ones_go(self):
        code, body = self.call("POST", "/api/v1/namespaces/default/pods", {
            "metadata": {"name": "p"},
            "spec": {"nodeName": "hollow-2", "initContainers": [{"name": "i", "image": "busybox"}],
                     "containers": [{"name": "a", "image": "nginx"},
                                    {"name": "b", "image": "redis"}]}})
        self.assertEqual(code, 201, body)
        pod = self.wait_until(
            lambda: (lambda p: p if p.get("status", {}).get("phase") == "Running" else None)(
                self.get("/api/v1/namespaces/default/pods/p")), "the pod to run")
        status = pod["status"]
        conditions = {c["type"]: c["status"] for c in status["conditions"]}
        for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled"):
            self.assertEqual(conditions[t], "True", t)
        self.assertTrue(status["podIP"].startswith("10.128.2."), status)
        self.assertEqual(status["podIPs"], [{"ip": status["podIP"]}])
        self.assertIn("startTime", status)
        self.assertEqual([(c["name"], c["ready"], c["started"], "running" in c["state"])
                          for c in status["containerStatuses"]],
                         [("a", True, True, True), ("b", True, True, True)])
        self.assertEqual(status["initContainerStatuses"][0]["state"]["terminated"]["reason"],
                         "Completed")
        self.ok("wait", "--for=condition=Ready", "pod/p", "--timeout=10s")
        self.ok("delete", "pod", "p", "--timeout=20s")
        self.assertEqual(self.call("GET", "/api/v1/namespaces/default/pods/p")[0], 404)


class DeploymentTest(WorkloadsTestCase):
    def test_rollout_set_image_and_undo(self):
        self.apply(deployment_manifest())
        self.rollout_status()
        d = self.deployment()
        status = d["status"]
        self.assertEqual(status["observedGeneration"], d["metadata"]["generation"])
        for field in ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas"):
            self.assertEqual(status[field], 3, field)
        self.assertNotIn("unavailableReplicas", status)
        conditions = {c["type"]: c for c in status["conditions"]}
        self.assertEqual((conditions["Available"]["status"], conditions["Available"]["reason"]),
                         ("True", "MinimumReplicasAvailable"))
        self.assertEqual((conditions["Progressing"]["status"],
                          conditions["Progressing"]["reason"]), ("True", "NewReplicaSetAvailable"))
        self.assertEqual(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1")

        [rs] = self.replica_sets()
        first_hash = rs["metadata"]["labels"]["pod-template-hash"]
        self.assertEqual(rs["metadata"]["name"], "web-" + first_hash)
        self.assertEqual(rs["spec"]["selector"]["matchLabels"],
                         {"app": "web", "pod-template-hash": first_hash})
        self.assert_controller_ref(rs, "Deployment", d)
        annotations = rs["metadata"]["annotations"]
        self.assertEqual(annotations["deployment.kubernetes.io/revision"], "1")
        self.assertEqual(annotations["deployment.kubernetes.io/desired-replicas"], "3")
        self.assertEqual(annotations["deployment.kubernetes.io/max-replicas"], "4")
        self.assertEqual(rs["status"]["readyReplicas"], 3)
        pods = self.pods("app=web")
        self.assertEqual(len(pods), 3)
        for p in pods:
            self.assertTrue(p["metadata"]["name"].startswith(rs["metadata"]["name"] + "-"))
            self.assert_controller_ref(p, "ReplicaSet", rs)
            self.assertEqual(p["status"]["phase"], "Running")

        # Events, as `kubectl describe` shows them.
        def events():
            return {(e["involvedObject"]["kind"], e["involvedObject"]["name"], e["type"],
                     e["reason"], e["message"])
                    for e in self.get("/api/v1/namespaces/default/events")["items"]}
        scaled = ("Deployment", "web", "Normal", "ScalingReplicaSet",
                  "Scaled up replica set %s from 0 to 3" % rs["metadata"]["name"])
        self.wait_until(lambda: scaled in events(), "the ScalingReplicaSet event")
        created = [e for e in events() if e[3] == "SuccessfulCreate"]
        self.assertEqual(len(created), 3, created)
        for kind, name, _, _, message in created:
            self.assertEqual((kind, name), ("ReplicaSet", rs["metadata"]["name"]))
            self.assertRegex(message, r"^Created pod: %s-\w+$" % rs["metadata"]["name"])
        self.assertIn("ScalingReplicaSet", self.ok("describe", "deployment", "web"))

        self.ok("set", "image", "deployment/web", "web=nginx:1.26")
        self.rollout_status()
        self.wait_until(lambda: len(self.pods("app=web")) == 3, "the old pods to go")
        self.wait_until(lambda: any(e[3] == "ScalingReplicaSet" and e[4].startswith(
            "Scaled down replica set %s from 3 to " % rs["metadata"]["name"]) for e in events()),
            "a scale-down event")
        self.assertEqual({p["spec"]["containers"][0]["image"] for p in self.pods("app=web")},
                         {"nginx:1.26"})
        sets = {r["metadata"]["labels"]["pod-template-hash"]: r for r in self.replica_sets()}
        self.assertEqual(len(sets), 2)
        self.assertEqual(sets[first_hash]["spec"]["replicas"], 0)
        [second_hash] = [h for h in sets if h != first_hash]
        self.assertEqual(sets[second_hash]["spec"]["replicas"], 3)
        self.assertEqual(sets[second_hash]["metadata"]["annotations"]
                         ["deployment.kubernetes.io/revision"], "2")
        self.assertEqual(self.deployment()["metadata"]["annotations"]
                         ["deployment.kubernetes.io/revision"], "2")

        self.ok("rollout", "undo", "deployment/web")
        self.rollout_status()
        d = self.deployment()
        self.assertEqual(d["spec"]["template"]["spec"]["containers"][0]["image"], "nginx:1.25")
        self.assertNotIn("pod-template-hash", d["spec"]["template"]["metadata"]["labels"])
        sets = {r["metadata"]["labels"]["pod-template-hash"]: r for r in self.replica_sets()}
        self.assertEqual(len(sets), 2)  # the first ReplicaSet came back; none was added
        back = sets[first_hash]
        self.assertEqual(back["spec"]["replicas"], 3)
        self.assertEqual(back["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "3")
        self.assertEqual(
            back["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"], "1")
        self.wait_until(lambda: {p["spec"]["containers"][0]["image"]
                                 for p in self.pods("app=web")} == {"nginx:1.25"},
                        "only the old image to run")
        history = self.ok("rollout", "history", "deployment/web")
        self.assertEqual([line.split()[0] for line in history.splitlines()[2:] if line.strip()],
                         ["2", "3"])

    def test_scale_up_and_down(self):
        self.apply(deployment_manifest(replicas=2))
        self.rollout_status()
        self.ok("scale", "deployment/web", "--replicas=5")
        self.rollout_status()
        self.assertEqual(len(self.running_pods("app=web")), 5)
        self.assertEqual(self.deployment()["status"]["availableReplicas"], 5)
        [rs] = self.replica_sets()
        self.assertEqual(rs["metadata"]["annotations"]
                         ["deployment.kubernetes.io/desired-replicas"], "5")
        self.ok("scale", "deployment/web", "--replicas=1")
        self.wait_until(lambda: len(self.pods("app=web")) == 1, "two pods of five to stay")
        self.wait_until(lambda: self.deployment()["status"].get("replicas") == 1,
                        "status.replicas to be 1")
        self.rollout_status()

    def test_a_deleted_pod_is_replaced(self):
        self.apply(deployment_manifest())
        self.rollout_status()
        before = {p["metadata"]["name"] for p in self.pods("app=web")}
        victim = sorted(before)[0]
        self.ok("delete", "pod", victim)
        now = self.wait_until(
            lambda: (lambda names: names if len(names) == 3 and victim not in names else None)(
                {p["metadata"]["name"] for p in self.running_pods("app=web")}),
            "a replacement pod")
        self.assertEqual(len(now - before), 1)
        self.rollout_status()

    def test_a_relabelled_pod_is_released_and_replaced(self):
        self.apply(deployment_manifest())
        self.rollout_status()
        victim = sorted(p["metadata"]["name"] for p in self.pods("app=web"))[0]
        self.ok("label", "pod", victim, "app-")
        self.wait_until(lambda: len(self.running_pods("app=web")) == 3, "a replacement pod")
        released = self.wait_until(
            lambda: (lambda p: p if not p["metadata"].get("ownerReferences") else None)(
                self.get("/api/v1/namespaces/default/pods/" + victim)),
            "the pod to be released")
        self.assertNotIn("app", released["metadata"]["labels"])
        self.assertNotIn("deletionTimestamp", released["metadata"])
        time.sleep(1)  # nothing comes back for it
        self.assertEqual(self.call("GET", "/api/v1/namespaces/default/pods/" + victim)[0], 200)
        self.assertEqual(len(self.pods("app=web")), 3)
        self.assertEqual(self.deployment()["status"]["availableReplicas"], 3)

    def test_recreate_replaces_every_pod_at_once(self):
        self.apply(deployment_manifest(replicas=3, strategy={"type": "Recreate"}))
        self.rollout_status()
        self.ok("set", "image", "deployment/web", "web=nginx:1.26")
        # No moment with old and new pods side by side.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            images = {p["spec"]["containers"][0]["image"] for p in self.pods("app=web")}
            self.assertLessEqual(len(images), 1, images)
            if images == {"nginx:1.26"} and len(self.running_pods("app=web")) == 3:
                break
            time.sleep(0.02)
        self.rollout_status()
        sizes = sorted(r["spec"]["replicas"] for r in self.replica_sets())
        self.assertEqual(sizes, [0, 3])

    def test_pause_holds_the_rollout(self):
        self.apply(deployment_manifest())
        self.rollout_status()
        self.ok("rollout", "pause", "deployment/web")
        self.ok("set", "image", "deployment/web", "web=nginx:1.26")
        cond = self.wait_until(
            lambda: [c for c in self.deployment().get("status", {}).get("conditions", [])
                     if c["type"] == "Progressing" and c["reason"] == "DeploymentPaused"],
            "the paused condition")
        self.assertEqual(cond[0]["status"], "Unknown")
        time.sleep(1)
        self.assertEqual(len(self.replica_sets()), 1)
        self.ok("rollout", "resume", "deployment/web")
        self.rollout_status()
        self.assertEqual(len(self.replica_sets()), 2)

    def test_revision_history_limit_deletes_old_replica_sets(self):
        manifest = deployment_manifest()
        manifest["spec"]["revisionHistoryLimit"] = 1
        self.apply(manifest)
        self.rollout_status()
        for image in ("nginx:1.26", "nginx:1.27"):
            self.ok("set", "image", "deployment/web", "web=" + image)
            self.rollout_status()
        self.wait_until(lambda: len(self.replica_sets()) == 2, "one old ReplicaSet to stay")
        images = sorted(r["spec"]["template"]["spec"]["containers"][0]["image"]
                        for r in self.replica_sets())
        self.assertEqual(images, ["nginx:1.26", "nginx:1.27"])

    def test_min_ready_seconds_delays_availability(self):
        manifest = deployment_manifest(replicas=2)
        manifest["spec"]["minReadySeconds"] = 3
        self.apply(manifest)
        ready = self.wait_until(
            lambda: (lambda s: s if s.get("readyReplicas") == 2 else None)(
                self.deployment().get("status", {})), "two ready replicas")
        started = time.monotonic()
        self.assertNotEqual(ready.get("availableReplicas", 0), 2)
        self.wait_until(lambda: self.deployment()["status"].get("availableReplicas") == 2,
                        "two available replicas", timeout=15)
        # Ready times have second precision, so the wait seen here is 2 to 3 s, less any lag.
        self.assertGreaterEqual(time.monotonic() - started, 0.5)
        [rs] = self.replica_sets()
        self.assertEqual(rs["spec"]["minReadySeconds"], 3)
        self.rollout_status()

    def test_a_stuck_rollout_exceeds_its_progress_deadline(self):
        # Pods bound to a node no kubelet serves stay Pending.
        manifest = deployment_manifest(replicas=2, node="nowhere")
        manifest["spec"]["progressDeadlineSeconds"] = 2
        self.apply(manifest)
        cond = self.wait_until(
            lambda: [c for c in self.deployment().get("status", {}).get("conditions", [])
                     if c["type"] == "Progressing"
                     and c["reason"] == "ProgressDeadlineExceeded"],
            "the progress deadline to pass")
        self.assertEqual(cond[0]["status"], "False")
        self.assertRegex(cond[0]["message"], r'^ReplicaSet "web-\w+" has timed out progressing\.$')
        r = self.run_kubectl("rollout", "status", "deployment/web", "--timeout=20s")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('deployment "web" exceeded its progress deadline', r.stderr)
        status = self.deployment()["status"]
        self.assertEqual(status["unavailableReplicas"], 2)
        available = [c for c in status["conditions"] if c["type"] == "Available"][0]
        self.assertEqual((available["status"], available["reason"]),
                         ("False", "MinimumReplicasUnavailable"))

    def test_a_selector_that_misses_the_template_is_refused(self):
        bad = deployment_manifest(labels={"app": "other"}, selector={"app": "web"})
        code, body = self.call("POST", "/apis/apps/v1/namespaces/default/deployments", bad)
        self.assertEqual(code, 422, body)
        self.assertEqual(body["reason"], "Invalid")
        causes = body["details"]["causes"]
        self.assertIn("spec.template.metadata.labels", [c["field"] for c in causes])
        self.assertIn("`selector` does not match template `labels`", body["message"])
        r = self.run_kubectl("apply", "-f", "-", stdin=json.dumps(bad))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("spec.template.metadata.labels", r.stderr)
        time.sleep(1)
        self.assertEqual(self.replica_sets(), [])
        self.assertEqual(self.pods(), [])
        self.assertEqual(self.call("GET", "/apis/apps/v1/namespaces/default/deployments/web")[0],
                         404)


class ReplicaSetTest(WorkloadsTestCase):
    def replica_set(self, replicas):
        return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": "cache", "namespace": "default"},
                "spec": {"replicas": replicas,
                         "selector": {"matchLabels": {"app": "cache"}},
                         "template": {"metadata": {"labels": {"app": "cache"}},
                                      "spec": {"nodeName": "hollow-1",
                                               "containers": [{"name": "c",
                                                               "image": "redis"}]}}}}

    def test_orphans_are_adopted_and_surplus_deleted(self):
        code, body = self.call("POST", "/api/v1/namespaces/default/pods", {
            "metadata": {"name": "orphan", "labels": {"app": "cache"}},
            "spec": {"nodeName": "hollow-1", "containers": [{"name": "c", "image": "redis"}]}})
        self.assertEqual(code, 201, body)
        self.apply(self.replica_set(2))
        rs = self.wait_until(
            lambda: (lambda r: r if r.get("status", {}).get("availableReplicas") == 2 else None)(
                self.get("/apis/apps/v1/namespaces/default/replicasets/cache")),
            "two available replicas")
        self.assertEqual(rs["status"]["replicas"], 2)
        self.assertEqual(rs["status"]["fullyLabeledReplicas"], 2)
        self.assertEqual(rs["status"]["readyReplicas"], 2)
        self.assertEqual(rs["status"]["observedGeneration"], rs["metadata"]["generation"])
        pods = self.pods("app=cache")
        self.assertEqual(len(pods), 2)
        self.assertIn("orphan", [p["metadata"]["name"] for p in pods])
        for p in pods:
            self.assert_controller_ref(p, "ReplicaSet", rs)

        # Scaling down deletes a pod that is not ready before a ready one.
        code, body = self.call("POST", "/api/v1/namespaces/default/pods", {
            "metadata": {"name": "late", "labels": {"app": "cache"}},
            "spec": {"containers": [{"name": "c", "image": "redis"}]}})  # never scheduled
        self.assertEqual(code, 201, body)
        self.wait_until(lambda: self.call("GET", "/api/v1/namespaces/default/pods/late")[0] == 404,
                        "the unscheduled surplus pod to be deleted")
        self.assertEqual(len(self.pods("app=cache")), 2)

        self.ok("scale", "replicaset/cache", "--replicas=0")
        self.wait_until(lambda: self.pods("app=cache") == [], "every pod to go")
        self.wait_until(
            lambda: self.get("/apis/apps/v1/namespaces/default/replicasets/cache")["status"]
            .get("replicas") == 0, "status.replicas 0")



class NodeFailureTest(WorkloadsTestCase):
    """The whole path with the scheduler: a Deployment's pods placed by the scheduler on hollow
    nodes; one node stops (its kubelet goes silent), the node lifecycle controller marks it
    Unknown and taints it, its pods are evicted once their default 2 s toleration runs out, and
    the ReplicaSet's replacements are scheduled onto the nodes still alive."""
    server_args = ("--node-monitor-grace-period", "3s",
                   "--default-unreachable-toleration-seconds", "2",
                   "--default-not-ready-toleration-seconds", "2")
    hollow_args = ("--lease-interval-ms", "300")
    wait_timeout = 60

    def pods_by_node(self):
        placed = {}
        for p in self.running_pods("app=web"):
            placed.setdefault(p["spec"].get("nodeName", ""), []).append(p["metadata"]["name"])
        return placed

    def test_a_stopped_node_is_tainted_and_its_pods_rescheduled(self):
        manifest = deployment_manifest(replicas=6)
        del manifest["spec"]["template"]["spec"]["nodeName"]  # the scheduler places them
        self.apply(manifest)
        self.rollout_status()
        placed = self.pods_by_node()
        self.assertEqual(sum(len(v) for v in placed.values()), 6, placed)
        self.assertNotIn("", placed)
        lost = max(placed, key=lambda n: len(placed[n]))
        lost_pods = set(placed[lost])

        self.nodes.command("stop " + lost)
        self.nodes.expect("ok stop " + lost)

        def ready(node):
            n = self.get("/api/v1/nodes/" + node)
            return [c for c in n["status"]["conditions"] if c["type"] == "Ready"][0]["status"]

        def taints(node):
            n = self.get("/api/v1/nodes/" + node)
            return sorted((t["key"], t["effect"]) for t in n["spec"].get("taints", []))

        self.wait_until(lambda: ready(lost) == "Unknown", lost + " to be Unknown")
        self.wait_until(lambda: taints(lost) == [("node.kubernetes.io/unreachable", "NoExecute"),
                                                 ("node.kubernetes.io/unreachable",
                                                  "NoSchedule")], "the unreachable taints")

        # Every pod of the lost node goes, and six run again, all on the nodes still alive.
        def rescheduled():
            now = self.pods_by_node()
            names = {n for v in now.values() for n in v}
            return (lost not in now and not names & lost_pods
                    and sum(len(v) for v in now.values()) == 6 and now)
        now = self.wait_until(rescheduled, "the pods to be rescheduled")
        self.assertTrue(set(now) <= {"hollow-0", "hollow-1", "hollow-2"} - {lost}, now)
        self.rollout_status()
        self.assertEqual(self.deployment()["status"].get("availableReplicas"), 6)
        self.assertEqual(ready(lost), "Unknown")

        # The node comes back: its kubelet posts Ready again and the taints go.
        self.nodes.command("start " + lost)
        self.nodes.expect("ok start " + lost)
        self.wait_until(lambda: ready(lost) == "True", lost + " to be Ready again")
        self.wait_until(lambda: taints(lost) == [], "the taints removed")


if __name__ == "__main__":
    unittest.main()
