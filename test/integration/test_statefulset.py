"""The StatefulSet controller of `tug server`, driven with the real kubectl on hollow nodes
(test/tools/hollow_nodes: kubelets that report bound pods Running and Ready without running
anything). Pod templates name a hollow node in spec.nodeName, so no scheduler is involved; a
stopped hollow node leaves its pods Pending, which is how these tests hold a pod not Ready.

Every server listens on 127.0.0.1 on a free port with its data in a temporary directory.
"""

import http.client
import json
import socket
import threading
import time
import unittest

from test_workloads import WorkloadsTestCase

PODS = "/api/v1/namespaces/default/pods"
SETS = "/apis/apps/v1/namespaces/default/statefulsets"
REVISIONS = "/apis/apps/v1/namespaces/default/controllerrevisions"
CLAIMS = "/api/v1/namespaces/default/persistentvolumeclaims"


def statefulset_manifest(name="web", replicas=3, image="nginx:1.25", node="hollow-0",
                         policy=None, claims=True, partition=None):
    labels = {"app": name}
    spec = {
        "serviceName": name,
        "replicas": replicas,
        "selector": {"matchLabels": labels},
        "template": {
            "metadata": {"labels": labels},
            "spec": {"nodeName": node,
                     "containers": [{"name": "web", "image": image,
                                     "volumeMounts": [{"name": "www", "mountPath": "/data"}]
                                     if claims else []}]},
        },
    }
    if claims:
        spec["volumeClaimTemplates"] = [{
            "metadata": {"name": "www", "labels": {"tier": "data"}},
            "spec": {"accessModes": ["ReadWriteOnce"],
                     "resources": {"requests": {"storage": "1Gi"}}}}]
    if policy:
        spec["podManagementPolicy"] = policy
    if partition is not None:
        spec["updateStrategy"] = {"type": "RollingUpdate",
                                  "rollingUpdate": {"partition": partition}}
    return {"apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": name, "namespace": "default"}, "spec": spec}


def ready(pod):
    return (pod.get("status", {}).get("phase") == "Running"
            and any(c["type"] == "Ready" and c["status"] == "True"
                    for c in pod.get("status", {}).get("conditions", [])))


class PodWatch:
    """Records every pod event of the default namespace, in the order the server sent them."""

    def __init__(self, test):
        self.events = []
        self.lock = threading.Lock()
        rv = test.get(PODS)["metadata"]["resourceVersion"]
        conn = http.client.HTTPSConnection("127.0.0.1", test.server.port, context=test.ctx,
                                           timeout=120)
        conn.connect()
        # Kept to end the watch from this side: closing the response would not wake the reader.
        self.sock = conn.sock
        conn.request("GET", "%s?watch=1&resourceVersion=%s" % (PODS, rv))
        self.response = conn.getresponse()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for line in self.response:
                e = json.loads(line)
                with self.lock:
                    self.events.append((e["type"], e["object"]))
        except (OSError, ValueError):
            pass
        finally:
            self.response.close()
            self.sock.close()

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def snapshot(self):
        with self.lock:
            return list(self.events)


class StatefulSetTestCase(WorkloadsTestCase):
    def statefulset(self, name="web"):
        return self.get(SETS + "/" + name)

    def set_pods(self, name="web"):
        return {p["metadata"]["name"]: p for p in self.pods("app=" + name)}

    def rollout_status(self, name="web"):
        return self.ok("rollout", "status", "statefulset/" + name, "--timeout=60s")

    def events(self):
        return {(e["involvedObject"]["kind"], e["involvedObject"]["name"], e["type"],
                 e["reason"], e["message"])
                for e in self.get("/api/v1/namespaces/default/events")["items"]}

    def watch(self):
        w = PodWatch(self)
        self.addCleanup(w.close)
        return w


