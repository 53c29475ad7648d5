"""`tug server` serves HTTPS: certificates, the admin kubeconfig, health, version and
authentication, checked with the real kubectl and Python's own TLS client.

Every server here listens on 127.0.0.1 on a free port and writes its kubeconfig to a
temporary directory.
"""

import base64
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import stat
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from test_cli import Server, TUG, clean_env, write

SERVING = re.compile(r"serving HTTPS on 127\.0\.0\.1:(\d+)")
STARTED = re.compile(r"INFO  server: started in \d+ms")
KUBECTL = shutil.which("kubectl")


# The API server alone, as upstream tests its apiserver: no controller or scheduler writes to
# the objects these tests read back exactly.
API_ONLY = ("--disable-controller-manager", "--disable-scheduler")


class ApiServerTestCase(unittest.TestCase):
    # Suites about the API server's own behaviour set this to API_ONLY.
    control_plane_args = ()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tug-apiserver-test-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.config = os.path.join(self.tmp, "config.yaml")
        write(self.config, "")
        self.data = os.path.join(self.tmp, "data")
        self.tls = os.path.join(self.data, "server", "tls")

    def start(self, *args, name="server"):
        server = Server(self.tmp, "-c", self.config, "-d", self.data, *self.control_plane_args,
                        *args, name=name)
        self.addCleanup(server.kill)
        log = server.wait_for(STARTED)
        server.port = int(SERVING.search(log).group(1))
        return server

    def context(self, client_cert=True, **kw):
        ctx = ssl.create_default_context(cafile=os.path.join(self.tls, "server-ca.crt"))
        for key, value in kw.items():
            setattr(ctx, key, value)
        if client_cert:
            ctx.load_cert_chain(os.path.join(self.tls, "client-admin.crt"),
                                os.path.join(self.tls, "client-admin.key"))
        return ctx

    def get(self, server, path, ctx, headers=None):
        """Returns (code, content type, body) without raising on HTTP errors."""
        req = urllib.request.Request("https://127.0.0.1:%d%s" % (server.port, path),
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
                return r.status, r.headers.get("Content-Type"), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type"), e.read().decode()

    def kubectl(self, server, *args):
        return subprocess.run([KUBECTL, "--kubeconfig", server.kubeconfig, *args],
                              capture_output=True, text=True, timeout=30, env=clean_env())


class ServingTest(ApiServerTestCase):
    def test_health_and_version_are_public(self):
        server = self.start()
        anon = self.context(client_cert=False)
        self.assertEqual(self.get(server, "/healthz", anon)[::2], (200, "ok"))
        self.assertEqual(self.get(server, "/livez", anon)[::2], (200, "ok"))
        code, _, body = self.get(server, "/readyz?verbose", anon)
        self.assertEqual(code, 200)
        self.assertIn("[+]ping ok\n", body)
        self.assertIn("[+]datastore ok\n", body)
        self.assertTrue(body.endswith("readyz check passed\n"), body)
        # Only the paths system:public-info-viewer names, as upstream: not the single checks.
        self.assertEqual(self.get(server, "/healthz/datastore", anon)[0], 401)
        self.assertEqual(self.get(server, "/healthz/datastore", self.context())[::2], (200, "ok"))
        code, ctype, body = self.get(server, "/version", anon)
        self.assertEqual(code, 200)
        self.assertEqual(ctype, "application/json")
        version = json.loads(body)
        self.assertEqual((version["major"], version["minor"]), ("1", "31"))
        self.assertRegex(version["gitVersion"], r"^v1\.31\.\d+\+tug")

    def test_anonymous_requests_get_401_status(self):
        server = self.start()
        code, ctype, body = self.get(server, "/api", self.context(client_cert=False))
        self.assertEqual(code, 401)
        self.assertEqual(ctype, "application/json")
        status = json.loads(body)
        self.assertEqual(status["kind"], "Status")
        self.assertEqual(status["reason"], "Unauthorized")
        self.assertEqual(status["code"], 401)
        code, _, body = self.get(server, "/api", self.context(client_cert=False),
                                 {"Authorization": "Bearer not-a-token"})
        self.assertEqual(code, 401)

    def test_admin_certificate_authenticates(self):
        server = self.start()
        # No API resources are served yet: an authenticated request reaches the router.
        code, _, body = self.get(server, "/api/v1/nosuch", self.context())
        self.assertEqual(code, 404)
        self.assertEqual(json.loads(body)["reason"], "NotFound")

    def test_old_tls_and_foreign_certificates_are_refused(self):
        server = self.start()
        old = self.context(client_cert=False, maximum_version=ssl.TLSVersion.TLSv1_1,
                           minimum_version=ssl.TLSVersion.TLSv1)
        with self.assertRaises((ssl.SSLError, urllib.error.URLError, ConnectionError)):
            self.get(server, "/healthz", old)
        # A client certificate from a CA the server does not trust ends the handshake.
        other = os.path.join(self.tmp, "other")
        os.makedirs(other)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj",
                        "/CN=mallory/O=system:masters", "-keyout",
                        os.path.join(other, "k.pem"), "-out", os.path.join(other, "c.pem")],
                       check=True, capture_output=True)
        foreign = self.context(client_cert=False)
        foreign.load_cert_chain(os.path.join(other, "c.pem"), os.path.join(other, "k.pem"))
        with self.assertRaises((ssl.SSLError, urllib.error.URLError, ConnectionError)):
            self.get(server, "/api", foreign)


