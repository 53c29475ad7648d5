"""kubectl smoke tests: the everyday commands of several kubectl releases, and the waiting,
editing and watching commands of the default kubectl, against one real `tug server`.

The server listens on 127.0.0.1 on a free port, keeps its data and kubeconfig in a temporary
directory, and is killed (and the directory removed) when the module ends, even after a
failure. Every kubectl runs with a fresh discovery cache, a private HOME and TMPDIR, and a
timeout. Each test works in its own namespace, so no test sees another's objects.
"""

import base64
import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import threading
import time
import unittest

import yaml

from test_apiserver import SERVING, STARTED
from test_cli import Server, TUG, clean_env, write

KUBECTL_DIR = "/usr/lib/google-cloud-sdk/bin"
KUBECTL = shutil.which("kubectl")
# The releases the smoke set runs with: the oldest supported, two others, and the default.
SMOKE_KUBECTLS = [("1.27", os.path.join(KUBECTL_DIR, "kubectl.1.27")),
                  ("1.29", os.path.join(KUBECTL_DIR, "kubectl.1.29")),
                  ("1.33", os.path.join(KUBECTL_DIR, "kubectl.1.33")),
                  ("default", KUBECTL)]
KUBECTL_TIMEOUT = 60  # seconds for any one kubectl run
AGE = r"^\d+(s|m(\d+s)?)$"
TIMED_OUT = re.compile(r"^error: timed out waiting for the condition on (\S+)$", re.M)

# Set up once for the module by setUpModule.
SERVER = None
TMP = None


def setUpModule():
    global SERVER, TMP
    TMP = tempfile.mkdtemp(prefix="tug-kubectl-smoke-")
    unittest.addModuleCleanup(shutil.rmtree, TMP, ignore_errors=True)
    config = os.path.join(TMP, "config.yaml")
    write(config, "")
    # The deployments and pods here are read back as written: no scheduler or workload
    # controller acts on them (the namespace controller does: namespaces are deleted here).
    SERVER = Server(TMP, "-c", config, "-d", os.path.join(TMP, "data"), "--disable-scheduler",
                    "--controllers",
                    "*,-deployment,-replicaset,-statefulset,-daemonset,-job,-cronjob")
    unittest.addModuleCleanup(SERVER.kill)  # runs before the rmtree
    log = SERVER.wait_for(STARTED)
    SERVER.port = int(SERVING.search(log).group(1))


def kubectl_env(binary, extra=None):
    env = clean_env()
    for name in ("KUBECONFIG", "KUBE_EDITOR", "EDITOR", "KUBECTL_EXTERNAL_DIFF"):
        env.pop(name, None)
    home = os.path.join(TMP, "home")
    os.makedirs(home, exist_ok=True)
    env["HOME"] = home
    env["TMPDIR"] = home
    env.update(extra or {})
    return env


def kubectl_argv(binary, args):
    # One discovery cache per binary: kubectl keeps discovery for hours, and releases differ.
    cache = os.path.join(TMP, "cache-" + os.path.basename(binary))
    return [binary, "--kubeconfig", SERVER.kubeconfig, "--cache-dir", cache, *args]


def cells(line):
    """The cells of one line of kubectl's table output: runs of two or more spaces separate
    them (so an empty cell is not seen)."""
    return re.split(r" {2,}", line.strip())


def tables(text):
    """kubectl prints one table per kind, separated by blank lines: a list of tables, each a
    list of rows of cells, the header first."""
    return [[cells(l) for l in block.splitlines()]
            for block in text.strip("\n").split("\n\n")]