class OrderedReadyTest(StatefulSetTestCase):
    def test_pods_come_in_order_with_stable_identity_and_claims(self):
        watch = self.watch()
        self.nodes.command("stop hollow-0")
        self.nodes.expect("ok stop hollow-0")
        self.apply(statefulset_manifest(replicas=3))
        self.wait_until(lambda: "web-0" in self.set_pods(), "web-0 to be created")
        time.sleep(1.5)  # web-0 is Pending on a silent node: nothing more may come
        self.assertEqual(sorted(self.set_pods()), ["web-0"])
        self.nodes.command("start hollow-0")
        self.nodes.expect("ok start hollow-0")
        out = self.rollout_status()
        self.assertIn("partitioned roll out complete: 3 new pods have been updated...", out)

        # Each pod appeared only once its predecessor was Running and Ready.
        seen_ready = set()
        for kind, pod in watch.snapshot():
            name = pod["metadata"]["name"]
            if kind == "ADDED" and name != "web-0":
                previous = "web-%d" % (int(name.split("-")[1]) - 1)
                self.assertIn(previous, seen_ready, "%s came before %s was ready" %
                              (name, previous))
            if ready(pod):
                seen_ready.add(name)

        s = self.statefulset()
        pods = self.set_pods()
        self.assertEqual(sorted(pods), ["web-0", "web-1", "web-2"])
        [revision] = self.get(REVISIONS)["items"]
        rev_name = revision["metadata"]["name"]
        self.assertRegex(rev_name, r"^web-[bcdfghjklmnpqrstvwxz2456789]+$")
        self.assertEqual(revision["revision"], 1)
        self.assert_controller_ref(revision, "StatefulSet", s)
        self.assertEqual(revision["metadata"]["labels"]["app"], "web")
        self.assertEqual(revision["data"]["spec"]["template"]["$patch"], "replace")
        status = s["status"]
        self.assertEqual(status["observedGeneration"], s["metadata"]["generation"])
        for field in ("replicas", "readyReplicas", "currentReplicas", "updatedReplicas",
                      "availableReplicas"):
            self.assertEqual(status[field], 3, field)
        self.assertEqual((status["currentRevision"], status["updateRevision"]),
                         (rev_name, rev_name))
        self.assertEqual(status["collisionCount"], 0)

        for ordinal in range(3):
            name = "web-%d" % ordinal
            pod = pods[name]
            self.assert_controller_ref(pod, "StatefulSet", s)
            labels = pod["metadata"]["labels"]
            self.assertEqual(labels["controller-revision-hash"], rev_name)
            self.assertEqual(labels["statefulset.kubernetes.io/pod-name"], name)
            self.assertEqual(labels["apps.kubernetes.io/pod-index"], str(ordinal))
            self.assertEqual(pod["metadata"]["generateName"], "web-")
            self.assertEqual((pod["spec"]["hostname"], pod["spec"]["subdomain"]), (name, "web"))
            self.assertEqual(pod["spec"]["volumes"][0],
                             {"name": "www", "persistentVolumeClaim":
                              {"claimName": "www-" + name}})
            claim = self.get(CLAIMS + "/www-" + name)
            self.assertEqual(claim["metadata"]["labels"], {"app": "web", "tier": "data"})
            self.assertEqual(claim["spec"]["resources"]["requests"]["storage"], "1Gi")
            self.assertNotIn("ownerReferences", claim["metadata"])

        events = self.events()
        for ordinal in range(3):
            self.assertIn(("StatefulSet", "web", "Normal", "SuccessfulCreate",
                           "create Pod web-%d in StatefulSet web successful" % ordinal), events)
            self.assertIn(("StatefulSet", "web", "Normal", "SuccessfulCreate",
                           "create Claim www-web-%d Pod web-%d in StatefulSet web success"
                           % (ordinal, ordinal)), events)
        self.assertIn("web-2", self.ok("get", "pods", "-l", "app=web"))
        self.assertRegex(self.ok("get", "statefulset", "web"), r"web\s+3/3")
        described = self.ok("describe", "statefulset", "web")
        self.assertIn("3 Running / 0 Waiting / 0 Succeeded / 0 Failed", described)
        self.assertIn("create Pod web-2 in StatefulSet web successful", described)

        # A deleted pod comes back under the same name, with the same claim.
        old_uid = pods["web-1"]["metadata"]["uid"]
        self.ok("delete", "pod", "web-1", "--timeout=20s")
        back = self.wait_until(
            lambda: (lambda p: p if p and p["metadata"]["uid"] != old_uid and ready(p)
                     else None)(self.set_pods().get("web-1")), "web-1 to come back")
        self.assertEqual(back["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"],
                         "www-web-1")

        # A Failed pod is deleted and created again.
        failed = self.set_pods()["web-0"]
        failed["status"]["phase"] = "Failed"
        del failed["metadata"]["resourceVersion"]
        code, body = self.call("PUT", PODS + "/web-0/status", failed)
        self.assertEqual(code, 200, body)
        self.wait_until(
            lambda: (lambda p: p and p["metadata"]["uid"] != failed["metadata"]["uid"]
                     and ready(p))(self.set_pods().get("web-0")), "web-0 to be recreated")

        # Scale down: the highest ordinal goes first, one at a time; claims stay.
        self.rollout_status()
        watch_from = len(watch.snapshot())
        self.ok("scale", "statefulset/web", "--replicas=1")
        self.wait_until(lambda: sorted(self.set_pods()) == ["web-0"], "two pods to go")
        deleted = [pod["metadata"]["name"] for kind, pod in watch.snapshot()[watch_from:]
                   if kind == "DELETED"]
        self.assertEqual(deleted, ["web-2", "web-1"])
        self.wait_until(lambda: self.statefulset()["status"]["replicas"] == 1,
                        "status.replicas to be 1")
        self.assertEqual(sorted(c["metadata"]["name"] for c in self.get(CLAIMS)["items"]),
                         ["www-web-0", "www-web-1", "www-web-2"])
        self.assertIn(("StatefulSet", "web", "Normal", "SuccessfulDelete",
                       "delete Pod web-2 in StatefulSet web successful"), self.events())

    def test_parallel_creates_every_pod_at_once(self):
        self.nodes.command("stop hollow-1")
        self.nodes.expect("ok stop hollow-1")
        self.apply(statefulset_manifest(replicas=3, node="hollow-1", policy="Parallel",
                                        claims=False))
        self.wait_until(lambda: sorted(self.set_pods()) == ["web-0", "web-1", "web-2"],
                        "three pods while none is ready")
        self.assertFalse(any(ready(p) for p in self.set_pods().values()))
        self.nodes.command("start hollow-1")
        self.nodes.expect("ok start hollow-1")
        self.rollout_status()
        self.ok("scale", "statefulset/web", "--replicas=0")
        self.wait_until(lambda: not self.set_pods(), "every pod to go")


