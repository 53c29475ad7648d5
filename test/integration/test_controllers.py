"""The controllers that run inside `tug server`: the namespace controller (deleting a namespace
deletes what it holds, then the namespace) and the service-account controller (a `default`
ServiceAccount in every namespace), driven with the real kubectl.

Every server listens on 127.0.0.1 on a free port with its data in a temporary directory.
"""

import time
import unittest

from test_resources import ResourcesTestCase


class ControllersTestCase(ResourcesTestCase):
    def create_namespace(self, name):
        code, body = self.call("POST", "/api/v1/namespaces", {"metadata": {"name": name}})
        self.assertEqual(code, 201, body)


class ServiceAccountControllerTest(ControllersTestCase):
    def test_every_namespace_gets_a_default_service_account(self):
        for ns in ("default", "kube-system"):
            self.wait_until(lambda: self.call(
                "GET", "/api/v1/namespaces/%s/serviceaccounts/default" % ns)[0] == 200,
                "the default ServiceAccount in " + ns)
        self.create_namespace("team")
        self.wait_until(lambda: self.call(
            "GET", "/api/v1/namespaces/team/serviceaccounts/default")[0] == 200,
            "the default ServiceAccount in team")
        code, _ = self.call("DELETE", "/api/v1/namespaces/team/serviceaccounts/default")
        self.assertEqual(code, 200)
        self.wait_until(lambda: self.call(
            "GET", "/api/v1/namespaces/team/serviceaccounts/default")[0] == 200,
            "the default ServiceAccount to come back")


class NamespaceControllerTest(ControllersTestCase):
    def test_deleting_a_namespace_deletes_its_content(self):
        self.require_kubectl()
        self.create_namespace("work")
        self.create_cm("one", ns="work")
        self.create_cm("two", ns="work")
        code, body = self.call("POST", "/api/v1/namespaces/work/secrets",
                               {"metadata": {"name": "s"}, "stringData": {"a": "b"}})
        self.assertEqual(code, 201, body)
        self.create_cm("stays", ns="default")
        # kubectl waits for the namespace to be gone.
        r = self.kubectl("delete", "namespace", "work", "--timeout=30s")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.call("GET", "/api/v1/namespaces/work")[0], 404)
        code, cms = self.call("GET", "/api/v1/configmaps")
        self.assertEqual([(c["metadata"]["namespace"], c["metadata"]["name"])
                          for c in cms["items"] if c["metadata"]["namespace"] == "work"], [])
        self.assertEqual(self.call("GET", "/api/v1/namespaces/default/configmaps/stays")[0], 200)
        code, secrets = self.call("GET", "/api/v1/namespaces/work/secrets")
        self.assertEqual(secrets["items"], [])

    def test_content_outlives_the_namespace_deletion_for_the_grace_period(self):
        # As upstream, the controller acts 5 s after the deletion, so a client deleting a
        # namespace and then its objects (`kubectl delete -f` of a file that holds both) finds
        # them still there.
        self.create_namespace("late")
        self.create_cm("one", ns="late")
        code, body = self.call("DELETE", "/api/v1/namespaces/late")
        self.assertEqual(code, 200, body)
        self.assertEqual(body["status"]["phase"], "Terminating")
        code, body = self.call("DELETE", "/api/v1/namespaces/late/configmaps/one")
        self.assertEqual(code, 200, body)
        self.wait_until(lambda: self.call("GET", "/api/v1/namespaces/late")[0] == 404,
                        "the namespace to go", timeout=30)

    def test_a_namespace_waits_for_objects_with_finalizers(self):
        self.create_namespace("held")
        code, body = self.call("POST", "/api/v1/namespaces/held/configmaps",
                               {"metadata": {"name": "keep", "finalizers": ["example.com/x"]}})
        self.assertEqual(code, 201, body)
        code, ns = self.call("DELETE", "/api/v1/namespaces/held")
        self.assertEqual(code, 200, ns)
        self.assertEqual(ns["status"]["phase"], "Terminating")
        self.assertIn("deletionTimestamp", ns["metadata"])
        # The namespace refuses new content while it is going.
        code, body = self.call("POST", "/api/v1/namespaces/held/configmaps",
                               {"metadata": {"name": "late"}})
        self.assertEqual(code, 403, body)
        # The held object is marked for deletion; the namespace stays until it goes.
        self.wait_until(lambda: "deletionTimestamp" in self.call(
            "GET", "/api/v1/namespaces/held/configmaps/keep")[1].get("metadata", {}),
            "the held ConfigMap to be marked")
        time.sleep(1)
        code, ns = self.call("GET", "/api/v1/namespaces/held")
        self.assertEqual(code, 200)
        self.assertEqual(ns["spec"]["finalizers"], ["kubernetes"])
        code, body = self.call("PATCH", "/api/v1/namespaces/held/configmaps/keep",
                               raw=b'{"metadata":{"finalizers":null}}',
                               content_type="application/merge-patch+json")
        self.assertEqual(code, 200, body)
        self.wait_until(lambda: self.call("GET", "/api/v1/namespaces/held")[0] == 404,
                        "the namespace to go")

    def test_finalize_changes_only_spec_finalizers(self):
        self.create_namespace("fin")
        code, ns = self.call("GET", "/api/v1/namespaces/fin")
        ns["spec"]["finalizers"] = ["example.com/mine", "kubernetes"]
        ns["metadata"]["labels"] = {"ignored": "yes"}
        code, body = self.call("PUT", "/api/v1/namespaces/fin/finalize", ns)
        self.assertEqual(code, 200, body)
        self.assertEqual(body["spec"]["finalizers"], ["example.com/mine", "kubernetes"])
        self.assertNotIn("ignored", body["metadata"].get("labels", {}))
        code, body = self.call("POST", "/api/v1/namespaces/fin/finalize", ns)
        self.assertEqual(code, 405, body)



class LeaderElectionTest(ControllersTestCase):
    def test_the_controllers_and_the_scheduler_hold_their_leases(self):
        # As kube-controller-manager and kube-scheduler: one Lease each in kube-system, renewed
        # by this server while it runs them.
        def lease(name):
            code, body = self.call(
                "GET", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/" + name)
            return body["spec"] if code == 200 and body["spec"].get("holderIdentity") else None

        first = {}
        for name in ("kube-controller-manager", "kube-scheduler"):
            first[name] = self.wait_until(lambda: lease(name), "the %s lease" % name)
            self.assertEqual(first[name]["leaseDurationSeconds"], 15)
            self.assertRegex(first[name]["renewTime"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        self.assertEqual(first["kube-controller-manager"]["holderIdentity"],
                         first["kube-scheduler"]["holderIdentity"])
        # Renewed every 2 s.
        self.wait_until(lambda: lease("kube-scheduler")["renewTime"] !=
                        first["kube-scheduler"]["renewTime"], "a renewal", timeout=10)
        r = self.kubectl("get", "lease", "-n", "kube-system", "kube-scheduler", "-o",
                         "jsonpath={.spec.holderIdentity}")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, first["kube-scheduler"]["holderIdentity"])


if __name__ == "__main__":
    unittest.main()
