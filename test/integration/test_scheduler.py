"""The scheduler inside `tug server`: pending pods are bound to nodes that fit them, as
kube-scheduler does, and pods that fit nowhere say why in their PodScheduled condition and in
FailedScheduling events. Nodes are plain Node objects written over HTTP (no kubelet runs), with
their capacity and Ready condition written through the nodes/status subresource.

Every server listens on 127.0.0.1 on a free port with its data in a temporary directory.
"""

import time
import unittest

from test_resources import ResourcesTestCase


def pod_body(name, cpu=None, memory=None, **spec):
    requests = {}
    if cpu:
        requests["cpu"] = cpu
    if memory:
        requests["memory"] = memory
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "c", "image": "nginx",
                                     "resources": {"requests": requests}}]}}
    body["spec"].update(spec)
    return body


class SchedulerTestCase(ResourcesTestCase):
    def create_node(self, name, cpu="2", memory="4Gi", pods="110", labels=None, ready=True,
                    taints=None):
        spec = {"taints": taints} if taints else {}
        code, body = self.call("POST", "/api/v1/nodes",
                               {"apiVersion": "v1", "kind": "Node",
                                "metadata": {"name": name, "labels": labels or {}},
                                "spec": spec})
        self.assertEqual(code, 201, body)
        resources = {"cpu": cpu, "memory": memory, "pods": pods}
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        status = {"status": {
            "capacity": resources, "allocatable": resources,
            "conditions": [{"type": "Ready", "status": "True" if ready else "False",
                            "reason": "KubeletReady", "message": "kubelet is posting ready status",
                            "lastHeartbeatTime": now, "lastTransitionTime": now}]}}
        code, body = self.call("PATCH", "/api/v1/nodes/%s/status" % name, status,
                               content_type="application/merge-patch+json")
        self.assertEqual(code, 200, body)
        self.assertEqual(body["status"]["allocatable"]["cpu"], cpu)

    def create_pod(self, body, ns="default"):
        code, created = self.call("POST", "/api/v1/namespaces/%s/pods" % ns, body)
        self.assertEqual(code, 201, created)
        return created

    def get_pod(self, name, ns="default"):
        code, body = self.call("GET", "/api/v1/namespaces/%s/pods/%s" % (ns, name))
        self.assertEqual(code, 200, body)
        return body

    def wait_scheduled(self, name, ns="default"):
        return self.wait_until(lambda: self.get_pod(name, ns)["spec"].get("nodeName"),
                               "pod %s to be scheduled" % name)

    def condition(self, pod, kind="PodScheduled"):
        for c in pod.get("status", {}).get("conditions", []):
            if c["type"] == kind:
                return c
        return None

    def events_for(self, name, ns="default"):
        code, events = self.call("GET", "/api/v1/namespaces/%s/events" % ns)
        self.assertEqual(code, 200, events)
        return [e for e in events["items"] if e["involvedObject"]["name"] == name]


