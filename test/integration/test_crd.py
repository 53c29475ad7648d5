"""CustomResourceDefinitions: names, discovery, OpenAPI, schema defaulting, validation and
pruning, the status and scale subresources, printer columns, several versions, deletion, and
the Gateway API and VolumeSnapshot CRDs, with the real kubectl and Python's HTTPS client.

Every server listens on 127.0.0.1 on a free port with its data in a temporary directory.
"""

import json
import os
import time
import unittest

from test_resources import ResourcesTestCase
from test_cli import write

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared",
                         "reference", "crds")

WIDGET_SCHEMA = {
    "type": "object",
    "properties": {
        "spec": {
            "type": "object",
            "required": ["size"],
            "properties": {
                "size": {"type": "string", "enum": ["small", "large"]},
                "color": {"type": "string", "default": "blue", "pattern": "^[a-z]+$",
                          "maxLength": 10},
                "replicas": {"type": "integer", "minimum": 0, "default": 1},
                "selector": {"type": "string"},
                "ports": {"type": "array", "maxItems": 3,
                          "x-kubernetes-list-type": "map",
                          "x-kubernetes-list-map-keys": ["name"],
                          "items": {"type": "object", "required": ["name"],
                                    "properties": {"name": {"type": "string"},
                                                   "port": {"type": "integer"}}}},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            },
        },
        "status": {
            "type": "object",
            "properties": {"replicas": {"type": "integer"}, "phase": {"type": "string"}},
        },
    },
}


def widget_crd(versions=("v1", "v1beta1"), kind="Widget", plural="widgets",
               group="example.com"):
    vs = []
    for i, v in enumerate(versions):
        vs.append({
            "name": v, "served": True, "storage": i == 0,
            "schema": {"openAPIV3Schema": WIDGET_SCHEMA},
            "subresources": {"status": {},
                             "scale": {"specReplicasPath": ".spec.replicas",
                                       "statusReplicasPath": ".status.replicas",
                                       "labelSelectorPath": ".spec.selector"}},
            "additionalPrinterColumns": [
                {"name": "Size", "type": "string", "jsonPath": ".spec.size"},
                {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
                {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}],
        })
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": plural + "." + group},
        "spec": {"group": group, "scope": "Namespaced",
                 "names": {"plural": plural, "kind": kind, "shortNames": ["wd"],
                           "categories": ["all"]},
                 "versions": vs},
    }