class KubeconfigTest(ApiServerTestCase):
    def test_kubeconfig_is_private_and_works_with_kubectl(self):
        server = self.start()
        self.assertEqual(stat.S_IMODE(os.stat(server.kubeconfig).st_mode), 0o600)
        for key in ["server-ca.key", "client-ca.key", "serving-kube-apiserver.key",
                    "client-admin.key", "service.key"]:
            self.assertEqual(stat.S_IMODE(os.stat(os.path.join(self.tls, key)).st_mode), 0o600,
                             key)
        if KUBECTL is None:
            self.skipTest("kubectl is not installed")
        r = self.kubectl(server, "version", "-o", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        versions = json.loads(r.stdout)
        self.assertRegex(versions["serverVersion"]["gitVersion"], r"^v1\.31\.")
        r = self.kubectl(server, "config", "view", "--raw", "-o", "json")
        cfg = json.loads(r.stdout)
        self.assertEqual(cfg["clusters"][0]["cluster"]["server"],
                         "https://127.0.0.1:%d" % server.port)
        ca = base64.b64decode(cfg["clusters"][0]["cluster"]["certificate-authority-data"])
        with open(os.path.join(self.tls, "server-ca.crt"), "rb") as f:
            self.assertEqual(ca, f.read())

    def test_tug_kubectl_uses_the_kubeconfig(self):
        if KUBECTL is None:
            self.skipTest("kubectl is not installed")
        server = self.start()
        env = dict(clean_env(), KUBECONFIG=server.kubeconfig)
        r = subprocess.run([TUG, "kubectl", "version", "-o", "json"], capture_output=True,
                           text=True, timeout=30, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(json.loads(r.stdout)["serverVersion"]["gitVersion"], r"^v1\.31\.")
        # No kubectl on PATH: one line and a failure, not a crash.
        env["PATH"] = self.tmp
        r = subprocess.run([TUG, "kubectl", "get", "pods"], capture_output=True, text=True,
                           timeout=30, env=env)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.splitlines(),
                         ["tug: kubectl not found on PATH; install kubectl to use `tug kubectl`"])

    def test_kubeconfig_mode_flag(self):
        server = self.start("--write-kubeconfig-mode", "0644")
        self.assertEqual(stat.S_IMODE(os.stat(server.kubeconfig).st_mode), 0o644)

    def test_bad_kubeconfig_mode_is_one_line(self):
        r = subprocess.run([TUG, "server", "-c", self.config, "-d", self.data,
                            "--https-listen-port", "0", "--bind-address", "127.0.0.1",
                            "--write-kubeconfig", os.path.join(self.tmp, "k.yaml"),
                            "--write-kubeconfig-mode", "rw-r"],
                           capture_output=True, text=True, timeout=30, env=clean_env())
        self.assertEqual(r.returncode, 2, r.stderr)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn("--write-kubeconfig-mode", lines[0])

    def test_restart_keeps_the_certificates(self):
        first = self.start(name="first")
        with open(os.path.join(self.tls, "server-ca.crt"), "rb") as f:
            ca = f.read()
        with open(os.path.join(self.tls, "serving-kube-apiserver.crt"), "rb") as f:
            serving = f.read()
        self.assertEqual(first.stop(), 0, first.output())
        second = self.start(name="second")
        with open(os.path.join(self.tls, "server-ca.crt"), "rb") as f:
            self.assertEqual(f.read(), ca)
        with open(os.path.join(self.tls, "serving-kube-apiserver.crt"), "rb") as f:
            self.assertEqual(f.read(), serving)
        code, _, _ = self.get(second, "/healthz", self.context())
        self.assertEqual(code, 200)


class LoadTest(ApiServerTestCase):
    control_plane_args = API_ONLY

    """Long-lived connections (watches, idle keep-alives) each hold a thread: the server must
    start more rather than make other requests wait."""

    def open_watch(self, server, ctx, path):
        conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=10)
        conn.request("GET", path)
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        return conn, resp

    def test_many_open_watches_do_not_starve_requests(self):
        server = self.start()
        ctx = self.context()
        watches = []
        try:
            for i in range(150):
                watches.append(self.open_watch(
                    server, ctx, "/api/v1/namespaces/default/configmaps?watch=true"))
            started = time.monotonic()
            code, _, body = self.get(server, "/api/v1/namespaces", ctx)
            elapsed = time.monotonic() - started
            self.assertEqual(code, 200, body)
            self.assertLess(elapsed, 2.0)
            code, _, metrics = self.get(server, "/metrics", ctx)
            self.assertEqual(code, 200)
            threads = re.search(r"^tug_apiserver_connection_threads (\d+)$", metrics, re.M)
            self.assertGreaterEqual(int(threads.group(1)), 150)
            open_watches = re.search(
                r'^apiserver_longrunning_requests\{[^}]*resource="configmaps"[^}]*'
                r'verb="WATCH"[^}]*\} (\d+)$', metrics, re.M)
            self.assertIsNotNone(open_watches, metrics)
            self.assertEqual(int(open_watches.group(1)), 150)
        finally:
            for conn, _ in watches:
                conn.close()

    def test_metrics_count_requests_and_need_credentials(self):
        server = self.start()
        ctx = self.context()
        for _ in range(3):
            self.assertEqual(self.get(server, "/api/v1/namespaces/default/pods/none", ctx)[0],
                             404)
        code, ctype, text = self.get(server, "/metrics", ctx)
        self.assertEqual(code, 200)
        self.assertTrue(ctype.startswith("text/plain; version=0.0.4"), ctype)
        self.assertRegex(text, r'apiserver_request_total\{code="404",component="apiserver",'
                               r'group="",resource="pods",scope="resource",subresource="",'
                               r'verb="GET",version="v1"\} 3\n')
        self.assertRegex(text, r"\nprocess_resident_memory_bytes \d+\n")
        self.assertRegex(text, r"\ntug_store_current_revision \d+\n")
        self.assertRegex(text, r"\ntug_store_database_bytes \d+\n")
        self.assertEqual(self.get(server, "/metrics", self.context(client_cert=False))[0], 401)

    def test_legacy_watch_paths(self):
        server = self.start()
        ctx = self.context()
        conn, resp = self.open_watch(server, ctx, "/api/v1/watch/namespaces/default")
        try:
            event = json.loads(resp.readline())
            self.assertEqual(event["type"], "ADDED")
            self.assertEqual(event["object"]["metadata"]["name"], "default")
        finally:
            conn.close()
        code, _, _ = self.get(server, "/api/v1/watch/namespaces/default/pods/x/status", ctx)
        self.assertEqual(code, 404)


