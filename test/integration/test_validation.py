"""Defaulting and validation of the built-in kinds, driven with the real kubectl: objects
applied from files come back with upstream's defaults, invalid objects are refused with
upstream's messages, and updates to immutable fields are refused.

kubectl runs with --validate=false: client-side validation would need the OpenAPI documents,
which this suite does not depend on. The server's own validation is what is tested here.
"""

import json
import os
import unittest

from test_cli import write
from test_resources import KUBECTL_JSON, ResourcesTestCase
from test_apiserver import API_ONLY

APP = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports:
        - containerPort: 80
        readinessProbe:
          httpGet: {port: 80}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests: {storage: 1Gi}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: pi
        image: perl:5.34
        command: [perl, -e, print 1]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: tick
            image: busybox
"""

POD_DEFAULTS = {"dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
                "schedulerName": "default-scheduler", "securityContext": {},
                "terminationGracePeriodSeconds": 30}


class ValidationTest(ResourcesTestCase):
    control_plane_args = API_ONLY

    def setUp(self):
        super().setUp()
        self.require_kubectl()

    def file(self, name, text):
        path = os.path.join(self.tmp, name)
        write(path, text)
        return path

    def get_json(self, *args):
        r = self.kubectl("get", *args, "-o", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def assert_refused(self, result, message):
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn(message, result.stderr)

    def test_apply_fills_upstream_defaults(self):
        r = self.kubectl("apply", "--validate=false", "-f", self.file("app.yaml", APP))
        self.assertEqual(r.returncode, 0, r.stderr)

        d = self.get_json("deployment", "web")["spec"]
        self.assertEqual(d["replicas"], 1)
        self.assertEqual(d["revisionHistoryLimit"], 10)
        self.assertEqual(d["progressDeadlineSeconds"], 600)
        self.assertEqual(d["strategy"], {"type": "RollingUpdate", "rollingUpdate":
                                         {"maxSurge": "25%", "maxUnavailable": "25%"}})
        pod = d["template"]["spec"]
        for key, value in POD_DEFAULTS.items():
            self.assertEqual(pod[key], value, key)
        c = pod["containers"][0]
        self.assertEqual(c["imagePullPolicy"], "IfNotPresent")
        self.assertEqual(c["terminationMessagePath"], "/dev/termination-log")
        self.assertEqual(c["terminationMessagePolicy"], "File")
        self.assertEqual(c["ports"], [{"containerPort": 80, "protocol": "TCP"}])
        self.assertEqual(c["readinessProbe"], {
            "httpGet": {"port": 80, "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1,
            "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3})

        s = self.get_json("service", "web")["spec"]
        self.assertEqual(s["type"], "ClusterIP")
        self.assertEqual(s["sessionAffinity"], "None")
        self.assertEqual(s["ports"], [{"port": 80, "protocol": "TCP", "targetPort": 80}])
        self.assertEqual(s["internalTrafficPolicy"], "Cluster")
        self.assertEqual(s["ipFamilyPolicy"], "SingleStack")
        self.assertEqual(s["ipFamilies"], ["IPv4"])

        sts = self.get_json("statefulset", "db")["spec"]
        self.assertEqual(sts["podManagementPolicy"], "OrderedReady")
        self.assertEqual(sts["updateStrategy"],
                         {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
        self.assertEqual(sts["persistentVolumeClaimRetentionPolicy"],
                         {"whenDeleted": "Retain", "whenScaled": "Retain"})
        self.assertEqual(sts["template"]["spec"]["containers"][0]["imagePullPolicy"], "Always")
        self.assertEqual(sts["volumeClaimTemplates"][0]["spec"]["volumeMode"], "Filesystem")

        job = self.get_json("job", "pi")
        uid = job["metadata"]["uid"]
        js = job["spec"]
        for key, value in {"parallelism": 1, "completions": 1, "backoffLimit": 6,
                           "completionMode": "NonIndexed", "suspend": False,
                           "podReplacementPolicy": "TerminatingOrFailed"}.items():
            self.assertEqual(js[key], value, key)
        self.assertEqual(js["selector"],
                         {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}})
        self.assertEqual(js["template"]["metadata"]["labels"], {
            "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "pi",
            "controller-uid": uid, "job-name": "pi"})

        cj = self.get_json("cronjob", "tick")["spec"]
        for key, value in {"concurrencyPolicy": "Allow", "suspend": False,
                           "successfulJobsHistoryLimit": 3,
                           "failedJobsHistoryLimit": 1}.items():
            self.assertEqual(cj[key], value, key)

    def require_patch(self):
        self.create_cm("probe")
        code, _ = self.call("PATCH", "/api/v1/namespaces/default/configmaps/probe",
                            {"data": {"k": "w"}}, content_type="application/merge-patch+json")
        if code in (405, 415):
            self.skipTest("PATCH is not served yet")

    def test_apply_twice_and_diff_change_nothing(self):
        self.require_patch()
        path = self.file("app.yaml", APP)
        r = self.kubectl("apply", "--validate=false", "-f", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        again = self.kubectl("apply", "--validate=false", "-f", path)
        self.assertEqual(again.returncode, 0, again.stderr)
        for kind in ["deployment/web", "statefulset/db", "job/pi", "cronjob/tick"]:
            self.assertEqual(self.get_json(kind)["metadata"]["generation"], 1, kind)
        diff = self.kubectl("diff", "-f", path)
        if diff.returncode > 1 and "openapi" in diff.stderr.lower():
            self.skipTest("kubectl diff needs the OpenAPI documents, not served yet")
        self.assertEqual(diff.returncode, 0, diff.stdout + diff.stderr)

    def test_yaml_output_shows_the_defaults(self):
        r = self.kubectl("apply", "--validate=false", "-f", self.file("app.yaml", APP))
        self.assertEqual(r.returncode, 0, r.stderr)
        out = self.kubectl("get", "deployment", "web", "-o", "yaml")
        self.assertEqual(out.returncode, 0, out.stderr)
        for line in ["  progressDeadlineSeconds: 600", "      maxSurge: 25%",
                     "      dnsPolicy: ClusterFirst", "        imagePullPolicy: IfNotPresent",
                     "      schedulerName: default-scheduler", "      securityContext: {}"]:
            self.assertIn(line + "\n", out.stdout)

    def test_invalid_objects_get_upstream_messages(self):
        bad_labels = APP.split("---")[0].replace("labels: {app: web}", "labels: {app: other}")
        self.assert_refused(
            self.kubectl("apply", "--validate=false", "-f", self.file("d.yaml", bad_labels)),
            'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: '
            'map[string]string{"app":"other"}: `selector` does not match template `labels`')

        self.assert_refused(
            self.kubectl("create", "--validate=false", "-f", self.file("s.yaml", """