class AdoptionTest(StatefulSetTestCase):
    def test_orphans_are_adopted_and_strays_released(self):
        code, body = self.call("POST", PODS, {
            "metadata": {"name": "web-0", "labels": {"app": "web"}},
            "spec": {"nodeName": "hollow-0", "containers": [{"name": "web", "image": "nginx"}]}})
        self.assertEqual(code, 201, body)
        orphan_uid = body["metadata"]["uid"]
        manifest = statefulset_manifest(replicas=2, claims=False)
        manifest["spec"]["updateStrategy"] = {"type": "OnDelete"}
        self.apply(manifest)
        s = self.statefulset()
        adopted = self.wait_until(
            lambda: (lambda p: p if p and p["metadata"].get("ownerReferences") and
                     "statefulset.kubernetes.io/pod-name" in p["metadata"]["labels"]
                     else None)(self.set_pods().get("web-0")), "web-0 to be adopted")
        self.assertEqual(adopted["metadata"]["uid"], orphan_uid)
        self.assert_controller_ref(adopted, "StatefulSet", s)
        self.assertEqual(adopted["metadata"]["labels"]["apps.kubernetes.io/pod-index"], "0")
        self.wait_until(lambda: sorted(self.set_pods()) == ["web-0", "web-1"], "web-1")
        self.assertIn(("StatefulSet", "web", "Normal", "SuccessfulUpdate",
                       "update Pod web-0 in StatefulSet web successful"), self.events())

        # A pod of the set whose name is not the set's own is released.
        stray = self.set_pods()["web-1"]
        stray["metadata"] = {"name": "other-1", "labels": {"app": "web"},
                             "ownerReferences": stray["metadata"]["ownerReferences"]}
        stray.pop("status")
        code, body = self.call("POST", PODS, stray)
        self.assertEqual(code, 201, body)
        self.wait_until(lambda: not self.get(PODS + "/other-1")["metadata"].get(
            "ownerReferences"), "other-1 to be released")


