"""Services get their addresses from the API server: cluster IPs from the service range, node
ports from the node-port range, each held by one Service at a time, with upstream's 422 for a
value that is taken or out of range. The `kubernetes` Service points at the API server.

Every server listens on 127.0.0.1 on a free port with its data in a temporary directory.
"""

import ipaddress
import json
import time
import unittest

from test_cli import error_lines, loopback, tug
from test_resources import ResourcesTestCase

SERVICES = "/api/v1/namespaces/default/services"


def service(name, type_="ClusterIP", ports=None, cluster_ip=None):
    spec = {"type": type_, "selector": {"app": name},
            "ports": ports or [{"name": "http", "port": 80, "targetPort": 8080}]}
    if cluster_ip is not None:
        spec["clusterIP"] = cluster_ip
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}


class ServicesTestCase(ResourcesTestCase):
    def create(self, body, expect=201):
        code, reply = self.call("POST", SERVICES, body)
        self.assertEqual(code, expect, reply)
        return reply

    def assert_invalid(self, body, message):
        reply = self.assert_status(self.call("POST", SERVICES, body), 422, "Invalid")
        self.assertEqual(reply["message"], message)
        # Nothing was created.
        self.assertEqual(self.call("GET", SERVICES + "/" + body["metadata"]["name"])[0], 404)
        return reply


class ClusterIpTest(ServicesTestCase):
    def test_kubernetes_service_points_at_the_api_server(self):
        code, svc = self.call("GET", SERVICES + "/kubernetes")
        self.assertEqual(code, 200, svc)
        self.assertEqual(svc["spec"]["clusterIP"], "10.43.0.1")
        self.assertEqual(svc["spec"]["clusterIPs"], ["10.43.0.1"])
        self.assertEqual(svc["spec"]["ports"][0]["port"], 443)
        self.assertEqual(svc["metadata"]["labels"],
                         {"component": "apiserver", "provider": "kubernetes"})
        code, ep = self.call("GET", "/api/v1/namespaces/default/endpoints/kubernetes")
        self.assertEqual(code, 200, ep)
        self.assertEqual(ep["subsets"][0]["ports"][0]["port"], self.server.port)
        self.assertEqual(ep["subsets"][0]["addresses"][0]["ip"], "127.0.0.1")
        code, slice_ = self.call(
            "GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes")
        self.assertEqual(code, 200, slice_)
        self.assertEqual(slice_["endpoints"][0]["addresses"], ["127.0.0.1"])
        self.assertEqual(slice_["metadata"]["labels"]["kubernetes.io/service-name"], "kubernetes")

    def test_each_service_gets_its_own_address_in_the_range(self):
        network = ipaddress.ip_network("10.43.0.0/16")
        seen = set()
        for i in range(25):
            ip = self.create(service("web%d" % i))["spec"]["clusterIP"]
            self.assertIn(ipaddress.ip_address(ip), network)
            self.assertNotIn(ip, ("10.43.0.0", "10.43.0.1", "10.43.0.10", "10.43.255.255"))
            seen.add(ip)
        self.assertEqual(len(seen), 25)
        headless = self.create(service("headless", cluster_ip="None"))
        self.assertEqual(headless["spec"]["clusterIP"], "None")
        external = self.create({"apiVersion": "v1", "kind": "Service",
                                "metadata": {"name": "ext"},
                                "spec": {"type": "ExternalName", "externalName": "example.com"}})
        self.assertNotIn("clusterIP", external["spec"])

    def test_requested_address_out_of_range_or_taken(self):
        self.assert_invalid(
            service("outside", cluster_ip="10.0.0.5"),
            'Service "outside" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: '
            "failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid "
            "range. The range of valid IPs is 10.43.0.0/16")
        self.assertEqual(self.create(service("dns", cluster_ip="10.43.0.10"))["spec"]["clusterIP"],
                         "10.43.0.10")
        self.assert_invalid(
            service("second", cluster_ip="10.43.0.10"),
            'Service "second" is invalid: spec.clusterIPs: Invalid value: []string{"10.43.0.10"}: '
            "failed to allocate IP 10.43.0.10: provided IP is already allocated")
        self.assert_invalid(
            service("api", cluster_ip="10.43.0.1"),
            'Service "api" is invalid: spec.clusterIPs: Invalid value: []string{"10.43.0.1"}: '
            "failed to allocate IP 10.43.0.1: provided IP is already allocated")
        # Deleting the holder frees the address at once.
        self.assertEqual(self.call("DELETE", SERVICES + "/dns")[0], 200)
        self.assertEqual(self.create(service("second", cluster_ip="10.43.0.10"))["spec"]["clusterIP"],
                         "10.43.0.10")

    def test_dry_run_claims_nothing(self):
        code, reply = self.call("POST", SERVICES + "?dryRun=All",
                                service("dry", cluster_ip="10.43.7.7"))
        self.assertEqual(code, 201, reply)
        self.assertEqual(self.create(service("real", cluster_ip="10.43.7.7"))["spec"]["clusterIP"],
                         "10.43.7.7")

    def test_cluster_ip_is_immutable(self):
        svc = self.create(service("fixed"))
        code, reply = self.call("PATCH", SERVICES + "/fixed",
                                raw=json.dumps({"spec": {"clusterIP": "10.43.9.9",
                                                         "clusterIPs": ["10.43.9.9"]}}).encode(),
                                content_type="application/merge-patch+json")
        self.assertEqual(code, 422, reply)
        self.assertEqual(reply["message"],
                         'Service "fixed" is invalid: spec.clusterIPs[0]: Invalid value: '
                         '[]string{"10.43.9.9"}: may not change once set')
        code, now = self.call("GET", SERVICES + "/fixed")
        self.assertEqual(now["spec"]["clusterIP"], svc["spec"]["clusterIP"])


