"""ResourceQuota and LimitRange: quota admission (usage charged on create, over-quota creates
refused with 403 and upstream's message), the resource quota controller (usage goes back down
when objects go), the LimitRanger (defaults, the limit-ranger annotation, min/max refused with
403) and the validation of both kinds (422), driven with the real kubectl and over HTTPS.

Pods need no nodes here: with the scheduler off they stay Pending, which counts.
"""

import json
import os
import re
import threading
import unittest

from test_resources import ResourcesTestCase

PODS = "/api/v1/namespaces/default/pods"
QUOTAS = "/api/v1/namespaces/default/resourcequotas"
LIMITS = "/api/v1/namespaces/default/limitranges"


def pod(name, requests=None, limits=None):
    resources = {}
    if requests:
        resources["requests"] = requests
    if limits:
        resources["limits"] = limits
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "app", "image": "busybox",
                                     "resources": resources}]}}


class QuotaTestCase(ResourcesTestCase):
    server_args = ("--disable-scheduler", "--controllers", "resourcequota,namespace")

    def apply_file(self, obj, verb="create"):
        path = os.path.join(self.tmp, obj["metadata"]["name"] + ".json")
        with open(path, "w") as f:
            json.dump(obj, f)
        return self.kubectl(verb, "-f", path)

    def quota(self, name="q"):
        code, body = self.call("GET", QUOTAS + "/" + name)
        self.assertEqual(code, 200, body)
        return body

    def wait_used(self, name, expected):
        return self.wait_until(
            lambda: self.quota(name).get("status", {}).get("used") == expected and
            self.quota(name), "quota %s used %r" % (name, expected))