class CrdTestCase(ResourcesTestCase):
    def create_crd(self, crd, wait=True):
        code, body = self.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                               crd)
        self.assertEqual(code, 201, body)
        if wait:
            self.wait_established(crd["metadata"]["name"])
        return body

    def wait_established(self, name, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code, body = self.call(
                "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + name)
            conds = {c["type"]: c for c in body.get("status", {}).get("conditions", [])}
            if code == 200 and conds.get("Established", {}).get("status") == "True":
                return body
            time.sleep(0.05)
        self.fail("CRD %s was not established: %s" % (name, body))

    def wait_condition(self, name, ctype, timeout=10):
        """The CRD's conditions by type, once one of type `ctype` is there."""
        deadline = time.monotonic() + timeout
        conds = {}
        while time.monotonic() < deadline:
            code, body = self.call(
                "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + name)
            conds = {c["type"]: c for c in body.get("status", {}).get("conditions", [])}
            if ctype in conds:
                return conds
            time.sleep(0.05)
        self.fail("CRD %s has no %s condition: %s" % (name, ctype, conds))

    def wait_gone(self, path, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code, body = self.call("GET", path)
            if code == 404:
                return
            time.sleep(0.05)
        self.fail("%s still exists: %s" % (path, body))

    def widget(self, name, version="v1", **spec):
        return {"apiVersion": "example.com/" + version, "kind": "Widget",
                "metadata": {"name": name}, "spec": spec}

    def apply_file(self, text, *args):
        path = os.path.join(self.tmp, "manifest-%d.yaml" % time.monotonic_ns())
        write(path, text)
        return self.kubectl("apply", "-f", path, *args)


class CrdLifecycleTest(CrdTestCase):
    def test_established_with_conditions_and_discovery(self):
        crd = self.create_crd(widget_crd())
        self.assertEqual(crd["status"]["storedVersions"], ["v1"])
        self.assertIn("customresourcecleanup.apiextensions.k8s.io", crd["metadata"]["finalizers"])
        body = self.wait_established("widgets.example.com")
        conds = {c["type"]: c for c in body["status"]["conditions"]}
        self.assertEqual(conds["NamesAccepted"]["status"], "True")
        self.assertEqual(conds["NamesAccepted"]["reason"], "NoConflicts")
        self.assertEqual(conds["Established"]["reason"], "InitialNamesAccepted")
        names = body["status"]["acceptedNames"]
        self.assertEqual((names["plural"], names["singular"], names["kind"], names["listKind"]),
                         ("widgets", "widget", "Widget", "WidgetList"))
        # Defaulted spec.names are stored, as upstream defaults them.
        self.assertEqual(body["spec"]["names"]["singular"], "widget")
        self.assertEqual(body["spec"]["conversion"], {"strategy": "None"})

        code, groups = self.call("GET", "/apis")
        self.assertEqual(code, 200)
        group = [g for g in groups["groups"] if g["name"] == "example.com"]
        self.assertEqual(len(group), 1, groups)
        self.assertEqual(group[0]["preferredVersion"]["version"], "v1")
        self.assertEqual([v["version"] for v in group[0]["versions"]], ["v1", "v1beta1"])
        code, resources = self.call("GET", "/apis/example.com/v1beta1")
        self.assertEqual(code, 200)
        byname = {r["name"]: r for r in resources["resources"]}
        self.assertEqual(byname["widgets"]["kind"], "Widget")
        self.assertTrue(byname["widgets"]["namespaced"])
        self.assertEqual(byname["widgets"]["shortNames"], ["wd"])
        self.assertEqual(byname["widgets"]["categories"], ["all"])
        self.assertIn("watch", byname["widgets"]["verbs"])
        self.assertEqual(byname["widgets/scale"]["kind"], "Scale")
        self.assertEqual(byname["widgets/scale"]["group"], "autoscaling")
        self.assertIn("widgets/status", byname)

        self.require_kubectl()
        r = self.kubectl("api-resources", "--api-group=example.com")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"widgets\s+wd\s+example.com/v1\s+true\s+Widget")

    def test_objects_default_validate_and_read_in_every_version(self):
        self.create_crd(widget_crd())
        path = "/apis/example.com/v1/namespaces/default/widgets"
        code, w = self.call("POST", path, self.widget("w1", size="small"))
        self.assertEqual(code, 201, w)
        self.assertEqual(w["spec"], {"size": "small", "color": "blue", "replicas": 1})
        self.assertEqual(w["metadata"]["generation"], 1)
        # The same object through the other version: only apiVersion differs (strategy None).
        code, old = self.call("GET", "/apis/example.com/v1beta1/namespaces/default/widgets/w1")
        self.assertEqual(code, 200, old)
        self.assertEqual(old["apiVersion"], "example.com/v1beta1")
        self.assertEqual(old["spec"], w["spec"])
        code, lst = self.call("GET", "/apis/example.com/v1beta1/widgets")
        self.assertEqual(code, 200)
        self.assertEqual(lst["kind"], "WidgetList")
        self.assertEqual([i["metadata"]["name"] for i in lst["items"]], ["w1"])
        self.assertEqual(lst["items"][0]["apiVersion"], "example.com/v1beta1")

        # Unknown fields: pruned when ignored, refused when strict; preserved where declared.
        body = self.widget("w2", size="large", bogus=1, extra={"free": {"form": True}})
        code, w2 = self.call("POST", path + "?fieldValidation=Ignore", body)
        self.assertEqual(code, 201, w2)
        self.assertNotIn("bogus", w2["spec"])
        self.assertEqual(w2["spec"]["extra"], {"free": {"form": True}})
        body["metadata"]["name"] = "w3"
        code, refused = self.call("POST", path + "?fieldValidation=Strict", body)
        self.assertEqual(code, 400, refused)
        self.assertIn('unknown field "spec.bogus"', refused["message"])

    def test_invalid_objects_get_422_with_causes(self):
        self.create_crd(widget_crd())
        path = "/apis/example.com/v1/namespaces/default/widgets"
        bad = self.widget("bad", size="medium", color="Not-Lower", replicas=-1,
                          ports=[{"name": "a"}, {"name": "a"}, {"name": "b"}, {"name": "c"}])
        code, body = self.call("POST", path, bad)
        self.assertEqual(code, 422, body)
        self.assertEqual(body["reason"], "Invalid")
        self.assertTrue(body["message"].startswith('Widget.example.com "bad" is invalid: '),
                        body["message"])
        causes = {(c["field"], c["reason"]) for c in body["details"]["causes"]}
        self.assertIn(("spec.size", "FieldValueNotSupported"), causes)
        self.assertIn(("spec.color", "FieldValueInvalid"), causes)
        self.assertIn(("spec.replicas", "FieldValueInvalid"), causes)
        self.assertIn(("spec.ports", "FieldValueTooMany"), causes)
        self.assertIn(("spec.ports[1]", "FieldValueDuplicate"), causes)
        self.assertIn("spec.color in body should match '^[a-z]+$'", body["message"])
        self.assertIn("spec.replicas in body should be greater than or equal to 0",
                      body["message"])
        code, body = self.call("POST", path, self.widget("nosize"))
        self.assertEqual(code, 422, body)
        self.assertIn("spec.size: Required value", body["message"])
        code, body = self.call("POST", path, self.widget("typed", size="small", replicas="x"))
        self.assertEqual(code, 422, body)
        self.assertIn('spec.replicas in body must be of type integer: "string"', body["message"])
        code, body = self.call("POST", path, self.widget("Bad_Name", size="small"))
        self.assertEqual(code, 422, body)
        self.assertEqual(body["details"]["causes"][0]["field"], "metadata.name")

    def test_status_and_scale_subresources(self):
        self.create_crd(widget_crd())
        path = "/apis/example.com/v1/namespaces/default/widgets/w1"
        code, w = self.call("POST", "/apis/example.com/v1/namespaces/default/widgets",
                            dict(self.widget("w1", size="small", selector="app=w"),
                                 status={"phase": "ignored"}))
        self.assertEqual(code, 201, w)
        self.assertNotIn("status", w)  # status comes only through /status
        w["status"] = {"replicas": 2, "phase": "Running"}
        code, s = self.call("PUT", path + "/status", w)
        self.assertEqual(code, 200, s)
        self.assertEqual(s["status"]["phase"], "Running")
        self.assertEqual(s["metadata"]["generation"], 1)  # status is not the desired state
        code, scale = self.call("GET", path + "/scale")
        self.assertEqual(code, 200, scale)
        self.assertEqual(scale["kind"], "Scale")
        self.assertEqual(scale["spec"]["replicas"], 1)
        self.assertEqual(scale["status"], {"replicas": 2, "selector": "app=w"})

        self.require_kubectl()
        r = self.kubectl("scale", "widget/w1", "--replicas=4")
        self.assertEqual(r.returncode, 0, r.stderr)
        code, w = self.call("GET", path)
        self.assertEqual(w["spec"]["replicas"], 4)
        self.assertEqual(w["metadata"]["generation"], 2)
        r = self.kubectl("scale", "widget/w1", "--replicas=-1")
        self.assertNotEqual(r.returncode, 0)

    def test_kubectl_get_explain_patch_and_apply(self):
        self.require_kubectl()
        crd_path = os.path.join(self.tmp, "crd.json")
        write(crd_path, json.dumps(widget_crd()))
        r = self.kubectl("apply", "-f", crd_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kubectl("wait", "--for=condition=established", "--timeout=10s",
                         "crd/widgets.example.com")
        self.assertEqual(r.returncode, 0, r.stderr)
        manifest = ("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\n"
                    "spec:\n  size: large\n  ports:\n  - name: http\n    port: 80\n")
        r = self.apply_file(manifest)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("widget.example.com/w1 created", r.stdout)
        r = self.apply_file(manifest)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("widget.example.com/w1 unchanged", r.stdout)
        r = self.apply_file(manifest.replace("size: large", "size: huge"))
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('Unsupported value: "huge"', r.stderr)

        r = self.kubectl("get", "wd")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["NAME", "SIZE", "REPLICAS", "AGE"])
        self.assertEqual(lines[1].split()[:3], ["w1", "large", "1"])
        r = self.kubectl("get", "all")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("widget.example.com/w1", r.stdout)
        r = self.kubectl("get", "widgets.v1beta1.example.com", "w1", "-o", "jsonpath={.apiVersion}")
        self.assertEqual((r.returncode, r.stdout), (0, "example.com/v1beta1"), r.stderr)

        r = self.kubectl("explain", "widgets.spec")
        self.assertEqual(r.returncode, 0, r.stderr)
        for field in ("size", "color", "ports", "replicas"):
            self.assertIn(field, r.stdout)

        r = self.kubectl("patch", "widget", "w1", "--type=merge", "-p", '{"spec":{"color":"red"}}')
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kubectl("patch", "widget", "w1", "--type=json",
                         "-p", '[{"op":"replace","path":"/spec/replicas","value":3}]')
        self.assertEqual(r.returncode, 0, r.stderr)
        # kubectl learns from the OpenAPI document that custom resources take no strategic
        # merge patch; the server refuses one sent anyway with 415.
        r = self.kubectl("patch", "widget", "w1", "--type=strategic", "-p", '{"spec":{}}')
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("application/strategic-merge-patch+json is not supported", r.stderr)
        code, body = self.call("PATCH", "/apis/example.com/v1/namespaces/default/widgets/w1",
                               raw=b'{"spec":{}}',
                               content_type="application/strategic-merge-patch+json")
        self.assertEqual(code, 415, body)
        self.assertEqual(body["reason"], "UnsupportedMediaType")
        r = self.kubectl("get", "widget", "w1", "-o", "jsonpath={.spec.color}/{.spec.replicas}")
        self.assertEqual(r.stdout, "red/3")

        # Server-side apply over a list-map list; a second manager conflicts on a field.
        r = self.apply_file(manifest, "--server-side", "--field-manager=one", "--force-conflicts")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.apply_file(manifest.replace("size: large", "size: small"), "--server-side",
                            "--field-manager=two")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("conflict", r.stderr.lower())
        r = self.apply_file(manifest.replace("size: large", "size: small"), "--server-side",
                            "--field-manager=two", "--force-conflicts")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kubectl("delete", "widget", "w1")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_openapi_v3_document(self):
        self.create_crd(widget_crd())
        code, index = self.call("GET", "/openapi/v3")
        self.assertEqual(code, 200)
        self.assertIn("apis/example.com/v1", index["paths"])
        self.assertIn("apis/example.com/v1beta1", index["paths"])
        url = index["paths"]["apis/example.com/v1"]["serverRelativeURL"]
        code, doc = self.call("GET", url)
        self.assertEqual(code, 200)
        schemas = doc["components"]["schemas"]
        widget = schemas["com.example.v1.Widget"]
        self.assertEqual(widget["x-kubernetes-group-version-kind"],
                         [{"group": "example.com", "kind": "Widget", "version": "v1"}])
        self.assertEqual(widget["properties"]["spec"]["properties"]["size"]["enum"],
                         ["small", "large"])
        self.assertIn("com.example.v1.WidgetList", schemas)
        self.assertIn("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", schemas)
        item = doc["paths"]["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"]
        self.assertNotIn("application/strategic-merge-patch+json",
                         item["patch"]["requestBody"]["content"])
        # Deleting the CRD withdraws its documents.
        code, _ = self.call("DELETE",
                            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                            "widgets.example.com")
        self.assertEqual(code, 200)
        self.wait_gone("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                       "widgets.example.com")
        code, index = self.call("GET", "/openapi/v3")
        self.assertNotIn("apis/example.com/v1", index["paths"])

    def test_deleting_a_crd_removes_its_objects(self):
        self.create_crd(widget_crd())
        ns_path = "/apis/example.com/v1/namespaces/%s/widgets"
        code, _ = self.call("POST", "/api/v1/namespaces",
                            {"metadata": {"name": "other"}})
        self.assertEqual(code, 201)
        for ns, name in (("default", "a"), ("default", "b"), ("other", "c")):
            code, body = self.call("POST", ns_path % ns, self.widget(name, size="small"))
            self.assertEqual(code, 201, body)
        code, body = self.call("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                                         "widgets.example.com")
        self.assertEqual(code, 200, body)
        self.wait_gone("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                       "widgets.example.com")
        code, _ = self.call("GET", "/apis/example.com/v1")
        self.assertEqual(code, 404)
        # A CRD of the same name starts empty: nothing of the old objects is left.
        self.create_crd(widget_crd())
        code, lst = self.call("GET", "/apis/example.com/v1/widgets")
        self.assertEqual(code, 200, lst)
        self.assertEqual(lst["items"], [])

    def test_terminating_crd_refuses_new_objects(self):
        self.create_crd(widget_crd())
        path = "/apis/example.com/v1/namespaces/default/widgets"
        held = self.widget("held", size="small")
        held["metadata"]["finalizers"] = ["example.com/hold"]
        code, body = self.call("POST", path, held)
        self.assertEqual(code, 201, body)
        code, _ = self.call("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                                      "widgets.example.com")
        self.assertEqual(code, 200)
        conds = self.wait_condition("widgets.example.com", "Terminating")
        self.assertEqual(conds["Terminating"]["status"], "True")
        code, body = self.call("POST", path, self.widget("late", size="small"))
        self.assertEqual(code, 405, body)
        self.assertIn("terminating", body["message"])
        # The held object goes once its finalizer does, and the CRD with it.
        code, body = self.call("PATCH", path + "/held", raw=b'{"metadata":{"finalizers":null}}',
                               content_type="application/merge-patch+json")
        self.assertEqual(code, 200, body)
        self.wait_gone("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                       "widgets.example.com")

    def test_restart_serves_stored_crds_at_once(self):
        self.create_crd(widget_crd())
        code, _ = self.call("POST", "/apis/example.com/v1/namespaces/default/widgets",
                            self.widget("w1", size="small"))
        self.assertEqual(code, 201)
        self.assertEqual(self.server.stop(), 0)
        self.server = self.start()
        code, w = self.call("GET", "/apis/example.com/v1/namespaces/default/widgets/w1")
        self.assertEqual(code, 200, w)
        self.assertEqual(w["spec"]["size"], "small")


class CrdNamesAndValidationTest(CrdTestCase):
    def test_conflicting_names_are_not_accepted(self):
        self.create_crd(widget_crd())
        other = widget_crd(plural="gadgets")  # same kind in the same group
        other["spec"]["names"]["shortNames"] = ["gd"]
        other["spec"]["names"]["singular"] = "gadget"
        self.create_crd(other, wait=False)
        conds = self.wait_condition("gadgets.example.com", "NamesAccepted")
        self.assertEqual(conds["NamesAccepted"]["status"], "False", conds)
        self.assertEqual(conds["NamesAccepted"]["reason"], "KindConflict")
        self.assertEqual(conds["NamesAccepted"]["message"], '"Widget" is already in use')
        self.assertEqual(conds["Established"]["status"], "False")
        code, _ = self.call("GET", "/apis/example.com/v1/gadgets")
        self.assertEqual(code, 404)

    def test_invalid_crds_are_refused(self):
        path = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
        cases = []
        crd = widget_crd()
        crd["metadata"]["name"] = "wrong.example.com"
        cases.append((crd, "metadata.name", "must be spec.names.plural+\".\"+spec.group"))
        crd = widget_crd()
        del crd["spec"]["versions"][0]["schema"]
        cases.append((crd, "spec.versions[0].schema.openAPIV3Schema", "schemas are required"))
        crd = widget_crd()
        crd["spec"]["versions"][1]["storage"] = True
        cases.append((crd, "spec.versions",
                      "must have exactly one version marked as storage version"))
        crd = widget_crd(group="widgets.k8s.io")
        cases.append((crd, "metadata.annotations[api-approved.kubernetes.io]",
                      "protected groups must have approval annotation"))
        crd = widget_crd()
        crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"] = {
            "type": "object", "properties": {"spec": {"properties": {"a": {"type": "string"}}}}}
        cases.append((crd, "spec.versions[0].schema.openAPIV3Schema.properties[spec].type",
                      "must not be empty for specified object fields"))
        crd = widget_crd()
        crd["spec"]["scope"] = "Galaxy"
        cases.append((crd, "spec.scope", 'Unsupported value: "Galaxy"'))
        for crd, field, text in cases:
            with self.subTest(field=field):
                code, body = self.call("POST", path, crd)
                self.assertEqual(code, 422, body)
                self.assertIn(field, [c["field"] for c in body["details"]["causes"]], body)
                self.assertIn(text, body["message"])
        code, body = self.call("GET", path)
        self.assertEqual(body["items"], [])


class ReferenceCrdsTest(CrdTestCase):
    """The Gateway API v1.1.0 and external-snapshotter v8.6.0 CRDs, installed with kubectl."""

    def setUp(self):
        super().setUp()
        if not os.path.isdir(REFERENCE):
            self.skipTest("the reference CRDs are not on this machine")
        self.require_kubectl()

    def install(self, directory):
        r = self.kubectl("apply", "-f", os.path.join(REFERENCE, directory))
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kubectl("wait", "--for=condition=established", "--timeout=20s", "crd", "--all")
        self.assertEqual(r.returncode, 0, r.stderr)
        # Applying again changes nothing the server keeps. (These files carry a status
        # stanza, so kubectl sends a patch of it and says "configured", as it does upstream;
        # status is not written through the main resource.)
        before = json.loads(self.kubectl("get", "crd", "-o", "json").stdout)["items"]
        r = self.kubectl("apply", "-f", os.path.join(REFERENCE, directory))
        self.assertEqual(r.returncode, 0, r.stderr)
        after = json.loads(self.kubectl("get", "crd", "-o", "json").stdout)["items"]
        self.assertEqual([(c["metadata"]["name"], c["metadata"]["generation"], c["spec"],
                           c["status"]) for c in after],
                         [(c["metadata"]["name"], c["metadata"]["generation"], c["spec"],
                           c["status"]) for c in before])

    def test_gateway_api(self):
        self.install("gateway-api-v1.1.0")
        manifest = """
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: tug}
spec: {controllerName: example.com/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: default}
spec:
  gatewayClassName: tug
  listeners:
  - {name: http, protocol: HTTP, port: 80}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: site, namespace: default}
spec:
  parentRefs: [{name: web}]
  hostnames: [site.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: site, port: 8080}]
"""
        r = self.apply_file(manifest)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kubectl("get", "gateway", "web", "-o", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        gw = json.loads(r.stdout)
        # Schema defaults: allowedRoutes on each listener, the pending status conditions.
        self.assertEqual(gw["spec"]["listeners"][0]["allowedRoutes"],
                         {"namespaces": {"from": "Same"}})
        self.assertEqual(gw["status"]["conditions"][0]["reason"], "Pending")
        r = self.kubectl("get", "httproute", "site", "-o", "json")
        route = json.loads(r.stdout)
        self.assertEqual(route["spec"]["parentRefs"][0]["group"], "gateway.networking.k8s.io")
        self.assertEqual(route["spec"]["rules"][0]["backendRefs"][0]["weight"], 1)
        r = self.kubectl("get", "gtw")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines()[0].split(),
                         ["NAME", "CLASS", "ADDRESS", "PROGRAMMED", "AGE"])
        self.assertEqual(r.stdout.splitlines()[1].split()[:2], ["web", "tug"])
        r = self.kubectl("patch", "httproute", "site", "--type=merge",
                         "-p", '{"spec":{"hostnames":["www.example.com"]}}')
        self.assertEqual(r.returncode, 0, r.stderr)
        bad = manifest.replace("protocol: HTTP, port: 80", "protocol: HTTP, port: 99999")
        r = self.apply_file(bad)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("spec.listeners[0].port", r.stderr)
        r = self.kubectl("delete", "-f", self.last_manifest(manifest))
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kubectl("get", "gateways,httproutes", "-o", "name")
        self.assertEqual((r.returncode, r.stdout), (0, ""), r.stderr)

    def last_manifest(self, text):
        path = os.path.join(self.tmp, "last.yaml")
        write(path, text)
        return path

    def test_volume_snapshots(self):
        self.install("external-snapshotter-v8.6.0")
        manifest = """
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshotClass
metadata: {name: local}
driver: local.csi.example.com
deletionPolicy: Delete
---
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata: {name: snap, namespace: default}
spec:
  volumeSnapshotClassName: local
  source: {persistentVolumeClaimName: data}
"""
        r = self.apply_file(manifest)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kubectl("get", "volumesnapshot", "snap", "-o", "jsonpath={.spec.source}")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout), {"persistentVolumeClaimName": "data"})
        r = self.kubectl("get", "vsclass")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("local.csi.example.com", r.stdout)
        r = self.kubectl("label", "volumesnapshot", "snap", "tier=gold")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kubectl("get", "volumesnapshots", "-l", "tier=gold", "-o", "name")
        self.assertEqual(r.stdout.strip(), "volumesnapshot.snapshot.storage.k8s.io/snap")
        r = self.kubectl("delete", "volumesnapshot", "snap")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kubectl("delete", "crd", "volumesnapshots.snapshot.storage.k8s.io")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kubectl("get", "crd", "-o", "name")
        self.assertNotIn("volumesnapshots.snapshot.storage.k8s.io", r.stdout)


if __name__ == "__main__":
    unittest.main()