class NodePortTest(ServicesTestCase):
    def test_node_ports_allocated_and_refused(self):
        self.require_kubectl()
        r = self.kubectl("create", "service", "nodeport", "np", "--tcp=80:8080")
        self.assertEqual(r.returncode, 0, r.stderr)
        code, np = self.call("GET", SERVICES + "/np")
        port = np["spec"]["ports"][0]["nodePort"]
        self.assertTrue(30000 <= port <= 32767, port)
        r = self.kubectl("create", "service", "nodeport", "fixed", "--tcp=80:8080",
                         "--node-port=30080")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kubectl("create", "service", "nodeport", "again", "--tcp=80:8080",
                         "--node-port=30080")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('Service "again" is invalid: spec.ports[0].nodePort: Invalid value: 30080: '
                      "provided port is already allocated", r.stderr)
        self.assert_invalid(
            service("far", "NodePort", [{"port": 80, "nodePort": 40000}]),
            'Service "far" is invalid: spec.ports[0].nodePort: Invalid value: 40000: '
            "provided port is not in the valid range. The range of valid ports is 30000-32767")
        # A failed create releases what it had claimed before the failure.
        self.assert_invalid(
            service("half", "NodePort", [{"name": "a", "port": 80, "nodePort": 30500},
                                         {"name": "b", "port": 81, "nodePort": 30080}]),
            'Service "half" is invalid: spec.ports[1].nodePort: Invalid value: 30080: '
            "provided port is already allocated")
        self.create(service("takes", "NodePort", [{"port": 80, "nodePort": 30500}]))

    def test_type_changes_release_and_keep_ports(self):
        svc = self.create(service("web", "NodePort", [{"name": "http", "port": 80,
                                                       "nodePort": 30111}]))
        # A replacement without node ports keeps the one it had.
        svc["spec"]["ports"] = [{"name": "http", "port": 80, "targetPort": 8080}]
        code, replaced = self.call("PUT", SERVICES + "/web", svc)
        self.assertEqual(code, 200, replaced)
        self.assertEqual(replaced["spec"]["ports"][0]["nodePort"], 30111)
        # Back to ClusterIP: the node port goes, and another Service may take it.
        code, patched = self.call("PATCH", SERVICES + "/web",
                                  raw=json.dumps({"spec": {"type": "ClusterIP"}}).encode(),
                                  content_type="application/merge-patch+json")
        self.assertEqual(code, 200, patched)
        self.assertNotIn("nodePort", patched["spec"]["ports"][0])
        self.create(service("other", "NodePort", [{"port": 80, "nodePort": 30111}]))
        # And to NodePort again: a new port is drawn.
        code, patched = self.call("PATCH", SERVICES + "/web",
                                  raw=json.dumps({"spec": {"type": "NodePort"}}).encode(),
                                  content_type="application/merge-patch+json")
        self.assertEqual(code, 200, patched)
        port = patched["spec"]["ports"][0]["nodePort"]
        self.assertTrue(30000 <= port <= 32767 and port != 30111, port)

    def test_deleting_a_namespace_frees_its_ports(self):
        self.require_kubectl()
        self.assertEqual(self.call("POST", "/api/v1/namespaces",
                                   {"metadata": {"name": "team"}})[0], 201)
        code, body = self.call("POST", "/api/v1/namespaces/team/services",
                               service("s", "NodePort", [{"port": 80, "nodePort": 31000}]))
        self.assertEqual(code, 201, body)
        r = self.kubectl("delete", "namespace", "team", "--timeout=30s")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.create(service("s", "NodePort", [{"port": 80, "nodePort": 31000}]))