class Background:
    """A kubectl that runs while the test does other things; its output is read as it comes."""

    def __init__(self, test, argv, env):
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env)
        self.out, self.err = [], []
        self.readers = [threading.Thread(target=self._read, args=(stream, into), daemon=True)
                        for stream, into in ((self.proc.stdout, self.out),
                                             (self.proc.stderr, self.err))]
        for reader in self.readers:
            reader.start()
        test.addCleanup(self.stop)

    @staticmethod
    def _read(stream, into):
        for line in iter(stream.readline, ""):
            into.append(line)

    def wait_for(self, lines, pattern, timeout=30):
        """Waits until one of `lines` (self.out or self.err) matches; fails if it ends first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(re.search(pattern, l) for l in list(lines)):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        for reader in self.readers:
            reader.join(1)
        raise AssertionError("kubectl did not print %r (exit %s)\nstdout:\n%s\nstderr:\n%s"
                             % (pattern, self.proc.poll(), "".join(self.out),
                                "".join(self.err)))

    def finish(self, timeout=KUBECTL_TIMEOUT):
        """Waits for the exit: (exit code, stdout, stderr)."""
        code = self.proc.wait(timeout=timeout)
        for reader in self.readers:
            reader.join(5)
        return code, "".join(self.out), "".join(self.err)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for reader in self.readers:
            reader.join(5)
        self.proc.stdout.close()
        self.proc.stderr.close()


class KubectlTestCase(unittest.TestCase):
    binary = KUBECTL

    def setUp(self):
        if not self.binary or not os.access(self.binary, os.X_OK):
            self.skipTest("kubectl %s is not installed" % self.binary)

    def kubectl(self, *args, binary=None, env=None, input=None, timeout=KUBECTL_TIMEOUT):
        binary = binary or self.binary
        return subprocess.run(kubectl_argv(binary, args), capture_output=True, text=True,
                              input=input, timeout=timeout, env=kubectl_env(binary, env))

    def run_ok(self, *args, **kw):
        """Runs kubectl, which must succeed without a word on stderr; returns stdout."""
        r = self.kubectl(*args, **kw)
        self.assertEqual(r.returncode, 0, "kubectl %s:\n%s" % (" ".join(args), r.stderr))
        self.assertEqual(r.stderr, "", "kubectl %s" % " ".join(args))
        return r.stdout

    def get_json(self, *args, **kw):
        return json.loads(self.run_ok("get", *args, "-o", "json", **kw))

    def background(self, *args, binary=None, env=None):
        binary = binary or self.binary
        return Background(self, kubectl_argv(binary, args), kubectl_env(binary, env))

    def namespace(self, name):
        self.assertEqual(self.run_ok("create", "namespace", name), "namespace/%s created\n" % name)
        return name

    def manifest(self, name, text):
        path = os.path.join(TMP, name)
        write(path, text)
        return path

    def script(self, name, text):
        path = self.manifest(name, "#!/bin/sh\n" + text)
        os.chmod(path, stat.S_IRWXU)
        return path


# ---------------------------------------------------------------------------------------
# The smoke set, once per kubectl release.

SMOKE_MANIFEST = """\
apiVersion: v1
kind: Namespace
metadata:
  name: {ns}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: {ns}
  labels:
    app: web