class ClaimRetentionTest(StatefulSetTestCase):
    def claim_owners(self):
        return {c["metadata"]["name"]: [(r["kind"], r["name"], r.get("controller"))
                                        for r in c["metadata"].get("ownerReferences", [])]
                for c in self.get(CLAIMS)["items"]}

    def test_delete_policies_hand_claims_to_the_garbage_collector(self):
        manifest = statefulset_manifest(replicas=2)
        manifest["spec"]["persistentVolumeClaimRetentionPolicy"] = {
            "whenDeleted": "Delete", "whenScaled": "Delete"}
        self.apply(manifest)
        self.rollout_status()
        owned_by_set = [("StatefulSet", "web", True)]
        self.wait_until(lambda: self.claim_owners() == {"www-web-0": owned_by_set,
                                                        "www-web-1": owned_by_set},
                        "the set to own both claims")
        # Scaled down: the claim goes with its pod.
        self.ok("scale", "statefulset/web", "--replicas=1")
        self.wait_until(lambda: self.claim_owners() == {"www-web-0": owned_by_set},
                        "www-web-1 to be deleted")
        self.ok("scale", "statefulset/web", "--replicas=2")
        self.rollout_status()
        self.wait_until(lambda: self.claim_owners() == {"www-web-0": owned_by_set,
                                                        "www-web-1": owned_by_set},
                        "a new www-web-1 owned by the set")
        # The set deleted: its claims follow.
        self.ok("delete", "statefulset", "web")
        self.wait_until(lambda: not self.get(CLAIMS)["items"] and not self.set_pods(),
                        "the pods and claims to be deleted")


class RollingUpdateTest(StatefulSetTestCase):
    def revision_of(self, pod):
        return pod["metadata"]["labels"]["controller-revision-hash"]

    def test_partition_then_full_rollout(self):
        self.apply(statefulset_manifest(replicas=4, claims=False, partition=2))
        self.rollout_status()
        first = self.statefulset()["status"]["currentRevision"]
        watch = self.watch()
        self.ok("set", "image", "statefulset/web", "web=nginx:1.26")
        out = self.rollout_status()
        self.assertIn("partitioned roll out complete: 2 new pods have been updated...", out)
        s = self.statefulset()
        update = s["status"]["updateRevision"]
        self.assertNotEqual(update, first)
        self.assertEqual(s["status"]["currentRevision"], first)
        self.assertEqual((s["status"]["updatedReplicas"], s["status"]["currentReplicas"]), (2, 2))
        pods = self.set_pods()
        self.assertEqual({n: (self.revision_of(p), p["spec"]["containers"][0]["image"])
                          for n, p in pods.items()},
                         {"web-0": (first, "nginx:1.25"), "web-1": (first, "nginx:1.25"),
                          "web-2": (update, "nginx:1.26"), "web-3": (update, "nginx:1.26")})
        deleted = [pod["metadata"]["name"] for kind, pod in watch.snapshot()
                   if kind == "DELETED"]
        self.assertEqual(deleted, ["web-3", "web-2"])  # highest ordinal first

        # A pod below the partition that is deleted comes back at the current revision.
        self.ok("delete", "pod", "web-0", "--timeout=20s")
        self.wait_until(lambda: (lambda p: p and ready(p) and self.revision_of(p) == first)(
            self.set_pods().get("web-0")), "web-0 back at the current revision")

        self.ok("patch", "statefulset", "web", "-p",
                '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}')
        self.rollout_status()
        self.wait_until(lambda: self.statefulset()["status"].get("currentRevision") == update,
                        "the rollout to complete")
        s = self.statefulset()
        self.assertEqual((s["status"]["currentReplicas"], s["status"]["updatedReplicas"]), (4, 4))
        self.assertEqual({self.revision_of(p) for p in self.set_pods().values()}, {update})
        revisions = sorted((r["revision"], r["metadata"]["name"])
                           for r in self.get(REVISIONS)["items"])
        self.assertEqual(revisions, [(1, first), (2, update)])
        table = self.ok("get", "controllerrevisions")
        self.assertRegex(table, r"NAME\s+CONTROLLER\s+REVISION\s+AGE")
        self.assertRegex(table, r"%s\s+statefulset.apps/web\s+2\s" % update)
        history = self.ok("rollout", "history", "statefulset/web")
        self.assertEqual([line.split()[0] for line in history.splitlines()[2:] if line.strip()],
                         ["1", "2"])

        # Back to the first template: its revision is reused with the next number.
        self.ok("rollout", "undo", "statefulset/web")
        self.rollout_status()
        self.wait_until(lambda: self.statefulset()["status"].get("currentRevision") == first,
                        "the undo to complete")
        revisions = sorted((r["revision"], r["metadata"]["name"])
                           for r in self.get(REVISIONS)["items"])
        self.assertEqual(revisions, [(2, update), (3, first)])
        self.assertEqual({p["spec"]["containers"][0]["image"]
                          for p in self.set_pods().values()}, {"nginx:1.25"})

        # A restart is a template change like any other: every pod is replaced.
        uids = {p["metadata"]["uid"] for p in self.set_pods().values()}
        self.ok("rollout", "restart", "statefulset/web")
        self.rollout_status()
        restarted = self.wait_until(
            lambda: (lambda s: s if s["status"].get("currentRevision") not in (first, update)
                     and s["status"].get("currentReplicas") == 4 else None)(self.statefulset()),
            "the restart to complete")
        pods = self.set_pods()
        self.assertEqual({self.revision_of(p) for p in pods.values()},
                         {restarted["status"]["currentRevision"]})
        self.assertFalse(uids & {p["metadata"]["uid"] for p in pods.values()})

    def test_on_delete_updates_only_deleted_pods(self):
        manifest = statefulset_manifest(replicas=2, claims=False)
        manifest["spec"]["updateStrategy"] = {"type": "OnDelete"}
        self.apply(manifest)
        self.wait_until(lambda: len([p for p in self.set_pods().values() if ready(p)]) == 2,
                        "two ready pods")
        first = self.statefulset()["status"]["currentRevision"]
        self.ok("set", "image", "statefulset/web", "web=nginx:1.26")
        update = self.wait_until(
            lambda: (lambda r: r if r and r != first else None)(
                self.statefulset()["status"].get("updateRevision")), "a new update revision")
        time.sleep(1)
        self.assertEqual({self.revision_of(p) for p in self.set_pods().values()}, {first})
        self.ok("delete", "pod", "web-1", "--timeout=20s")
        self.wait_until(lambda: (lambda p: p and ready(p) and self.revision_of(p) == update)(
            self.set_pods().get("web-1")), "web-1 at the update revision")
        self.assertEqual(self.revision_of(self.set_pods()["web-0"]), first)
        r = self.run_kubectl("rollout", "status", "statefulset/web")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("rollout status is only available for RollingUpdate strategy type",
                      r.stderr)