class EndpointsTest(ServicesTestCase):
    def run_pod(self, name, ip, ready=True, labels=None):
        """A pod as a kubelet would report it: bound, running, with an IP."""
        code, body = self.call("POST", "/api/v1/namespaces/default/pods", {
            "metadata": {"name": name, "labels": labels or {"app": "web"}},
            "spec": {"nodeName": "node-a", "containers": [
                {"name": "c", "image": "nginx", "ports": [{"name": "web", "containerPort": 8080}]}]}})
        self.assertEqual(code, 201, body)
        self.set_ready(name, ip, ready)

    def set_ready(self, name, ip, ready):
        code, pod = self.call("GET", "/api/v1/namespaces/default/pods/" + name)
        pod["status"] = {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}],
                         "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}
        code, body = self.call("PUT", "/api/v1/namespaces/default/pods/%s/status" % name, pod)
        self.assertEqual(code, 200, body)

    def endpoints(self):
        code, body = self.call("GET", "/api/v1/namespaces/default/endpoints/web")
        return body if code == 200 else None

    def slices(self):
        code, body = self.call("GET", "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices"
                                      "?labelSelector=kubernetes.io%2Fservice-name%3Dweb")
        self.assertEqual(code, 200, body)
        return body["items"]

    def addresses(self, kind="addresses"):
        e = self.endpoints()
        if e is None:
            return None
        return sorted(a["ip"] for s in e.get("subsets", []) for a in s.get(kind, []))

    def test_endpoints_follow_ready_pods(self):
        self.require_kubectl()
        self.create(service("web", ports=[{"name": "http", "port": 80, "targetPort": "web"}]))
        self.wait_until(lambda: self.endpoints() is not None, "the Endpoints of web")
        self.assertNotIn("subsets", self.endpoints())
        self.run_pod("web-1", "10.42.0.11")
        self.run_pod("web-2", "10.42.0.12", ready=False)
        self.run_pod("db", "10.42.0.13", labels={"app": "db"})
        self.wait_until(lambda: self.addresses() == ["10.42.0.11"] and
                      self.addresses("notReadyAddresses") == ["10.42.0.12"],
                      "web-1 ready and web-2 not")
        self.assertEqual(self.endpoints()["subsets"][0]["ports"],
                         [{"name": "http", "port": 8080, "protocol": "TCP"}])
        r = self.kubectl("get", "endpoints", "web")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("10.42.0.11:8080", r.stdout)
        # The slice says the same, owned by the Service.
        slices = self.wait_until(lambda: [s for s in self.slices() if len(s["endpoints"]) == 2],
                               "two endpoints in the slice")
        slice_ = slices[0]
        self.assertEqual(slice_["addressType"], "IPv4")
        self.assertEqual(slice_["ports"], [{"name": "http", "port": 8080, "protocol": "TCP"}])
        self.assertEqual(slice_["metadata"]["ownerReferences"][0]["kind"], "Service")
        ready = {e["addresses"][0]: e["conditions"]["ready"] for e in slice_["endpoints"]}
        self.assertEqual(ready, {"10.42.0.11": True, "10.42.0.12": False})
        # Readiness flips, a pod leaves by relabelling, a pod is deleted.
        self.set_ready("web-2", "10.42.0.12", True)
        self.wait_until(lambda: self.addresses() == ["10.42.0.11", "10.42.0.12"], "web-2 ready")
        r = self.kubectl("label", "pod", "web-1", "app=debug", "--overwrite")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.wait_until(lambda: self.addresses() == ["10.42.0.12"], "web-1 gone by label")
        self.assertEqual(self.call("DELETE", "/api/v1/namespaces/default/pods/web-2?gracePeriodSeconds=0")[0], 200)
        self.wait_until(lambda: self.addresses() == [], "web-2 gone")
        self.wait_until(lambda: [s for s in self.slices() if not s["endpoints"]], "an empty slice")
        # A change by hand is put back.
        e = self.endpoints()
        e["subsets"] = [{"addresses": [{"ip": "192.0.2.1"}]}]
        self.assertEqual(self.call("PUT", "/api/v1/namespaces/default/endpoints/web", e)[0], 200)
        self.wait_until(lambda: self.addresses() == [], "the hand-made address removed")
        # The Service goes, and its endpoints with it.
        self.assertEqual(self.call("DELETE", SERVICES + "/web")[0], 200)
        self.wait_until(lambda: self.endpoints() is None, "the Endpoints deleted")
        self.wait_until(lambda: self.slices() == [], "the slices deleted")

    def test_services_without_selector_keep_their_own_endpoints(self):
        body = service("manual")
        del body["spec"]["selector"]
        self.create(body)
        code, e = self.call("POST", "/api/v1/namespaces/default/endpoints", {
            "metadata": {"name": "manual"},
            "subsets": [{"addresses": [{"ip": "192.0.2.7"}], "ports": [{"port": 5432}]}]})
        self.assertEqual(code, 201, e)
        time.sleep(1)
        code, e = self.call("GET", "/api/v1/namespaces/default/endpoints/manual")
        self.assertEqual(e["subsets"][0]["addresses"][0]["ip"], "192.0.2.7")