apiVersion: v1
kind: Service
metadata: {name: Web}
spec:
  ports: [{port: 80}]
""")), 'The Service "Web" is invalid: metadata.name: Invalid value: "Web": a DNS-1035 label')

        r = self.kubectl("create", "--validate=false", "-f", self.file("p.yaml", """
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: Sometimes
  containers:
  - name: a
  - name: a
    image: nginx
    ports: [{containerPort: 70000}]
"""))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('The Pod "p" is invalid:', r.stderr)
        for line in ['* spec.containers[0].image: Required value',
                     '* spec.containers[1].name: Duplicate value: "a"',
                     '* spec.containers[1].ports[0].containerPort: Invalid value: 70000: must be '
                     'between 1 and 65535, inclusive',
                     '* spec.restartPolicy: Unsupported value: "Sometimes": supported values: '
                     '"Always", "OnFailure", "Never"']:
            self.assertIn(line, r.stderr)
        self.assertEqual(self.call("GET", "/api/v1/namespaces/default/pods/p")[0], 404)

    def test_invalid_status_body(self):
        code, body = self.call("POST", "/apis/apps/v1/namespaces/default/deployments", {
            "metadata": {"name": "web"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "web"}]}}}})
        self.assertEqual(code, 422, body)
        self.assertEqual(body["reason"], "Invalid")
        self.assertEqual(body["message"], 'Deployment.apps "web" is invalid: '
                         'spec.template.spec.containers[0].image: Required value')
        self.assertEqual(body["details"], {
            "name": "web", "group": "apps", "kind": "Deployment",
            "causes": [{"reason": "FieldValueRequired", "message": "Required value",
                        "field": "spec.template.spec.containers[0].image"}]})

    def test_immutable_fields_are_refused_on_update(self):
        r = self.kubectl("apply", "--validate=false", "-f", self.file("app.yaml", APP))
        self.assertEqual(r.returncode, 0, r.stderr)
        changed = APP.split("---")[0].replace("{app: web}", "{app: web2}")
        self.assert_refused(
            self.kubectl("replace", "--validate=false", "-f", self.file("d2.yaml", changed)),
            'The Deployment "web" is invalid: spec.selector: Invalid value: '
            '{"matchLabels":{"app":"web2"}}: field is immutable')

        self.assertEqual(self.kubectl("create", "configmap", "frozen", "--from-literal=a=1",
                                     binary=KUBECTL_JSON)
                         .returncode, 0)
        cm = self.get_json("configmap", "frozen")
        cm["immutable"] = True
        r = self.kubectl("replace", "--validate=false", "-f",
                         self.file("cm.json", json.dumps(cm)))
        self.assertEqual(r.returncode, 0, r.stderr)
        cm = self.get_json("configmap", "frozen")
        cm["data"]["a"] = "2"
        self.assert_refused(
            self.kubectl("replace", "--validate=false", "-f",
                         self.file("cm2.json", json.dumps(cm))),
            'The ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when '
            '`immutable` is set')

    def test_namespaces_are_labelled_and_finalized(self):
        self.assertEqual(self.kubectl("create", "namespace", "team",
                                      binary=KUBECTL_JSON).returncode, 0)
        ns = self.get_json("namespace", "team")
        self.assertEqual(ns["metadata"]["labels"], {"kubernetes.io/metadata.name": "team"})
        self.assertEqual(ns["spec"], {"finalizers": ["kubernetes"]})
        self.assertEqual(ns["status"], {"phase": "Active"})
        self.assert_refused(self.kubectl("create", "namespace", "a.b", binary=KUBECTL_JSON),
                            'The Namespace "a.b" is invalid: metadata.name: Invalid value: '
                            '"a.b": must not contain dots')


if __name__ == "__main__":
    unittest.main()