class ValidationTest(StatefulSetTestCase):
    def test_bad_statefulsets_are_refused(self):
        bad = statefulset_manifest(claims=False)
        bad["spec"]["selector"] = {"matchLabels": {"app": "other"}}
        code, body = self.call("POST", SETS, bad)
        self.assertEqual(code, 422, body)
        self.assertEqual(body["reason"], "Invalid")
        self.assertIn("spec.template.metadata.labels", [c["field"] for c in
                                                        body["details"]["causes"]])
        self.assertIn("`selector` does not match template `labels`", body["message"])
        r = self.run_kubectl("apply", "-f", "-", stdin=json.dumps(bad))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("spec.template.metadata.labels", r.stderr)

        bad = statefulset_manifest(claims=False, policy="Sometimes")
        code, body = self.call("POST", SETS, bad)
        self.assertEqual(code, 422, body)
        self.assertIn("spec.podManagementPolicy", [c["field"] for c in body["details"]["causes"]])

        bad = statefulset_manifest(claims=False, partition=-1)
        code, body = self.call("POST", SETS, bad)
        self.assertEqual(code, 422, body)
        self.assertIn("spec.updateStrategy.rollingUpdate.partition",
                      [c["field"] for c in body["details"]["causes"]])

        bad = statefulset_manifest()
        bad["spec"]["persistentVolumeClaimRetentionPolicy"] = {"whenScaled": "Sometimes"}
        code, body = self.call("POST", SETS, bad)
        self.assertEqual(code, 422, body)
        self.assertEqual([c["field"] for c in body["details"]["causes"]],
                         ["spec.persistentVolumeClaimRetentionPolicy.whenScaled"])
        self.assertEqual(body["details"]["causes"][0]["reason"], "FieldValueNotSupported")

        # Only some fields of the spec may change.
        self.apply(statefulset_manifest(replicas=1, claims=False))
        s = self.statefulset()
        s["spec"]["serviceName"] = "other"
        del s["metadata"]["resourceVersion"]  # the controller writes status meanwhile
        code, body = self.call("PUT", SETS + "/web", s)
        self.assertEqual(code, 422, body)
        self.assertIn("updates to statefulset spec for fields other than", body["message"])
        self.assertEqual(self.call("GET", SETS + "/nosuch")[0], 404)


if __name__ == "__main__":
    unittest.main()