data:
  mode: fast
  level: "3"
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: {ns}
type: Opaque
data:
  password: aHVudGVyMg==
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: {ns}
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: {ns}
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
"""

SMOKE_OBJECTS = ["namespace/{ns}", "configmap/settings", "secret/creds", "deployment.apps/web",
                 "service/web"]
SMOKE_DELETED = ['namespace "{ns}"', 'configmap "settings"', 'secret "creds"',
                 'deployment.apps "web"', 'service "web"']


class KubectlReleaseSmokeTest(KubectlTestCase):
    """create, apply twice, get in every output format, diff, explain and delete, with each
    kubectl release; one method per release is generated below."""

    def smoke(self, binary, ns):
        def k(*args):
            return self.kubectl(*args, binary=binary)

        def ok(*args):
            return self.run_ok(*args, binary=binary)

        def lines(template, verb):
            return ["%s %s" % (o.format(ns=ns), verb) for o in template]

        path = self.manifest(ns + ".yaml", SMOKE_MANIFEST.format(ns=ns))
        self.assertEqual(ok("create", "-f", path).splitlines(), lines(SMOKE_OBJECTS, "created"))

        # Created without --save-config: the first apply adds the last-applied annotation
        # (and says so, once per object); the second finds nothing to do.
        r = k("apply", "-f", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), lines(SMOKE_OBJECTS, "configured"))
        self.assertEqual(r.stderr.count("is missing the kubectl.kubernetes.io/"
                                        "last-applied-configuration annotation"), 5, r.stderr)
        self.assertEqual(ok("apply", "-f", path).splitlines(), lines(SMOKE_OBJECTS, "unchanged"))

        # Default table output: one table per kind, in the file's order.
        got = tables(ok("get", "-f", path))
        self.assertEqual([t[0] for t in got], [
            ["NAME", "STATUS", "AGE"],
            ["NAME", "DATA", "AGE"],
            ["NAME", "TYPE", "DATA", "AGE"],
            ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]])
        self.assertEqual([len(t) for t in got], [2] * 5, got)
        namespace, configmap, secret, deployment, service = (t[1] for t in got)
        self.assertEqual(namespace[:2], ["namespace/" + ns, "Active"])
        self.assertEqual(configmap[:2], ["configmap/settings", "2"])
        self.assertEqual(secret[:3], ["secret/creds", "Opaque", "1"])
        self.assertEqual(deployment[:4], ["deployment.apps/web", "0/2", "0", "0"])
        self.assertEqual(service[:2], ["service/web", "ClusterIP"])
        self.assertEqual(service[4], "80/TCP")
        for row in (namespace, configmap, secret, deployment, service):
            self.assertRegex(row[-1], AGE)

        wide = tables(ok("get", "deployment/web", "service/web", "-n", ns, "-o", "wide"))
        self.assertEqual(wide[0][0], ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE",
                                      "CONTAINERS", "IMAGES", "SELECTOR"])
        self.assertEqual(wide[0][1][5:], ["web", "nginx:1.25", "app=web"])
        self.assertEqual(wide[1][0][-1], "SELECTOR")
        self.assertEqual(wide[1][1][-1], "app=web")

        # JSON and YAML show the same object, with the server's defaults filled in.
        as_json = json.loads(ok("get", "deployment", "web", "-n", ns, "-o", "json"))
        self.assertEqual(yaml.safe_load(ok("get", "deployment", "web", "-n", ns, "-o", "yaml")),
                         as_json)
        self.assertEqual((as_json["apiVersion"], as_json["kind"]), ("apps/v1", "Deployment"))
        self.assertEqual(as_json["metadata"]["namespace"], ns)
        self.assertIn("kubectl.kubernetes.io/last-applied-configuration",
                      as_json["metadata"]["annotations"])
        self.assertEqual(as_json["spec"]["replicas"], 2)
        self.assertEqual(as_json["spec"]["strategy"]["type"], "RollingUpdate")
        container = as_json["spec"]["template"]["spec"]["containers"][0]
        self.assertEqual(container["imagePullPolicy"], "IfNotPresent")
        self.assertEqual(container["ports"], [{"containerPort": 80, "protocol": "TCP"}])

        listed = json.loads(ok("get", "configmap,secret", "-n", ns, "-o", "json"))
        self.assertEqual(listed["kind"], "List")
        self.assertEqual([(i["kind"], i["metadata"]["name"]) for i in listed["items"]],
                         [("ConfigMap", "settings"), ("Secret", "creds")])
        self.assertEqual(listed["items"][0]["data"], {"mode": "fast", "level": "3"})
        self.assertEqual(listed["items"][1]["data"], {"password": "aHVudGVyMg=="})

        self.assertEqual(ok("get", "deployment", "web", "-n", ns, "-o",
                            "jsonpath={.spec.replicas}/{.spec.template.spec.containers[0].image}"
                            "/{.metadata.labels.app}"), "2/nginx:1.25/web")
        self.assertEqual(base64.b64decode(ok("get", "secret", "creds", "-n", ns, "-o",
                                             "jsonpath={.data.password}")), b"hunter2")
        self.assertEqual(ok("get", "configmaps,secrets,services,deployments", "-n", ns, "-o",
                            'jsonpath={range .items[*]}{.kind}/{.metadata.name} {end}'),
                         "ConfigMap/settings Secret/creds Service/web Deployment/web ")

        r = k("diff", "-f", path)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))
        changed = self.manifest(ns + "-changed.yaml",
                                SMOKE_MANIFEST.format(ns=ns).replace("replicas: 2", "replicas: 3"))
        r = k("diff", "-f", changed)
        self.assertEqual((r.returncode, r.stderr), (1, ""))
        diff = r.stdout.splitlines()
        self.assertIn("-  replicas: 2", diff)
        self.assertIn("+  replicas: 3", diff)
        self.assertEqual(len([l for l in diff if l.startswith("+++ ")]), 1, r.stdout)
        self.assertEqual(ok("get", "deployment", "web", "-n", ns, "-o",
                            "jsonpath={.spec.replicas}"), "2")

        explained = ok("explain", "deployment.spec.template.spec.containers")
        for line in ["GROUP:      apps", "KIND:       Deployment", "VERSION:    v1",
                     "FIELD: containers <[]Container>", "  image\t<string>",
                     "  name\t<string> -required-", "  ports\t<[]ContainerPort>",
                     "  env\t<[]EnvVar>", "  livenessProbe\t<Probe>"]:
            self.assertIn(line, explained.splitlines())

        self.assertEqual(ok("delete", "-f", path).splitlines(), lines(SMOKE_DELETED, "deleted"))
        r = k("get", "-f", path)
        self.assertEqual((r.returncode, r.stdout), (1, ""), r.stderr)
        errors = r.stderr.splitlines()
        self.assertEqual(len(errors), 5, r.stderr)
        for line in errors:
            self.assertTrue(line.startswith("Error from server (NotFound): "), line)
        self.assertEqual(ok("get", "configmaps,secrets,services,deployments", "-A", "-o",
                            'jsonpath={range .items[?(@.metadata.namespace=="%s")]}'
                            '{.metadata.name} {end}' % ns), "")


def _smoke_test(label, binary):
    def test(self):
        if not binary or not os.access(binary, os.X_OK):
            self.skipTest("kubectl %s is not installed" % label)
        self.smoke(binary, "smoke-" + label.replace(".", "-"))
    test.__doc__ = "The smoke set with kubectl %s (%s)." % (label, binary)
    return test


for _label, _binary in SMOKE_KUBECTLS:
    setattr(KubectlReleaseSmokeTest, "test_kubectl_" + _label.replace(".", "_"),
            _smoke_test(_label, _binary))


# ---------------------------------------------------------------------------------------
# Scenarios with the default kubectl.

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app: {name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
      - name: web
        image: nginx:1.25
"""

HELD_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: {ns}
  finalizers:
  - example.com/hold
spec:
  containers:
  - name: c
    image: busybox