class PlacementTest(SchedulerTestCase):
    def test_pods_spread_over_nodes_without_overcommitting(self):
        for n in ("n1", "n2", "n3"):
            self.create_node(n, cpu="2")
        for i in range(6):
            self.create_pod(pod_body("web-%d" % i, cpu="1", memory="128Mi"))
        placed = {}
        for i in range(6):
            node = self.wait_scheduled("web-%d" % i)
            placed[node] = placed.get(node, 0) + 1
        # Two 1-cpu pods fill a 2-cpu node: the burst lands two on each.
        self.assertEqual(placed, {"n1": 2, "n2": 2, "n3": 2})
        pod = self.get_pod("web-0")
        self.assertEqual(self.condition(pod)["status"], "True")
        events = self.wait_until(
            lambda: [e for e in self.events_for("web-0") if e["reason"] == "Scheduled"],
            "the Scheduled event")
        self.assertEqual(events[0]["type"], "Normal")
        self.assertEqual(events[0]["message"],
                         "Successfully assigned default/web-0 to %s" % pod["spec"]["nodeName"])
        self.assertEqual(events[0]["reportingComponent"], "default-scheduler")
        # A seventh pod fits nowhere.
        self.create_pod(pod_body("web-6", cpu="1"))
        pending = self.wait_until(lambda: self.condition(self.get_pod("web-6")),
                                  "the PodScheduled condition of web-6")
        self.assertEqual(pending["status"], "False")
        self.assertEqual(pending["message"],
                         "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are "
                         "available: 3 No preemption victims found for incoming pod.")

    def test_node_selector_cordon_and_taints(self):
        self.require_kubectl()
        self.create_node("plain", labels={"disk": "hdd"})
        self.create_node("fast", labels={"disk": "ssd"})
        self.create_node("cordoned", labels={"disk": "ssd"})
        self.create_node("gpu", labels={"disk": "ssd", "accelerator": "gpu"})
        r = self.kubectl("cordon", "cordoned")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kubectl("taint", "nodes", "gpu", "dedicated=gpu:NoSchedule")
        self.assertEqual(r.returncode, 0, r.stderr)
        for i in range(4):
            self.create_pod(pod_body("ssd-%d" % i, cpu="100m", nodeSelector={"disk": "ssd"}))
        for i in range(4):
            self.assertEqual(self.wait_scheduled("ssd-%d" % i), "fast")
        self.create_pod(pod_body("trainer", cpu="100m",
                                 nodeSelector={"accelerator": "gpu"},
                                 tolerations=[{"key": "dedicated", "operator": "Equal",
                                               "value": "gpu", "effect": "NoSchedule"}]))
        self.create_node("late", labels={"accelerator": "none"})
        self.assertEqual(self.wait_scheduled("trainer"), "gpu")
        # A pod that only the cordoned or tainted nodes would take waits, saying why.
        self.create_pod(pod_body("stuck", nodeSelector={"disk": "ssd"},
                                 affinity={"nodeAffinity": {
                                     "requiredDuringSchedulingIgnoredDuringExecution": {
                                         "nodeSelectorTerms": [{"matchFields": [{
                                             "key": "metadata.name", "operator": "NotIn",
                                             "values": ["fast"]}]}]}}}))
        cond = self.wait_until(lambda: self.condition(self.get_pod("stuck")),
                               "the PodScheduled condition of stuck")
        self.assertEqual(cond["reason"], "Unschedulable")
        self.assertEqual(
            cond["message"],
            "0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
            "1 node(s) were unschedulable, 3 node(s) didn't match Pod's node affinity/selector. "
            "preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.")
        r = self.kubectl("uncordon", "cordoned")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.wait_scheduled("stuck"), "cordoned")