class RangesFlagTest(ServicesTestCase):
    server_args = ("--service-cidr", "10.96.0.0/24", "--service-node-port-range", "31000-31001")

    def test_ranges_come_from_the_flags(self):
        code, svc = self.call("GET", SERVICES + "/kubernetes")
        self.assertEqual(svc["spec"]["clusterIP"], "10.96.0.1")
        ip = self.create(service("a"))["spec"]["clusterIP"]
        self.assertIn(ipaddress.ip_address(ip), ipaddress.ip_network("10.96.0.0/24"))
        ports = {self.create(service(n, "NodePort"))["spec"]["ports"][0]["nodePort"]
                 for n in ("b", "c")}
        self.assertEqual(ports, {31000, 31001})
        reply = self.assert_status(self.call("POST", SERVICES, service("d", "NodePort")), 422,
                                   "Invalid")
        self.assertIn("range is full", reply["message"])

    def test_addresses_survive_a_restart(self):
        self.create(service("keep", "NodePort", [{"port": 80, "nodePort": 31000}]))
        self.server.stop()
        self.server = self.start(*self.server_args)
        self.assert_invalid(
            service("clash", "NodePort", [{"port": 80, "nodePort": 31000}]),
            'Service "clash" is invalid: spec.ports[0].nodePort: Invalid value: 31000: '
            "provided port is already allocated")


class BadFlagsTest(ServicesTestCase):
    def setUp(self):
        super(ResourcesTestCase, self).setUp()

    def test_bad_ranges_stop_the_start(self):
        for args, fragment in (
                (("--service-cidr", "10.43.0.1/16"), "host bits set"),
                (("--service-cidr", "bogus"), "invalid CIDR"),
                (("--service-node-port-range", "32000-31000"), "invalid port range"),
                (("--node-ip", "host"), "not an IPv4 address"),
                (("--controllers", "*,-bogus"), 'unknown controller "bogus"')):
            r = tug("server", *loopback(self.tmp), "-c", self.config, "-d", self.data, *args)
            self.assertNotEqual(r.returncode, 0, args)
            lines = error_lines(r)
            self.assertEqual(len(lines), 1, r.stderr)
            self.assertIn(fragment, lines[0])


if __name__ == "__main__":
    unittest.main()