"""

# Verbose kubectl logs each response; this one means its watch is open.
WATCH_OPEN = r"round_trippers\.go:\d+\] GET https://\S+[?&]watch=true\S* 200 OK"


class KubectlWaitTest(KubectlTestCase):
    def test_wait_for_delete_returns_when_the_finalizer_goes(self):
        ns = self.namespace("wait-delete")
        for name in ("held", "stuck"):
            self.run_ok("create", "-f", "-", input=HELD_POD.format(name=name, ns=ns))
            self.assertEqual(self.run_ok("delete", "pod", name, "-n", ns, "--wait=false"),
                             'pod "%s" deleted\n' % name)
            meta = self.get_json("pod", name, "-n", ns)["metadata"]
            self.assertIn("deletionTimestamp", meta)
            self.assertEqual(meta["finalizers"], ["example.com/hold"])

        waiting = self.background("wait", "--for=delete", "pod/held", "-n", ns, "--timeout=60s",
                                  "-v=6")
        waiting.wait_for(waiting.err, WATCH_OPEN)
        self.assertIsNone(waiting.proc.poll(), "kubectl wait ended while the pod was held")
        self.assertEqual(self.run_ok("patch", "pod", "held", "-n", ns, "--type=json", "-p",
                                     '[{"op":"remove","path":"/metadata/finalizers"}]'),
                         "pod/held patched\n")
        code, out, err = waiting.finish()
        self.assertEqual((code, out), (0, "pod/held condition met\n"), err)
        r = self.kubectl("get", "pod", "held", "-n", ns)
        self.assertEqual(r.returncode, 1)
        self.assertIn('Error from server (NotFound): pods "held" not found', r.stderr)

        # The other pod stays held: the wait runs out.
        started = time.monotonic()
        r = self.kubectl("wait", "--for=delete", "pod/stuck", "-n", ns, "--timeout=2s")
        self.assertGreaterEqual(time.monotonic() - started, 2)
        self.assertEqual((r.returncode, r.stdout), (1, ""), r.stderr)
        self.assertEqual(TIMED_OUT.findall(r.stderr), ["pods/stuck"], r.stderr)
        self.assertEqual(self.get_json("pod", "stuck", "-n", ns)["metadata"]["finalizers"],
                         ["example.com/hold"])

    def test_wait_for_jsonpath_sees_a_patch_from_another_process(self):
        ns = self.namespace("wait-jsonpath")
        self.run_ok("create", "configmap", "x", "-n", ns, "--from-literal=k=old")
        waiting = self.background("wait", "--for=jsonpath={.data.k}=v", "configmap/x", "-n", ns,
                                  "--timeout=60s", "-v=6")
        waiting.wait_for(waiting.err, WATCH_OPEN)
        self.run_ok("patch", "configmap", "x", "-n", ns, "--type=merge", "-p",
                    '{"data":{"k":"almost"}}')
        time.sleep(0.3)
        self.assertIsNone(waiting.proc.poll(), "kubectl wait ended before the value was v")
        self.run_ok("patch", "configmap", "x", "-n", ns, "--type=merge", "-p",
                    '{"data":{"k":"v"}}')
        code, out, err = waiting.finish()
        self.assertEqual((code, out), (0, "configmap/x condition met\n"), err)

        r = self.kubectl("wait", "--for=jsonpath={.data.k}=other", "configmap/x", "-n", ns,
                         "--timeout=1s")
        self.assertEqual((r.returncode, r.stdout), (1, ""), r.stderr)
        self.assertEqual(TIMED_OUT.findall(r.stderr), ["configmaps/x"], r.stderr)

    def test_wait_for_condition_set_through_the_status_subresource(self):
        ns = self.namespace("wait-condition")
        self.run_ok("create", "-f", "-", input=DEPLOYMENT.format(name="cond", ns=ns))
        waiting = self.background("wait", "--for=condition=Available", "deployment/cond",
                                  "-n", ns, "--timeout=60s", "-v=6")
        waiting.wait_for(waiting.err, WATCH_OPEN)
        self.assertIsNone(waiting.proc.poll(), "kubectl wait ended before the condition")
        available = {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
                     "message": "Deployment has minimum availability.",
                     "lastTransitionTime": "2024-01-01T00:00:00Z",
                     "lastUpdateTime": "2024-01-01T00:00:00Z"}
        self.assertEqual(self.run_ok("patch", "deployment", "cond", "-n", ns,
                                     "--subresource=status", "--type=merge", "-p",
                                     json.dumps({"status": {"conditions": [available]}})),
                         "deployment.apps/cond patched\n")
        code, out, err = waiting.finish()
        self.assertEqual((code, out), (0, "deployment.apps/cond condition met\n"), err)

        # A strategic merge (kubectl's default) merges conditions by type.
        self.run_ok("patch", "deployment", "cond", "-n", ns, "--subresource=status", "-p",
                    '{"status":{"conditions":[{"type":"Progressing","status":"True",'
                    '"reason":"NewReplicaSetAvailable"}]}}')
        d = self.get_json("deployment", "cond", "-n", ns)
        self.assertEqual(sorted((c["type"], c["status"]) for c in d["status"]["conditions"]),
                         [("Available", "True"), ("Progressing", "True")])
        self.assertEqual(d["metadata"]["generation"], 1)  # status is not spec
        self.assertEqual(self.run_ok("wait", "--for=condition=Progressing", "deployment/cond",
                                     "-n", ns, "--timeout=10s"),
                         "deployment.apps/cond condition met\n")
        r = self.kubectl("wait", "--for=condition=Available=False", "deployment/cond", "-n", ns,
                         "--timeout=1s")
        self.assertEqual((r.returncode, r.stdout), (1, ""), r.stderr)
        self.assertEqual(TIMED_OUT.findall(r.stderr), ["deployments/cond"], r.stderr)

    def test_wait_for_create(self):
        ns = self.namespace("wait-create")
        waiting = self.background("wait", "--for=create", "configmap/late", "-n", ns,
                                  "--timeout=60s", "-v=6")
        # It polls: once it has been told the object is not there, create it.
        waiting.wait_for(waiting.err, r"GET https://\S+/configmaps/late 404 Not Found")
        self.run_ok("create", "configmap", "late", "-n", ns)
        code, out, err = waiting.finish()
        self.assertEqual((code, out), (0, "configmap/late condition met\n"), err)


class KubectlEditTest(KubectlTestCase):
    def test_edit_changes_a_field(self):
        ns = self.namespace("edit-ok")
        self.run_ok("create", "-f", "-", input=DEPLOYMENT.format(name="ed", ns=ns))
        editor = self.script("edit-image.sh",
                             "sed -i 's/image: nginx:1.25$/image: nginx:1.26/' \"$1\"\n")
        out = self.run_ok("edit", "deployment/ed", "-n", ns, env={"KUBE_EDITOR": editor})
        self.assertEqual(out, "deployment.apps/ed edited\n")
        self.assertEqual(self.run_ok("get", "deployment", "ed", "-n", ns, "-o",
                                     "jsonpath={.spec.template.spec.containers[0].image} "
                                     "{.metadata.generation}"), "nginx:1.26 2")

    def test_edit_to_an_invalid_object_fails_and_says_why(self):
        ns = self.namespace("edit-bad")
        self.run_ok("create", "-f", "-", input=DEPLOYMENT.format(name="ed", ns=ns))
        before = self.get_json("deployment", "ed", "-n", ns)
        # The editor keeps a copy of every file it is given, then breaks spec.replicas.
        log = os.path.join(TMP, "edit-log")
        os.makedirs(log)
        editor = self.script("edit-replicas.sh",
                             'cp "$1" "$EDIT_LOG/$(ls "$EDIT_LOG" | wc -l).yaml"\n'
                             "sed -i 's/^  replicas: 1$/  replicas: -5/' \"$1\"\n")
        r = self.kubectl("edit", "deployment/ed", "-n", ns,
                         env={"KUBE_EDITOR": editor, "EDIT_LOG": log})
        self.assertEqual((r.returncode, r.stdout), (1, ""), r.stderr)
        self.assertIn('error: deployments.apps "ed" is invalid', r.stderr)
        self.assertIn("error: Edit cancelled, no valid changes were saved.", r.stderr)
        copy = re.search(r'A copy of your changes has been stored to "([^"]+)"', r.stderr)
        self.assertIsNotNone(copy, r.stderr)
        with open(copy.group(1)) as f:
            self.assertIn("  replicas: -5\n", f.read())
        # kubectl reopened the editor with the server's reasons on top.
        self.assertEqual(sorted(os.listdir(log)), ["0.yaml", "1.yaml"])
        with open(os.path.join(log, "1.yaml")) as f:
            reopened = f.read()
        self.assertIn('# deployments.apps "ed" was not valid:\n'
                      "# * spec.replicas: Invalid value: -5: must be greater than or equal to 0\n",
                      reopened)
        self.assertEqual(self.get_json("deployment", "ed", "-n", ns), before)


class KubectlWatchEventsTest(KubectlTestCase):
    def test_get_watch_prints_added_modified_and_deleted(self):
        ns = self.namespace("watch-events")
        self.run_ok("create", "configmap", "first", "-n", ns, "--from-literal=a=1")
        watch = self.background("get", "configmaps", "-n", ns, "-w", "--output-watch-events",
                                "--request-timeout=60s")
        watch.wait_for(watch.out, r"^ADDED +first ")
        self.run_ok("label", "configmap", "first", "-n", ns, "step=2")
        watch.wait_for(watch.out, r"^MODIFIED +first ")
        self.run_ok("create", "configmap", "second", "-n", ns, "--from-literal=a=1",
                    "--from-literal=b=2")
        watch.wait_for(watch.out, r"^ADDED +second ")
        self.run_ok("delete", "configmap", "first", "-n", ns)
        watch.wait_for(watch.out, r"^DELETED +first ")
        watch.stop()
        rows = [cells(l) for l in watch.out]
        self.assertEqual(rows[0], ["EVENT", "NAME", "DATA", "AGE"])
        self.assertEqual([r[:3] for r in rows[1:]],
                         [["ADDED", "first", "1"], ["MODIFIED", "first", "1"],
                          ["ADDED", "second", "2"], ["DELETED", "first", "1"]])

    def test_get_watch_of_one_object_ends_at_the_request_timeout(self):
        ns = self.namespace("watch-one")
        self.run_ok("create", "configmap", "mine", "-n", ns)
        self.run_ok("create", "configmap", "other", "-n", ns)
        watch = self.background("get", "configmap", "mine", "-n", ns, "-w", "-o", "name",
                                "--output-watch-events", "--request-timeout=10s")
        watch.wait_for(watch.out, r"^configmap/mine$")
        self.run_ok("label", "configmap", "other", "-n", ns, "x=1")
        self.run_ok("annotate", "configmap", "mine", "-n", ns, "x=1")
        code, out, err = watch.finish(timeout=30)
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "configmap/mine\nconfigmap/mine\n")


class KubectlRoundTripTest(KubectlTestCase):
    def test_label_annotate_set_image_and_scale(self):
        ns = self.namespace("round-trip")
        self.run_ok("create", "-f", "-", input=DEPLOYMENT.format(name="rt", ns=ns))

        def jsonpath(expr):
            return self.run_ok("get", "deployment", "rt", "-n", ns, "-o", "jsonpath=" + expr)

        self.assertEqual(self.run_ok("label", "deployment", "rt", "-n", ns, "tier=fe"),
                         "deployment.apps/rt labeled\n")
        self.assertEqual(sorted(self.run_ok("label", "deployment", "rt", "-n", ns,
                                            "--list").splitlines()), ["app=rt", "tier=fe"])
        self.run_ok("label", "deployment", "rt", "-n", ns, "tier=be", "--overwrite")
        self.assertEqual(jsonpath("{.metadata.labels.tier}"), "be")
        self.run_ok("label", "deployment", "rt", "-n", ns, "tier-")
        self.assertEqual(self.get_json("deployment", "rt", "-n", ns)["metadata"]["labels"],
                         {"app": "rt"})
        # A stale resourceVersion is the server's conflict.
        r = self.kubectl("label", "deployment", "rt", "-n", ns, "late=yes",
                         "--resource-version=1")
        self.assertEqual(r.returncode, 1)
        self.assertIn('Error from server (Conflict): Operation cannot be fulfilled on '
                      'deployments.apps "rt": the object has been modified', r.stderr)

        self.assertEqual(self.run_ok("annotate", "deployment", "rt", "-n", ns,
                                     "note=hello world"), "deployment.apps/rt annotated\n")
        self.assertEqual(self.run_ok("annotate", "deployment", "rt", "-n", ns, "--list"),
                         "note=hello world\n")
        self.run_ok("annotate", "deployment", "rt", "-n", ns, "note-")
        # (That it leaves no empty map behind is test_removing_the_last_key_leaves_no_empty_map.)
        self.assertEqual(self.get_json("deployment", "rt", "-n", ns)["metadata"]
                         .get("annotations", {}), {})

        self.assertEqual(self.run_ok("set", "image", "deployment/rt", "-n", ns,
                                     "web=nginx:1.27"), "deployment.apps/rt image updated\n")
        self.assertEqual(jsonpath("{.spec.template.spec.containers[0].image} "
                                  "{.metadata.generation}"), "nginx:1.27 2")
        r = self.kubectl("set", "image", "deployment/rt", "-n", ns, "nosuch=x:1")
        self.assertEqual(r.returncode, 1)
        self.assertIn('unable to find container named "nosuch"', r.stderr)
        self.run_ok("set", "image", "deployment/rt", "-n", ns, "*=nginx:1.25")
        self.assertEqual(jsonpath("{.spec.template.spec.containers[0].image}"), "nginx:1.25")

        self.assertEqual(self.run_ok("scale", "deployment/rt", "-n", ns, "--replicas=3"),
                         "deployment.apps/rt scaled\n")
        self.assertEqual(jsonpath("{.spec.replicas}"), "3")
        r = self.kubectl("scale", "deployment/rt", "-n", ns, "--current-replicas=2",
                         "--replicas=1")
        self.assertEqual(r.returncode, 1)
        self.assertIn("Expected replicas to be 2, was 3", r.stderr)
        self.run_ok("scale", "deployment/rt", "-n", ns, "--current-replicas=3", "--replicas=0")
        self.assertEqual(jsonpath("{.spec.replicas}"), "0")
        self.assertEqual(self.get_json("deployment", "rt", "-n", ns,
                                       "--subresource=scale")["spec"], {"replicas": 0})

    def test_get_scale_subresource_prints_a_scale_table(self):
        ns = self.namespace("scale-table")
        self.run_ok("create", "-f", "-", input=DEPLOYMENT.format(name="sc", ns=ns))
        self.run_ok("scale", "deployment/sc", "-n", ns, "--replicas=3")
        got = tables(self.run_ok("get", "deployment", "sc", "-n", ns, "--subresource=scale"))
        self.assertEqual(got[0][0], ["NAME", "DESIRED", "AVAILABLE", "AGE"])
        self.assertEqual(got[0][1][:3], ["sc", "3", "0"])

    def test_removing_the_last_key_leaves_no_empty_map(self):
        # Upstream's types omit empty maps (omitempty), so the fields disappear.
        ns = self.namespace("empty-maps")
        self.run_ok("create", "configmap", "e", "-n", ns, "--from-literal=k=v")
        self.run_ok("label", "configmap", "e", "-n", ns, "l=1")
        self.run_ok("annotate", "configmap", "e", "-n", ns, "a=1")
        self.run_ok("label", "configmap", "e", "-n", ns, "l-")
        self.run_ok("annotate", "configmap", "e", "-n", ns, "a-")
        self.run_ok("patch", "configmap", "e", "-n", ns, "--type=merge", "-p",
                    '{"data":{"k":null}}')
        cm = self.get_json("configmap", "e", "-n", ns)
        self.assertNotIn("data", cm)
        self.assertNotIn("labels", cm["metadata"])
        self.assertNotIn("annotations", cm["metadata"])

    def test_secret_string_data_is_merged_into_data(self):
        ns = self.namespace("string-data")
        self.run_ok("create", "-f", "-", input=(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: %s\n"
            "data:\n  user: YWRtaW4=\n  password: b2xk\n"
            "stringData:\n  password: hunter2\n" % ns))
        secret = self.get_json("secret", "s", "-n", ns)
        self.assertNotIn("stringData", secret)
        self.assertEqual(secret["data"], {"user": "YWRtaW4=", "password": "aHVudGVyMg=="})
        self.assertEqual(tables(self.run_ok("get", "secret", "s", "-n", ns))[0][1][:3],
                         ["s", "Opaque", "2"])


class KubectlDiscoveryTest(KubectlTestCase):
    def test_api_versions(self):
        versions = self.run_ok("api-versions").splitlines()
        self.assertEqual(versions, sorted(versions))
        for gv in ["v1", "apps/v1", "batch/v1", "autoscaling/v1", "autoscaling/v2",
                   "networking.k8s.io/v1", "rbac.authorization.k8s.io/v1", "policy/v1",
                   "storage.k8s.io/v1", "coordination.k8s.io/v1", "events.k8s.io/v1",
                   "apiextensions.k8s.io/v1"]:
            self.assertIn(gv, versions)

    def test_api_resources_wide_and_filters(self):
        rows = {r[0]: r for r in (cells(l) for l in
                                  self.run_ok("api-resources", "-o", "wide").splitlines()[1:])}
        every_verb = "create,delete,deletecollection,get,list,patch,update,watch"
        self.assertEqual(rows["pods"], ["pods", "po", "v1", "true", "Pod", every_verb, "all"])
        self.assertEqual(rows["deployments"], ["deployments", "deploy", "apps/v1", "true",
                                               "Deployment", every_verb, "all"])
        self.assertEqual(rows["configmaps"], ["configmaps", "cm", "v1", "true", "ConfigMap",
                                              every_verb])
        self.assertEqual(rows["bindings"], ["bindings", "v1", "true", "Binding", "create"])

        cluster = self.run_ok("api-resources", "--namespaced=false", "-o", "name").splitlines()
        for name in ["namespaces", "nodes", "persistentvolumes",
                     "clusterroles.rbac.authorization.k8s.io",
                     "customresourcedefinitions.apiextensions.k8s.io"]:
            self.assertIn(name, cluster)
        self.assertNotIn("pods", cluster)

        watchable = self.run_ok("api-resources", "--verbs=list,watch", "-o",
                                "name").splitlines()
        for name in ["pods", "deployments.apps", "jobs.batch", "events"]:
            self.assertIn(name, watchable)
        for name in ["bindings", "componentstatuses"]:
            self.assertNotIn(name, watchable)

        self.assertEqual(self.run_ok("api-resources", "--categories=all", "-o",
                                     "name").splitlines(),
                         ["pods", "replicationcontrollers", "services", "daemonsets.apps",
                          "deployments.apps", "replicasets.apps", "statefulsets.apps",
                          "horizontalpodautoscalers.autoscaling", "cronjobs.batch",
                          "jobs.batch"])


ALL_KINDS = """\
apiVersion: v1
kind: Pod
metadata: {{name: p, namespace: {ns}}}
spec:
  containers: [{{name: c, image: busybox}}]