class ResourceQuotaTest(QuotaTestCase):
    def test_pods_until_the_quota_refuses_then_a_delete_frees_it(self):
        self.require_kubectl()
        r = self.kubectl("create", "quota", "q", "--hard=pods=2,requests.cpu=1")
        self.assertEqual(r.returncode, 0, r.stderr)
        q = self.wait_used("q", {"pods": "0", "requests.cpu": "0"})
        self.assertEqual(q["status"]["hard"], {"pods": "2", "requests.cpu": "1"})

        for name in ("p1", "p2"):
            r = self.apply_file(pod(name, requests={"cpu": "200m"}))
            self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.quota()["status"]["used"], {"pods": "2", "requests.cpu": "400m"})

        message = ('pods "p3" is forbidden: exceeded quota: q, requested: pods=1, '
                   'used: pods=2, limited: pods=2')
        r = self.apply_file(pod("p3", requests={"cpu": "200m"}))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Error from server (Forbidden)", r.stderr)
        self.assertIn(message, r.stderr)
        body = self.assert_status(self.call("POST", PODS, pod("p3", requests={"cpu": "200m"})),
                                  403, "Forbidden", message)
        self.assertEqual(body["details"], {"name": "p3", "kind": "pods"})
        self.assertEqual(self.call("GET", PODS + "/p3")[0], 404)

        # The quota limits cpu: a pod must state its cpu request.
        self.assert_status(self.call("POST", PODS, pod("nocpu")), 403, "Forbidden",
                           'pods "nocpu" is forbidden: failed quota: q: must specify '
                           'requests.cpu for: app')

        r = self.kubectl("describe", "quota", "q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"Resource\s+Used\s+Hard")
        self.assertRegex(r.stdout, r"\npods\s+2\s+2\n")
        self.assertRegex(r.stdout, r"\nrequests.cpu\s+400m\s+1\n")
        r = self.kubectl("get", "quota")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"NAME\s+AGE\s+REQUEST\s+LIMIT")
        self.assertIn("pods: 2/2, requests.cpu: 400m/1", r.stdout)

        # Deleting a pod gives its share back, and the next create fits.
        r = self.kubectl("delete", "pod", "p1", "--wait=false")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.wait_until(lambda: self.call("GET", PODS + "/p1")[0] == 404, "p1 to go")
        self.wait_used("q", {"pods": "1", "requests.cpu": "200m"})
        r = self.apply_file(pod("p3", requests={"cpu": "200m"}))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.quota()["status"]["used"], {"pods": "2", "requests.cpu": "400m"})

    def test_cpu_over_the_quota_is_refused_with_the_amounts(self):
        code, body = self.call("POST", QUOTAS, {"metadata": {"name": "compute"},
                                                "spec": {"hard": {"limits.memory": "1Gi",
                                                                  "requests.cpu": "1"}}})
        self.assertEqual(code, 201, body)
        self.assertNotIn("status", body)
        self.wait_used("compute", {"limits.memory": "0", "requests.cpu": "0"})
        code, body = self.call("POST", PODS, pod("a", requests={"cpu": "600m"},
                                                 limits={"memory": "512Mi"}))
        self.assertEqual(code, 201, body)
        self.assertEqual(self.quota("compute")["status"]["used"],
                         {"limits.memory": "512Mi", "requests.cpu": "600m"})
        self.assert_status(
            self.call("POST", PODS, pod("b", requests={"cpu": "600m"}, limits={"memory": "1Gi"})),
            403, "Forbidden",
            'pods "b" is forbidden: exceeded quota: compute, requested: '
            'limits.memory=1Gi,requests.cpu=600m, used: limits.memory=512Mi,requests.cpu=600m, '
            'limited: limits.memory=1Gi,requests.cpu=1')
        # Missing limits name every container and resource missing.
        self.assert_status(self.call("POST", PODS, pod("c", requests={"cpu": "100m"})), 403,
                           "Forbidden", 'pods "c" is forbidden: failed quota: compute: must '
                                        'specify limits.memory for: app')

    def test_concurrent_creates_cannot_pass_the_limit_together(self):
        code, body = self.call("POST", QUOTAS, {"metadata": {"name": "five"},
                                                "spec": {"hard": {"pods": "5"}}})
        self.assertEqual(code, 201, body)
        self.wait_used("five", {"pods": "0"})
        codes = []
        lock = threading.Lock()

        def create(i):
            code, _ = self.call("POST", PODS, pod("c%d" % i))
            with lock:
                codes.append(code)

        threads = [threading.Thread(target=create, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(codes), [201] * 5 + [403] * 7)
        code, pods = self.call("GET", PODS)
        self.assertEqual(len(pods["items"]), 5)
        self.assertEqual(self.quota("five")["status"]["used"], {"pods": "5"})

    def test_scopes_and_object_counts(self):
        code, body = self.call("POST", QUOTAS, {
            "metadata": {"name": "besteffort"},
            "spec": {"hard": {"pods": "1"}, "scopes": ["BestEffort"]}})
        self.assertEqual(code, 201, body)
        code, body = self.call("POST", QUOTAS, {
            "metadata": {"name": "objects"},
            "spec": {"hard": {"configmaps": "1", "count/secrets": "0",
                              "services.nodeports": "1"}}})
        self.assertEqual(code, 201, body)
        self.wait_used("besteffort", {"pods": "0"})
        self.wait_used("objects", {"configmaps": "0", "count/secrets": "0",
                                   "services.nodeports": "0"})
        # Pods with requests are not BestEffort: that quota does not count them.
        for name in ("r1", "r2"):
            code, body = self.call("POST", PODS, pod(name, requests={"cpu": "100m"}))
            self.assertEqual(code, 201, body)
        code, body = self.call("POST", PODS, pod("be1"))
        self.assertEqual(code, 201, body)
        self.assert_status(self.call("POST", PODS, pod("be2")), 403, "Forbidden",
                           'pods "be2" is forbidden: exceeded quota: besteffort, requested: '
                           'pods=1, used: pods=1, limited: pods=1')
        self.assert_status(self.call("POST", "/api/v1/namespaces/default/secrets",
                                     {"metadata": {"name": "s"}}), 403, "Forbidden",
                           'secrets "s" is forbidden: exceeded quota: objects, requested: '
                           'count/secrets=1, used: count/secrets=0, limited: count/secrets=0')
        self.create_cm("one")
        self.assert_status(self.call("POST", "/api/v1/namespaces/default/configmaps",
                                     {"metadata": {"name": "two"}}), 403, "Forbidden",
                           'configmaps "two" is forbidden: exceeded quota: objects, requested: '
                           'configmaps=1, used: configmaps=1, limited: configmaps=1')
        svc = {"metadata": {"name": "np"},
               "spec": {"type": "NodePort", "ports": [{"name": "a", "port": 80},
                                                  {"name": "b", "port": 81}]}}
        self.assert_status(self.call("POST", "/api/v1/namespaces/default/services", svc), 403,
                           "Forbidden",
                           'services "np" is forbidden: exceeded quota: objects, requested: '
                           'services.nodeports=2, used: services.nodeports=0, limited: '
                           'services.nodeports=1')
        # A pod that finished no longer counts.
        code, be1 = self.call("GET", PODS + "/be1")
        be1["status"]["phase"] = "Succeeded"
        code, body = self.call("PUT", PODS + "/be1/status", be1)
        self.assertEqual(code, 200, body)
        self.wait_used("besteffort", {"pods": "0"})
        code, body = self.call("POST", "/api/v1/namespaces/default/configmaps",
                               {"metadata": {"name": "gone"}})
        self.assertEqual(code, 403, body)
        self.assertEqual(self.call("DELETE", "/api/v1/namespaces/default/configmaps/one")[0], 200)
        self.wait_used("objects", {"configmaps": "0", "count/secrets": "0",
                                   "services.nodeports": "0"})

    def test_updates_are_charged_what_they_add(self):
        code, body = self.call("POST", QUOTAS, {"metadata": {"name": "ports"},
                                                "spec": {"hard": {"services.nodeports": "1"}}})
        self.assertEqual(code, 201, body)
        self.wait_used("ports", {"services.nodeports": "0"})
        svcs = "/api/v1/namespaces/default/services"
        for name in ("web", "api"):
            code, body = self.call("POST", svcs, {"metadata": {"name": name},
                                                  "spec": {"ports": [{"port": 80}]}})
            self.assertEqual(code, 201, body)
        patch = b'{"spec":{"type":"NodePort"}}'
        code, body = self.call("PATCH", svcs + "/web", raw=patch,
                               content_type="application/merge-patch+json")
        self.assertEqual(code, 200, body)
        self.assertEqual(self.quota("ports")["status"]["used"], {"services.nodeports": "1"})
        self.assert_status(self.call("PATCH", svcs + "/api", raw=patch,
                                     content_type="application/merge-patch+json"),
                           403, "Forbidden",
                           'services "api" is forbidden: exceeded quota: ports, requested: '
                           'services.nodeports=1, used: services.nodeports=1, limited: '
                           'services.nodeports=1')
        # Back to ClusterIP: the controller does not count the port any more.
        code, body = self.call("PATCH", svcs + "/web",
                               raw=b'{"spec":{"type":"ClusterIP","ports":[{"port":80,'
                                   b'"nodePort":null}]}}',
                               content_type="application/merge-patch+json")
        self.assertEqual(code, 200, body)
        self.assertEqual(self.call("DELETE", svcs + "/api")[0], 200)
        self.wait_used("ports", {"services.nodeports": "0"})

    def test_bad_quotas_are_refused_with_field_paths(self):
        code, body = self.call("POST", QUOTAS, {"metadata": {"name": "bad"}, "spec": {
            "hard": {"foo": "1", "pods": "-1", "services": "1500m", "example.com/x": "1"},
            "scopes": ["BestEffort", "NotBestEffort"]}})
        self.assertEqual(code, 422, body)
        self.assertEqual(body["reason"], "Invalid")
        causes = {(c["field"], c["message"]) for c in body["details"]["causes"]}
        self.assertIn(("spec.hard[foo]", 'Invalid value: "foo": must be a standard resource '
                                          'type or fully qualified'), causes)
        self.assertIn(("spec.hard[foo]", 'Invalid value: "foo": must be a standard resource '
                                          'for quota'), causes)
        self.assertIn(("spec.hard[pods]", 'Invalid value: "-1": must be greater than or equal '
                                           'to 0'), causes)
        self.assertIn(("spec.hard[services]", 'Invalid value: "1500m": must be an integer'),
                      causes)
        self.assertIn("conflicting scopes", " ".join(m for _, m in causes))
        self.assertNotIn("spec.hard[example.com/x]", {f for f, _ in causes})
        self.assertTrue(body["message"].startswith('ResourceQuota "bad" is invalid: ['),
                        body["message"])
        r = self.kubectl("create", "quota", "q2", "--hard=pods=-2")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('spec.hard[pods]: Invalid value: "-2": must be greater than or equal to 0',
                      r.stderr)


class LimitRangeTest(QuotaTestCase):
    def limit_range(self):
        return {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "limits"},
                "spec": {"limits": [{"type": "Container",
                                     "default": {"cpu": "500m", "memory": "256Mi"},
                                     "defaultRequest": {"cpu": "100m"},
                                     "max": {"cpu": "1"},
                                     "min": {"memory": "64Mi"}},
                                    {"type": "PersistentVolumeClaim",
                                     "max": {"storage": "2Gi"}}]}}

    def test_defaults_the_annotation_and_refusals(self):
        self.require_kubectl()
        r = self.apply_file(self.limit_range())
        self.assertEqual(r.returncode, 0, r.stderr)
        code, lr = self.call("GET", LIMITS + "/limits")
        # Stored defaulted: the default request falls back to the default limit.
        self.assertEqual(lr["spec"]["limits"][0]["defaultRequest"],
                         {"cpu": "100m", "memory": "256Mi"})
        r = self.apply_file(pod("plain"))
        self.assertEqual(r.returncode, 0, r.stderr)
        code, p = self.call("GET", PODS + "/plain")
        self.assertEqual(p["spec"]["containers"][0]["resources"],
                         {"limits": {"cpu": "500m", "memory": "256Mi"},
                          "requests": {"cpu": "100m", "memory": "256Mi"}})
        self.assertEqual(p["metadata"]["annotations"]["kubernetes.io/limit-ranger"],
                         "LimitRanger plugin set: cpu, memory request for container app; "
                         "cpu, memory limit for container app")
        self.assertEqual(p["status"]["qosClass"], "Burstable")
        # A container's own limit wins over the range's default request.
        code, p = self.call("POST", PODS, pod("own", limits={"cpu": "800m"}))
        self.assertEqual(code, 201, p)
        self.assertEqual(p["spec"]["containers"][0]["resources"]["requests"],
                         {"cpu": "800m", "memory": "256Mi"})

        r = self.apply_file(pod("big", limits={"cpu": "2"}))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('pods "big" is forbidden: maximum cpu usage per Container is 1, but limit '
                      'is 2', r.stderr)
        self.assert_status(
            self.call("POST", PODS, pod("two", requests={"memory": "32Mi"},
                                        limits={"cpu": "1500m", "memory": "32Mi"})),
            403, "Forbidden",
            'pods "two" is forbidden: [minimum memory usage per Container is 64Mi, but request '
            'is 32Mi, maximum cpu usage per Container is 1, but limit is 1500m]')
        claim = {"metadata": {"name": "data"},
                 "spec": {"accessModes": ["ReadWriteOnce"],
                          "resources": {"requests": {"storage": "5Gi"}}}}
        self.assert_status(self.call("POST", "/api/v1/namespaces/default/persistentvolumeclaims",
                                     claim), 403, "Forbidden",
                           'persistentvolumeclaims "data" is forbidden: maximum storage usage '
                           'per PersistentVolumeClaim is 2Gi, but request is 5Gi')
        claim["spec"]["resources"]["requests"]["storage"] = "1Gi"
        code, body = self.call("POST", "/api/v1/namespaces/default/persistentvolumeclaims", claim)
        self.assertEqual(code, 201, body)
        r = self.kubectl("get", "limits")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"NAME\s+CREATED AT\nlimits\s+\d{4}-")

    def test_bad_limit_ranges_are_refused_with_field_paths(self):
        bad = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "bad"},
               "spec": {"limits": [
            {"type": "Container", "default": {"cpu": "2"}, "max": {"cpu": "1"},
             "min": {"memory": "1Gi"}, "defaultRequest": {"memory": "512Mi"}},
            {"type": "Pod", "default": {"cpu": "1"}},
            {"type": "PersistentVolumeClaim"},
            {"type": "Container"}]}}
        code, body = self.call("POST", LIMITS, bad)
        self.assertEqual(code, 422, body)
        causes = {(c["field"], c["message"]) for c in body["details"]["causes"]}
        self.assertIn(("spec.limits[0].default[cpu]",
                       'Invalid value: "1": default value 2 is greater than max value 1'), causes)
        self.assertIn(("spec.limits[0].defaultRequest[memory]",
                       'Invalid value: "512Mi": min value 1Gi is greater than default request '
                       'value 512Mi'), causes)
        self.assertIn(("spec.limits[1].default",
                       "Forbidden: may not be specified when `type` is 'Pod'"), causes)
        self.assertIn(("spec.limits[2].limits",
                       "Required value: either minimum or maximum storage value is required, "
                       "but neither was provided"), causes)
        self.assertIn(("spec.limits[3].type", 'Duplicate value: "Container"'), causes)
        r = self.apply_file(bad)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('The LimitRange "bad" is invalid', r.stderr)


if __name__ == "__main__":
    unittest.main()