class ConnectionTest(ApiServerTestCase):
    control_plane_args = API_ONLY

    """How one TLS connection carries requests: split into small TLS records, several sent
    at once, waiting for 100 Continue, idle between requests."""

    def connect(self, server):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        return self.context().wrap_socket(sock, server_hostname="127.0.0.1")

    @staticmethod
    def read_reply(conn, buffered):
        """Reads one reply after `buffered` bytes already read; returns (status, headers,
        body, what was read past the reply)."""
        data = buffered
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                raise AssertionError("connection closed mid-reply: %r" % data)
            data += chunk
        head, rest = data.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = conn.recv(65536)
            if not chunk:
                raise AssertionError("connection closed mid-body")
            rest += chunk
        return status, headers, rest[:length], rest[length:]

    @staticmethod
    def request(method, path, body=b"", extra=""):
        return ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                "Content-Length: %d\r\n%s\r\n" % (method, path, len(body), extra)).encode() + body

    def configmap(self, name):
        return json.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                           "metadata": {"name": name}, "data": {"k": "v" * 3000}}).encode()

    def test_requests_in_small_records_and_several_at_once(self):
        server = self.start()
        path = "/api/v1/namespaces/default/configmaps"
        with self.connect(server) as conn:
            # One TLS record for every few bytes: the server must gather the request.
            raw = self.request("POST", path, self.configmap("split"))
            for i in range(0, len(raw), 7):
                conn.sendall(raw[i:i + 7])
            status, headers, body, rest = self.read_reply(conn, b"")
            self.assertEqual(status, 201, body)
            self.assertEqual(json.loads(body)["metadata"]["name"], "split")
            self.assertEqual(rest, b"")
            # Three requests in one record: three replies, in order, on the same connection.
            conn.sendall(self.request("POST", path, self.configmap("one")) +
                         self.request("GET", path + "/one") +
                         self.request("GET", path + "/missing"))
            got = []
            for _ in range(3):
                status, headers, body, rest = self.read_reply(conn, rest)
                got.append((status, json.loads(body)))
            self.assertEqual([g[0] for g in got], [201, 200, 404])
            self.assertEqual(got[1][1]["data"]["k"], "v" * 3000)
            self.assertEqual(got[2][1]["reason"], "NotFound")

    def test_expect_continue_waits_for_the_body(self):
        server = self.start()
        body = self.configmap("later")
        with self.connect(server) as conn:
            conn.sendall(self.request("POST", "/api/v1/namespaces/default/configmaps", b"",
                                      "Expect: 100-continue\r\n").replace(
                b"Content-Length: 0", b"Content-Length: %d" % len(body)))
            status, _, _, rest = self.read_reply(conn, b"")
            self.assertEqual(status, 100)
            conn.sendall(body)
            status, _, reply, _ = self.read_reply(conn, rest)
            self.assertEqual(status, 201, reply)

    def test_idle_keep_alive_connections_do_not_hold_up_stopping(self):
        server = self.start()
        conns = []
        try:
            for _ in range(20):
                conn = http.client.HTTPSConnection("127.0.0.1", server.port,
                                                   context=self.context(), timeout=10)
                conn.request("GET", "/api/v1/namespaces/default")
                resp = conn.getresponse()
                resp.read()
                self.assertEqual(resp.status, 200)
                conns.append(conn)
            began = time.monotonic()
            self.assertEqual(server.stop(), 0, server.output())
            self.assertLess(time.monotonic() - began, 3)
        finally:
            for conn in conns:
                conn.close()


if __name__ == "__main__":
    if not TUG or not os.access(TUG, os.X_OK):
        raise SystemExit("TUG_BIN must name the tug executable")
    unittest.main(verbosity=2)