---
apiVersion: v1
kind: ReplicationController
metadata: {{name: rc, namespace: {ns}}}
spec:
  replicas: 1
  selector: {{app: rc}}
  template:
    metadata: {{labels: {{app: rc}}}}
    spec:
      containers: [{{name: c, image: busybox}}]
---
apiVersion: v1
kind: Service
metadata: {{name: s, namespace: {ns}}}
spec:
  ports: [{{port: 80}}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {{name: ds, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: ds}}}}
  template:
    metadata: {{labels: {{app: ds}}}}
    spec:
      containers: [{{name: c, image: busybox}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: d, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: d}}}}
  template:
    metadata: {{labels: {{app: d}}}}
    spec:
      containers: [{{name: c, image: busybox}}]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {{name: rs, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: rs}}}}
  template:
    metadata: {{labels: {{app: rs}}}}
    spec:
      containers: [{{name: c, image: busybox}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: ss, namespace: {ns}}}
spec:
  serviceName: ss
  selector: {{matchLabels: {{app: ss}}}}
  template:
    metadata: {{labels: {{app: ss}}}}
    spec:
      containers: [{{name: c, image: busybox}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: h, namespace: {ns}}}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: d}}
  minReplicas: 1
  maxReplicas: 3
---
apiVersion: batch/v1
kind: CronJob
metadata: {{name: cj, namespace: {ns}}}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{{name: c, image: busybox}}]
---
apiVersion: batch/v1
kind: Job
metadata: {{name: j, namespace: {ns}}}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: c, image: busybox}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: not-in-all, namespace: {ns}}}
"""

ALL_NAMES = ["pod/p", "replicationcontroller/rc", "service/s", "daemonset.apps/ds",
             "deployment.apps/d", "replicaset.apps/rs", "statefulset.apps/ss",
             "horizontalpodautoscaler.autoscaling/h", "cronjob.batch/cj", "job.batch/j"]


class KubectlGetAllAndDescribeTest(KubectlTestCase):
    def test_get_all(self):
        ns = self.namespace("get-all")
        self.run_ok("create", "-f", "-", input=ALL_KINDS.format(ns=ns))
        self.assertEqual(self.run_ok("get", "all", "-n", ns, "-o", "name").splitlines(),
                         ALL_NAMES)
        got = tables(self.run_ok("get", "all", "-n", ns))
        self.assertEqual([t[1][0] for t in got], ALL_NAMES)
        self.assertEqual([len(t) for t in got], [2] * len(ALL_NAMES), got)
        self.assertEqual(got[0][0], ["NAME", "READY", "STATUS", "RESTARTS", "AGE"])
        self.assertEqual(got[0][1][1:4], ["0/1", "Pending", "0"])
        self.assertEqual(got[4][1][1:4], ["0/1", "0", "0"])
        r = self.kubectl("get", "all", "-n", "no-such-namespace")
        self.assertEqual((r.returncode, r.stdout), (0, ""), r.stderr)
        self.assertEqual(r.stderr, "No resources found in no-such-namespace namespace.\n")

    @staticmethod
    def event(ns, name, kind, obj, uid, reason, message, event_type="Normal"):
        """A core/v1 Event about `obj`, as JSON (kubectl reads a stream of JSON objects)."""
        return json.dumps({
            "apiVersion": "v1", "kind": "Event", "metadata": {"name": name, "namespace": ns},
            "involvedObject": {"apiVersion": "apps/v1" if kind == "Deployment" else "v1",
                               "kind": kind, "name": obj, "namespace": ns, "uid": uid},
            "reason": reason, "message": message, "type": event_type, "count": 1,
            "firstTimestamp": "2024-01-01T00:00:00Z", "lastTimestamp": "2024-01-01T00:00:00Z",
            "source": {"component": "smoke-test"}}) + "\n"

    def test_describe_deployment_and_configmap(self):
        ns = self.namespace("describe")
        self.run_ok("create", "-f", "-", input=DEPLOYMENT.format(name="web", ns=ns))
        self.run_ok("create", "configmap", "settings", "-n", ns, "--from-literal=mode=fast")
        self.run_ok("patch", "deployment", "web", "-n", ns, "--subresource=status",
                    "--type=merge", "-p",
                    '{"status":{"conditions":[{"type":"Available","status":"True",'
                    '"reason":"MinimumReplicasAvailable","message":"ok"}]}}')
        web = self.get_json("deployment", "web", "-n", ns)["metadata"]["uid"]
        settings = self.get_json("configmap", "settings", "-n", ns)["metadata"]["uid"]
        self.run_ok("create", "-f", "-", input=(
            self.event(ns, "web.1", "Deployment", "web", web, "ScalingReplicaSet",
                       "Scaled up to 1") +
            self.event(ns, "settings.1", "ConfigMap", "settings", settings, "Checked",
                       "looked at it") +
            self.event(ns, "other.1", "ConfigMap", "other", "0000", "Elsewhere",
                       "not this one", "Warning")))

        out = self.run_ok("describe", "deployment", "web", "-n", ns)
        lines = [l.rstrip() for l in out.splitlines()]
        for line in ["Name:                   web",
                     "Namespace:              " + ns,
                     "Labels:                 app=web",
                     "Selector:               app=web",
                     "Replicas:               1 desired | 0 updated | 0 total | 0 available |"
                     " 0 unavailable",
                     "StrategyType:           RollingUpdate",
                     "RollingUpdateStrategy:  25% max unavailable, 25% max surge",
                     "    Image:         nginx:1.25"]:
            self.assertIn(line, lines, out)
        self.assertRegex(out, r"\n  Available +True +MinimumReplicasAvailable\n")
        self.assertRegex(out, r"\n  Normal +ScalingReplicaSet +\S+ +smoke-test +Scaled up to 1\n")
        self.assertNotIn("Elsewhere", out)

        out = self.run_ok("describe", "configmap", "settings", "-n", ns)
        self.assertIn("Name:         settings\nNamespace:    %s\n" % ns, out)
        self.assertIn("\nData\n====\nmode:\n----\nfast\n", out)
        self.assertRegex(out, r"\n  Normal +Checked +\S+ +smoke-test +looked at it\n")
        self.assertNotIn("Elsewhere", out)
        self.assertNotIn("ScalingReplicaSet", out)

        r = self.kubectl("describe", "configmap", "nope", "-n", ns)
        self.assertEqual((r.returncode, r.stdout), (1, ""), r.stderr)
        self.assertIn('Error from server (NotFound): configmaps "nope" not found', r.stderr)


if __name__ == "__main__":
    if not TUG or not os.access(TUG, os.X_OK):
        raise SystemExit("TUG_BIN must name the tug executable")
    unittest.main(verbosity=2)
