"""Debian's python3-kubernetes against `tug server`: typed and dynamic clients, errors and
watches, through the admin kubeconfig the server writes.
"""

import os
import shutil
import tempfile
import threading
import unittest

from kubernetes import client, config, dynamic, watch

from test_cli import Server, TUG, write

STARTED = r"INFO  server: started in \d+ms"


class PythonClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tug-python-client-test-")
        write(os.path.join(cls.tmp, "config.yaml"), "")
        cls.server = Server(cls.tmp, "-c", os.path.join(cls.tmp, "config.yaml"), "-d",
                            os.path.join(cls.tmp, "data"))
        try:
            cls.server.wait_for(STARTED)
        except Exception:
            cls.tearDownClass()
            raise
        cls.api = config.new_client_from_config(cls.server.kubeconfig)

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_version(self):
        info = client.VersionApi(self.api).get_code()
        self.assertEqual((info.major, info.minor), ("1", "31"))
        self.assertTrue(info.git_version.startswith("v1.31."))

    def test_typed_client_round_trip(self):
        v1 = client.CoreV1Api(self.api)
        names = [n.metadata.name for n in v1.list_namespace().items]
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"]:
            self.assertIn(ns, names)
        cm = v1.create_namespaced_config_map(
            "default", {"metadata": {"name": "typed", "labels": {"app": "x"}}, "data": {"k": "v"}})
        self.assertTrue(cm.metadata.uid)
        got = v1.read_namespaced_config_map("typed", "default")
        self.assertEqual(got.data, {"k": "v"})
        self.assertEqual(got.metadata.resource_version, cm.metadata.resource_version)
        got.data = {"k": "w"}
        updated = v1.replace_namespaced_config_map("typed", "default", got)
        self.assertGreater(int(updated.metadata.resource_version), int(cm.metadata.resource_version))
        listed = v1.list_namespaced_config_map("default", label_selector="app=x")
        self.assertEqual([c.metadata.name for c in listed.items], ["typed"])
        v1.delete_namespaced_config_map("typed", "default")
        with self.assertRaises(client.ApiException) as e:
            v1.read_namespaced_config_map("typed", "default")
        self.assertEqual(e.exception.status, 404)

    def test_conflict_is_409(self):
        v1 = client.CoreV1Api(self.api)
        cm = v1.create_namespaced_config_map("default", {"metadata": {"name": "stale"}})
        v1.replace_namespaced_config_map("stale", "default", {
            "metadata": {"name": "stale", "resourceVersion": cm.metadata.resource_version},
            "data": {"a": "1"}})
        with self.assertRaises(client.ApiException) as e:
            v1.replace_namespaced_config_map("stale", "default", {
                "metadata": {"name": "stale", "resourceVersion": cm.metadata.resource_version},
                "data": {"a": "2"}})
        self.assertEqual(e.exception.status, 409)

    def test_dynamic_client_discovers_resources(self):
        dc = dynamic.DynamicClient(self.api)
        deployments = dc.resources.get(api_version="apps/v1", kind="Deployment")
        self.assertTrue(deployments.namespaced)
        self.assertEqual(deployments.get(namespace="default").items, [])
        nodes = dc.resources.get(api_version="v1", kind="Node")
        self.assertFalse(nodes.namespaced)

    def test_watch_sees_a_new_object(self):
        v1 = client.CoreV1Api(self.api)
        seen = []

        def run():
            w = watch.Watch()
            for event in w.stream(v1.list_namespaced_config_map, "default", timeout_seconds=10):
                seen.append((event["type"], event["object"].metadata.name))
                if event["object"].metadata.name == "watched":
                    w.stop()

        t = threading.Thread(target=run)
        t.start()
        v1.create_namespaced_config_map("default", {"metadata": {"name": "watched"}})
        t.join(timeout=15)
        self.assertFalse(t.is_alive())
        self.assertIn(("ADDED", "watched"), seen)


if __name__ == "__main__":
    if not TUG or not os.access(TUG, os.X_OK):
        raise SystemExit("TUG_BIN must name the tug executable")
    unittest.main(verbosity=2)
