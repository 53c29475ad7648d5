"""Deployment scale-up benchmark: a real `tug server` and 100 hollow nodes on 127.0.0.1; a
Deployment of 0 replicas is scaled to 1000 and the clock runs until its status reports 1000
available replicas (every pod created by the ReplicaSet controller, placed by the scheduler,
reported Running and Ready by its hollow node, and counted by both controllers).

Prints `BENCH deployment_1000_ready_s <seconds> s` (target <= 10 s).

    meson test -C build --benchmark --suite deployment --verbose
"""

import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

TUG = os.environ["TUG_BIN"]
HOLLOW = os.environ["HOLLOW_NODES"]
REPLICAS = int(os.environ.get("BENCH_REPLICAS", "1000"))
NODES = int(os.environ.get("BENCH_NODES", "100"))


def main():
    tmp = tempfile.mkdtemp(prefix="tug-deployment-bench-")
    procs = []

    def cleanup(*_):
        for p in procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    signal.signal(signal.SIGTERM, lambda *_: (cleanup(), sys.exit(1)))
    try:
        config = os.path.join(tmp, "config.yaml")
        open(config, "w").close()
        kubeconfig = os.path.join(tmp, "kubeconfig")
        log = open(os.path.join(tmp, "server.log"), "w")
        server = subprocess.Popen(
            [TUG, "server", "-c", config, "-d", os.path.join(tmp, "data"),
             "--https-listen-port", "0", "--bind-address", "127.0.0.1",
             "--write-kubeconfig", kubeconfig, *os.environ.get("BENCH_SERVER_ARGS", "").split()],
            stdout=subprocess.DEVNULL, stderr=log)
        procs.append(server)
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline:
            text = open(log.name).read()
            m = re.search(r"serving HTTPS on 127\.0\.0\.1:(\d+)", text)
            if m and "server: started" in text:
                port = int(m.group(1))
            time.sleep(0.05)
        if port is None:
            raise RuntimeError("the server did not start:\n" + open(log.name).read())
        tls = os.path.join(tmp, "data", "server", "tls")
        ctx = ssl.create_default_context(cafile=os.path.join(tls, "server-ca.crt"))
        ctx.load_cert_chain(os.path.join(tls, "client-admin.crt"),
                            os.path.join(tls, "client-admin.key"))

        def call(method, path, body=None, content_type="application/json"):
            data = None if body is None else json.dumps(body).encode()
            req = urllib.request.Request("https://127.0.0.1:%d%s" % (port, path), data=data,
                                         method=method)
            if data is not None:
                req.add_header("Content-Type", content_type)
            with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
                return json.loads(r.read())

        hollow = subprocess.Popen(
            [HOLLOW, "--kubeconfig", kubeconfig, "--nodes", str(NODES), "--prefix", "hollow-"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=open(os.path.join(tmp, "hollow.log"), "w"), text=True)
        procs.append(hollow)
        line = hollow.stdout.readline().strip()
        if line != "ready %d" % NODES:
            raise RuntimeError("hollow_nodes said %r" % line)

        path = "/apis/apps/v1/namespaces/default/deployments"
        call("POST", path, {
            "metadata": {"name": "bench"},
            "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "bench"}},
                     "template": {"metadata": {"labels": {"app": "bench"}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
        time.sleep(1)  # the ReplicaSet of 0 replicas is created first
        start = time.monotonic()
        call("PATCH", path + "/bench", {"spec": {"replicas": REPLICAS}},
             "application/merge-patch+json")
        available = 0
        next_report = 1
        while time.monotonic() - start < 120:
            status = call("GET", path + "/bench").get("status", {})
            available = status.get("availableReplicas", 0)
            if available == REPLICAS and status.get("replicas") == REPLICAS:
                break
            if time.monotonic() - start >= next_report:  # progress, on stderr
                print("%2ds: replicas %d, ready %d, available %d" % (
                    next_report, status.get("replicas", 0), status.get("readyReplicas", 0),
                    available), file=sys.stderr, flush=True)
                next_report += 1
            time.sleep(0.05)
        elapsed = time.monotonic() - start
        if available != REPLICAS:
            raise RuntimeError("only %d of %d available after %.0fs" % (available, REPLICAS,
                                                                       elapsed))
        print("BENCH deployment_%d_ready_s %.2f s" % (REPLICAS, elapsed), flush=True)
        events = call("GET", "/api/v1/namespaces/default/events")["items"]
        print("events written: %d" % len(events), file=sys.stderr)
        with open("/proc/%d/status" % server.pid) as f:
            rss = [l for l in f if l.startswith("VmRSS")][0].split()[1]
        print("server VmRSS after: %d MiB" % (int(rss) // 1024), file=sys.stderr)
    except Exception:
        for name in ("server.log", "hollow.log"):
            path = os.path.join(tmp, name)
            if os.path.exists(path):
                print("--- %s (end)\n%s" % (name, open(path).read()[-3000:]), file=sys.stderr)
        if procs and procs[0].poll() is not None:
            print("tug server exited with %d" % procs[0].returncode, file=sys.stderr)
        raise
    finally:
        cleanup()


if __name__ == "__main__":
    main()