class UnschedulableTest(SchedulerTestCase):
    def test_a_pod_too_big_waits_then_goes_to_a_node_that_fits(self):
        self.require_kubectl()
        self.create_node("small", cpu="2", memory="2Gi")
        self.create_node("cp", cpu="8", memory="16Gi",
                         taints=[{"key": "node-role.kubernetes.io/control-plane",
                                  "effect": "NoSchedule"}])
        self.create_pod(pod_body("big", cpu="4", memory="1Gi"))
        message = ("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated "
                   "taint {node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are "
                   "available: 2 Preemption is not helpful for scheduling.")
        cond = self.wait_until(lambda: self.condition(self.get_pod("big")),
                               "the PodScheduled condition")
        self.assertEqual(cond["status"], "False")
        self.assertEqual(cond["reason"], "Unschedulable")
        self.assertEqual(cond["message"], message)
        self.assertNotIn("nodeName", self.get_pod("big")["spec"])
        event = self.wait_until(
            lambda: [e for e in self.events_for("big") if e["reason"] == "FailedScheduling"],
            "the FailedScheduling event")[0]
        self.assertEqual(event["type"], "Warning")
        self.assertEqual(event["message"], message)
        self.assertEqual(event["involvedObject"]["kind"], "Pod")
        self.assertEqual(event["source"]["component"], "default-scheduler")
        r = self.kubectl("describe", "pod", "big")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("FailedScheduling", r.stdout)
        self.assertIn("default-scheduler", r.stdout)
        self.assertIn("0/2 nodes are available: 1 Insufficient cpu", r.stdout)
        r = self.kubectl("get", "events", "--field-selector", "reason=FailedScheduling")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("pod/big", r.stdout)
        # Adding a node that fits lets it through.
        self.create_node("large", cpu="8", memory="16Gi")
        self.assertEqual(self.wait_scheduled("big"), "large")
        self.assertEqual(self.condition(self.get_pod("big"))["status"], "True")

    def test_other_schedulers_pods_are_left_alone(self):
        self.create_node("n1")
        self.create_pod(pod_body("mine", schedulerName="other-scheduler"))
        self.create_pod(pod_body("ours"))
        self.wait_scheduled("ours")
        time.sleep(1)
        pod = self.get_pod("mine")
        self.assertNotIn("nodeName", pod["spec"])
        self.assertIsNone(self.condition(pod))
        # That scheduler binds it itself.
        code, body = self.call("POST", "/api/v1/namespaces/default/pods/mine/binding",
                               {"apiVersion": "v1", "kind": "Binding",
                                "metadata": {"name": "mine"},
                                "target": {"apiVersion": "v1", "kind": "Node", "name": "n1"}})
        self.assertEqual(code, 201, body)
        self.assertEqual(body["status"], "Success")
        self.assertEqual(self.get_pod("mine")["spec"]["nodeName"], "n1")


class PreemptionTest(SchedulerTestCase):
    def test_a_higher_priority_pod_evicts_a_lower_one(self):
        self.create_node("only", cpu="2")
        for name, value in (("low", 10), ("high", 1000)):
            code, body = self.call("POST", "/apis/scheduling.k8s.io/v1/priorityclasses",
                                   {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                                    "metadata": {"name": name}, "value": value})
            self.assertEqual(code, 201, body)
        time.sleep(0.5)  # the scheduler's PriorityClass informer sees them
        self.create_pod(pod_body("batch", cpu="1500m", priorityClassName="low"))
        self.assertEqual(self.wait_scheduled("batch"), "only")
        self.create_pod(pod_body("urgent", cpu="1", priorityClassName="high"))
        self.wait_until(lambda: self.call("GET", "/api/v1/namespaces/default/pods/batch")[0] == 404,
                        "the lower-priority pod to be preempted")
        self.assertEqual(self.wait_scheduled("urgent"), "only")
        preempted = [e for e in self.events_for("batch") if e["reason"] == "Preempted"]
        self.assertEqual(len(preempted), 1, self.events_for("batch"))
        # An equal-priority pod that does not fit preempts nothing.
        self.create_pod(pod_body("peer", cpu="1500m", priorityClassName="high"))
        cond = self.wait_until(lambda: self.condition(self.get_pod("peer")),
                               "the PodScheduled condition of peer")
        self.assertEqual(cond["message"],
                         "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are "
                         "available: 1 No preemption victims found for incoming pod.")
        self.assertEqual(self.get_pod("urgent")["spec"]["nodeName"], "only")


class BindingTest(SchedulerTestCase):
    def test_binding_an_assigned_pod_is_a_conflict(self):
        self.create_pod(pod_body("fixed", nodeName="n9"))
        binding = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "fixed"},
                   "target": {"kind": "Node", "name": "n1"}}
        body = self.assert_status(
            self.call("POST", "/api/v1/namespaces/default/pods/fixed/binding", binding),
            409, "Conflict",
            'Operation cannot be fulfilled on pods/binding "fixed": pod fixed is already '
            'assigned to node "n9"')
        self.assertEqual(body["details"], {"name": "fixed", "kind": "pods/binding"})
        binding["metadata"]["name"] = "ghost"
        self.assert_status(
            self.call("POST", "/api/v1/namespaces/default/pods/ghost/binding", binding),
            404, "NotFound", 'pods "ghost" not found')


if __name__ == "__main__":
    unittest.main()
