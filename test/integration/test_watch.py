"""Watch on built-in collections: initial events, streaming, resume, 410 for compacted
revisions, selectors, timeouts, the real `kubectl get -w`, and shutdown with open watches.

Every server here listens on 127.0.0.1 on a free port and writes its kubeconfig to a
temporary directory.
"""

import json
import os
import signal
import socket
import subprocess
import threading
import time
import unittest
import urllib.request

from test_cli import clean_env
from test_resources import KUBECTL, ResourcesTestCase

CMS = "/api/v1/namespaces/default/configmaps"


class Watch:
    """A raw HTTPS watch read line by line; a reader thread keeps reads from blocking a test."""

    def __init__(self, case, path, timeout=10, headers=None):
        req = urllib.request.Request("https://127.0.0.1:%d%s" % (case.server.port, path),
                                     headers=headers or {})
        self.resp = urllib.request.urlopen(req, context=case.ctx, timeout=timeout)
        self.lines = []
        self.ended = threading.Event()
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for line in self.resp:
                with self.cond:
                    self.lines.append(json.loads(line))
                    self.cond.notify_all()
        except Exception:  # a closed or timed-out response ends the reading
            pass
        self.ended.set()
        with self.cond:
            self.cond.notify_all()

    def take(self, n, timeout=10):
        """The next `n` events, in order; fails if they do not arrive in time."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.lines) < n:
                left = deadline - time.monotonic()
                if left <= 0 or self.ended.is_set():
                    raise AssertionError("expected %d events, got %r" % (n, self.lines))
                self.cond.wait(left)
            out, self.lines = self.lines[:n], self.lines[n:]
            return out

    def close(self):
        # Shutting the socket down first ends a read in progress; closing alone would wait for
        # the reader thread to time out.
        try:
            self.resp.fp.raw._sock.shutdown(socket.SHUT_RDWR)
        except (AttributeError, OSError):
            pass
        self.resp.close()


def summary(events):
    return [(e["type"], e["object"]["metadata"].get("name")) for e in events]


class WatchTestCase(ResourcesTestCase):
    def watch(self, query, path=CMS, timeout=10, headers=None):
        w = Watch(self, path + "?watch=true&" + query, timeout, headers)
        self.addCleanup(w.close)
        return w


class StreamTest(WatchTestCase):
    def test_initial_events_then_changes_in_order(self):
        a = self.create_cm("a")
        self.create_cm("other", ns="kube-public")
        w = self.watch("")
        self.assertEqual(w.resp.headers.get("Content-Type"), "application/json")
        self.assertEqual(w.resp.headers.get("Transfer-Encoding"), "chunked")
        [added] = w.take(1)
        self.assertEqual(added, {"type": "ADDED", "object": a})

        b = self.create_cm("b")
        a["data"] = {"k": "w"}
        code, a2 = self.call("PUT", CMS + "/a", a)
        self.assertEqual(code, 200, a2)
        code, gone = self.call("DELETE", CMS + "/b")
        self.assertEqual(code, 200, gone)
        events = w.take(3)
        self.assertEqual(summary(events), [("ADDED", "b"), ("MODIFIED", "a"), ("DELETED", "b")])
        self.assertEqual(events[0]["object"], b)
        self.assertEqual(events[1]["object"], a2)
        self.assertEqual(events[2]["object"]["data"], b["data"])
        rvs = [int(e["object"]["metadata"]["resourceVersion"]) for e in events]
        self.assertEqual(rvs, sorted(set(rvs)))
        self.assertGreater(rvs[0], int(a["metadata"]["resourceVersion"]))

        # Every namespace, and a cluster-scoped resource.
        everywhere = self.watch("resourceVersion=0", path="/api/v1/configmaps")
        self.assertEqual(sorted(summary(everywhere.take(2))), [("ADDED", "a"), ("ADDED", "other")])
        namespaces = self.watch("", path="/api/v1/namespaces")
        self.assertEqual(len(namespaces.take(4)), 4)

    def test_resume_from_resource_version_without_gaps(self):
        start = self.create_cm("a")["metadata"]["resourceVersion"]
        self.create_cm("b")
        self.call("DELETE", CMS + "/a")
        self.create_cm("c")
        w = self.watch("resourceVersion=" + start)
        self.assertEqual(summary(w.take(3)), [("ADDED", "b"), ("DELETED", "a"), ("ADDED", "c")])
        self.create_cm("d")
        self.assertEqual(summary(w.take(1)), [("ADDED", "d")])

    def test_events_are_not_held_back_by_compression(self):
        # Go clients always accept gzip; a compressed stream would sit in the compressor.
        w = self.watch("resourceVersion=0", headers={"Accept-Encoding": "gzip"})
        self.assertIsNone(w.resp.headers.get("Content-Encoding"))
        self.create_cm("a")
        self.assertEqual(summary(w.take(1, timeout=3)), [("ADDED", "a")])

    def test_timeout_seconds_ends_the_stream(self):
        self.create_cm("a")
        began = time.monotonic()
        w = self.watch("timeoutSeconds=1")
        w.take(1)
        self.assertTrue(w.ended.wait(5), "the watch did not end")
        self.assertLess(time.monotonic() - began, 4)

    def test_label_selector_transitions(self):
        self.create_cm("in", labels={"app": "web"})
        self.create_cm("out", labels={"app": "db"})
        w = self.watch("labelSelector=app%3Dweb")
        self.assertEqual(summary(w.take(1)), [("ADDED", "in")])
        code, out = self.call("GET", CMS + "/out")
        out["metadata"]["labels"]["app"] = "web"
        code, out = self.call("PUT", CMS + "/out", out)
        self.assertEqual(code, 200, out)
        [started] = w.take(1)
        self.assertEqual(started, {"type": "ADDED", "object": out})
        out["metadata"]["labels"]["app"] = "db"
        code, left = self.call("PUT", CMS + "/out", out)
        self.assertEqual(code, 200, left)
        [stopped] = w.take(1)
        self.assertEqual(stopped["type"], "DELETED")
        self.assertEqual(stopped["object"]["metadata"]["labels"], {"app": "web"})
        self.assertEqual(stopped["object"]["metadata"]["resourceVersion"],
                         left["metadata"]["resourceVersion"])
        self.create_cm("never", labels={"app": "db"})
        self.call("DELETE", CMS + "/in")
        self.assertEqual(summary(w.take(1)), [("DELETED", "in")])

        byname = self.watch("fieldSelector=metadata.name%3Dnever")
        self.assertEqual(summary(byname.take(1)), [("ADDED", "never")])

    def test_send_initial_events_ends_with_a_bookmark(self):
        self.create_cm("a")
        w = self.watch("sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
                       "&allowWatchBookmarks=true&resourceVersion=")
        added, mark = w.take(2)
        self.assertEqual(added["type"], "ADDED")
        self.assertEqual(mark["type"], "BOOKMARK")
        self.assertEqual(mark["object"]["kind"], "ConfigMap")
        self.assertEqual(mark["object"]["metadata"]["annotations"],
                         {"k8s.io/initial-events-end": "true"})
        self.assertGreaterEqual(int(mark["object"]["metadata"]["resourceVersion"]),
                                int(added["object"]["metadata"]["resourceVersion"]))
        code, body = self.call("GET", CMS + "?watch=true&sendInitialEvents=true")
        self.assertEqual((code, body["reason"]), (422, "Invalid"))

    def test_bad_parameters_and_verbs(self):
        code, body = self.call("GET", CMS + "?watch=true&timeoutSeconds=x")
        self.assertEqual((code, body["reason"]), (400, "BadRequest"))
        code, body = self.call("GET", CMS + "?watch=1&labelSelector=a%20in")
        self.assertEqual((code, body["reason"]), (400, "BadRequest"))
        code, body = self.call("GET", "/api/v1/componentstatuses?watch=true")
        self.assertEqual((code, body["reason"]), (405, "MethodNotAllowed"))

    def test_sigterm_with_an_open_watch_exits_promptly(self):
        w = self.watch("")
        w.take(0)
        began = time.monotonic()
        self.assertEqual(self.server.stop(signal.SIGTERM), 0, self.server.output())
        self.assertLess(time.monotonic() - began, 5)


class CompactedTest(WatchTestCase):
    server_args = ("--datastore-retain-revisions", "1", "--datastore-retention", "0s")

    def test_compacted_resource_version_is_an_error_event(self):
        rv = self.create_cm("a")["metadata"]["resourceVersion"]
        deadline = time.monotonic() + 10
        while True:
            self.create_cm("n%f" % time.monotonic())
            w = Watch(self, CMS + "?watch=true&resourceVersion=" + rv)
            self.addCleanup(w.close)
            [event] = w.take(1)
            if event["type"] == "ERROR" or time.monotonic() > deadline:
                break
            w.close()
            time.sleep(0.2)
        self.assertEqual(event["type"], "ERROR")
        status = event["object"]
        self.assertEqual((status["kind"], status["code"], status["reason"]),
                         ("Status", 410, "Expired"))
        self.assertTrue(status["message"].startswith("too old resource version: %s (" % rv),
                        status["message"])
        self.assertTrue(w.ended.wait(5), "the stream did not end after the error")


class KubectlWatchTest(WatchTestCase):
    def test_kubectl_get_watch_sees_new_configmaps(self):
        self.require_kubectl()
        self.create_cm("before")
        proc = subprocess.Popen([KUBECTL, "--kubeconfig", self.server.kubeconfig, "--cache-dir",
                                 os.path.join(self.tmp, "kube-cache"), "--request-timeout",
                                 "30s", "get", "configmaps", "-w", "-o", "name"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=clean_env())

        def stop():
            if proc.poll() is None:
                proc.kill()
            proc.communicate()
        self.addCleanup(stop)
        lines = []
        reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")),
                                  daemon=True)
        reader.start()

        def wait_for(line):
            deadline = time.monotonic() + 20
            while line not in lines and time.monotonic() < deadline:
                if proc.poll() is not None:
                    break
                time.sleep(0.05)
            self.assertIn(line, lines, proc.stderr.read() if proc.poll() is not None else "")
        wait_for("configmap/before\n")
        # The list is done; give kubectl a moment to open its watch, then write.
        time.sleep(0.5)
        self.create_cm("after")
        wait_for("configmap/after\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)
