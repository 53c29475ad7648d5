"""RBAC on every request: the bootstrap roles exist from the first start, a user without a
binding gets upstream's 403, bindings grant what their roles hold (aggregated roles included),
and kubectl shows the refusal. Users are client certificates the test signs with the
server's client CA.

Every server listens on 127.0.0.1 on a free port with its data in a temporary directory.
"""

import json
import os
import ssl
import subprocess
import time
import unittest
import urllib.error
import urllib.request

from test_resources import ResourcesTestCase
from test_cli import clean_env, write


class RbacTestCase(ResourcesTestCase):
    """Users made of client certificates, and requests and kubectl runs as them."""

    def user(self, name, groups=()):
        """A client certificate for `name` in `groups`, signed by the server's client CA."""
        key = os.path.join(self.tmp, name + ".key")
        csr = os.path.join(self.tmp, name + ".csr")
        crt = os.path.join(self.tmp, name + ".crt")
        subject = "/CN=" + name + "".join("/O=" + g for g in groups)
        subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr,
                        "-subj", subject], check=True, capture_output=True)
        subprocess.run(["openssl", "x509", "-req", "-in", csr, "-days", "1",
                        "-CA", os.path.join(self.tls, "client-ca.crt"),
                        "-CAkey", os.path.join(self.tls, "client-ca.key"),
                        "-CAcreateserial", "-out", crt], check=True, capture_output=True)
        ctx = ssl.create_default_context(cafile=os.path.join(self.tls, "server-ca.crt"))
        ctx.load_cert_chain(crt, key)
        return ctx, crt, key

    def as_user(self, ctx, method, path, body=None, headers=(), content_type=None):
        """(code, decoded JSON body); the body as text when `content_type` is not JSON."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request("https://127.0.0.1:%d%s" % (self.server.port, path),
                                     data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", content_type or "application/json")
        for name, value in headers:
            req.add_header(name, value)
        try:
            with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
                code, text = r.status, r.read()
        except urllib.error.HTTPError as e:
            code, text = e.code, e.read()
        try:
            return code, json.loads(text)
        except ValueError:
            return code, text.decode()

    def wait_for_code(self, ctx, method, path, code, body=None, timeout=10, headers=()):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.as_user(ctx, method, path, body, headers=headers)
            if got[0] == code:
                return got
            time.sleep(0.05)
        self.fail("%s %s never answered %d: %s" % (method, path, code, got))

    def kubectl_as(self, crt, key, *args):
        config = os.path.join(self.tmp, "user-%d.kubeconfig" % time.monotonic_ns())
        write(config, json.dumps({
            "apiVersion": "v1", "kind": "Config", "current-context": "u",
            "clusters": [{"name": "c", "cluster": {
                "server": "https://127.0.0.1:%d" % self.server.port,
                "certificate-authority": os.path.join(self.tls, "server-ca.crt")}}],
            "users": [{"name": "u", "user": {"client-certificate": crt, "client-key": key}}],
            "contexts": [{"name": "u", "context": {"cluster": "c", "user": "u"}}]}))
        return subprocess.run(["kubectl", "--kubeconfig", config, *args],
                              capture_output=True, text=True, timeout=30, env=clean_env())


class RbacTest(RbacTestCase):
    def test_bootstrap_roles_exist_with_aggregated_rules(self):
        for name in ("cluster-admin", "admin", "edit", "view", "system:discovery",
                     "system:basic-user", "system:public-info-viewer", "system:node"):
            code, role = self.call(
                "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/" + name)
            self.assertEqual(code, 200, name)
        view = role = self.call("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view")[1]
        self.assertTrue(any("pods" in r.get("resources", []) and "get" in r["verbs"]
                            for r in view["rules"]), view["rules"])
        code, binding = self.call(
            "GET", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/cluster-admin")
        self.assertEqual(code, 200)
        self.assertEqual(binding["subjects"][0]["name"], "system:masters")

    def test_a_user_without_bindings_is_refused(self):
        alice, _, _ = self.user("alice")
        code, body = self.as_user(alice, "GET", "/api/v1/namespaces/default/pods")
        self.assertEqual(code, 403, body)
        self.assertEqual(body["reason"], "Forbidden")
        self.assertEqual(body["message"],
                         'pods is forbidden: User "alice" cannot list resource "pods" in API '
                         'group "" in the namespace "default"')
        self.assertEqual(body["details"], {"kind": "pods"})
        code, body = self.as_user(alice, "GET",
                                  "/apis/apps/v1/namespaces/default/deployments/web")
        self.assertEqual(code, 403, body)
        self.assertEqual(body["message"],
                         'deployments.apps "web" is forbidden: User "alice" cannot get resource '
                         '"deployments" in API group "apps" in the namespace "default"')
        code, body = self.as_user(alice, "GET", "/api/v1/nodes")
        self.assertEqual(body["message"], 'nodes is forbidden: User "alice" cannot list resource '
                                          '"nodes" in API group "" at the cluster scope')
        # Discovery and the version are open to every authenticated user.
        self.assertEqual(self.as_user(alice, "GET", "/apis")[0], 200)
        self.assertEqual(self.as_user(alice, "GET", "/api/v1")[0], 200)

    def test_bindings_grant_what_their_roles_hold(self):
        alice, _, _ = self.user("alice")
        code, body = self.call("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/"
                                       "rolebindings",
                               {"metadata": {"name": "alice-view"},
                                "roleRef": {"apiGroup": "rbac.authorization.k8s.io",
                                            "kind": "ClusterRole", "name": "view"},
                                "subjects": [{"kind": "User", "name": "alice",
                                              "apiGroup": "rbac.authorization.k8s.io"}]})
        self.assertEqual(code, 201, body)
        self.wait_for_code(alice, "GET", "/api/v1/namespaces/default/pods", 200)
        self.assertEqual(self.as_user(alice, "GET", "/api/v1/namespaces/kube-system/pods")[0],
                         403)
        self.assertEqual(self.as_user(alice, "GET", "/api/v1/namespaces/default/secrets")[0],
                         403)  # view leaves secrets out
        code, body = self.as_user(alice, "POST", "/api/v1/namespaces/default/configmaps",
                                  {"metadata": {"name": "x"}})
        self.assertEqual(code, 403, body)
        self.assertIn('cannot create resource "configmaps"', body["message"])

        # A group binding to edit, cluster-wide.
        bob, crt, key = self.user("bob", groups=("devs",))
        code, body = self.call("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
                               {"metadata": {"name": "devs-edit"},
                                "roleRef": {"apiGroup": "rbac.authorization.k8s.io",
                                            "kind": "ClusterRole", "name": "edit"},
                                "subjects": [{"kind": "Group", "name": "devs",
                                              "apiGroup": "rbac.authorization.k8s.io"}]})
        self.assertEqual(code, 201, body)
        self.wait_for_code(bob, "POST", "/api/v1/namespaces/default/configmaps", 201,
                           {"metadata": {"name": "from-bob"}})
        # Removing the binding takes the right away again.
        code, _ = self.call("DELETE",
                            "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/devs-edit")
        self.assertEqual(code, 200)
        self.wait_for_code(bob, "GET", "/api/v1/namespaces/default/configmaps", 403)

        # kubectl prints the refusal and fails.
        self.require_kubectl()
        r = self.kubectl_as(crt, key, "get", "configmaps")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('Error from server (Forbidden): configmaps is forbidden: User "bob" cannot '
                      'list resource "configmaps" in API group "" in the namespace "default"',
                      r.stderr)

    def test_whoami_and_can_i(self):
        self.require_kubectl()
        _, crt, key = self.user("carol", groups=("qa",))
        r = self.kubectl_as(crt, key, "auth", "whoami", "-o", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        info = json.loads(r.stdout)["status"]["userInfo"]
        self.assertEqual(info["username"], "carol")
        self.assertIn("qa", info["groups"])
        self.assertIn("system:authenticated", info["groups"])

        r = self.kubectl_as(crt, key, "auth", "can-i", "list", "pods")
        self.assertEqual((r.returncode, r.stdout.strip()), (1, "no"), r.stderr)
        code, body = self.call("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/"
                                       "rolebindings",
                               {"metadata": {"name": "qa-view"},
                                "roleRef": {"apiGroup": "rbac.authorization.k8s.io",
                                            "kind": "ClusterRole", "name": "view"},
                                "subjects": [{"kind": "Group", "name": "qa",
                                              "apiGroup": "rbac.authorization.k8s.io"}]})
        self.assertEqual(code, 201, body)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            r = self.kubectl_as(crt, key, "auth", "can-i", "list", "pods")
            if r.returncode == 0:
                break
            time.sleep(0.1)
        self.assertEqual((r.returncode, r.stdout.strip()), (0, "yes"), r.stderr)
        r = self.kubectl_as(crt, key, "auth", "can-i", "create", "deployments")
        self.assertEqual((r.returncode, r.stdout.strip()), (1, "no"))
        r = self.kubectl_as(crt, key, "auth", "can-i", "get", "pods", "-n", "kube-system")
        self.assertEqual((r.returncode, r.stdout.strip()), (1, "no"))

        # The admin asks about someone else, with the reason RBAC gives.
        code, review = self.call("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                                 {"apiVersion": "authorization.k8s.io/v1",
                                  "kind": "SubjectAccessReview",
                                  "spec": {"user": "dave", "groups": ["qa"],
                                           "resourceAttributes": {"namespace": "default",
                                                                  "verb": "get",
                                                                  "resource": "pods"}}})
        self.assertEqual(code, 201, review)
        self.assertTrue(review["status"]["allowed"])
        self.assertIn('RoleBinding "qa-view/default" of ClusterRole "view" to Group "qa"',
                      review["status"]["reason"])
        code, review = self.call(
            "POST", "/apis/authorization.k8s.io/v1/namespaces/kube-system/"
                    "localsubjectaccessreviews",
            {"spec": {"user": "dave", "groups": ["qa"],
                      "resourceAttributes": {"verb": "get", "resource": "pods"}}})
        self.assertEqual(code, 201, review)
        self.assertFalse(review["status"]["allowed"])
        code, review = self.call("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                                 {"spec": {"user": "dave"}})
        self.assertEqual(code, 422, review)


RBAC = "/apis/rbac.authorization.k8s.io/v1"


def binding(name, kind, role, subject_kind, subject):
    return {"metadata": {"name": name},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": role},
            "subjects": [{"kind": subject_kind, "name": subject,
                          "apiGroup": "rbac.authorization.k8s.io"}]}


def role(name, rules, **extra):
    return dict({"metadata": {"name": name}, "rules": rules}, **extra)


class EscalationTest(RbacTestCase):
    """Nobody grants through RBAC what they do not hold, unless allowed escalate or bind."""

    def setUp(self):
        super().setUp()
        # dana administers the namespace default (the aggregated admin role: roles and
        # rolebindings included, nodes and cluster-wide rules not).
        code, body = self.call("POST", RBAC + "/namespaces/default/rolebindings",
                               binding("dana-admin", "ClusterRole", "admin", "User", "dana"))
        self.assertEqual(code, 201, body)
        self.dana, self.dana_crt, self.dana_key = self.user("dana")
        self.wait_for_code(self.dana, "GET", RBAC + "/namespaces/default/roles", 200)

    def refused(self, path, body, method="POST", ctx=None, content_type=None):
        code, reply = self.as_user(ctx or self.dana, method, path, body,
                                   content_type=content_type)
        self.assertEqual(code, 403, reply)
        self.assertEqual(reply["reason"], "Forbidden")
        return reply

    def test_roles_grant_only_what_their_author_holds(self):
        roles = RBAC + "/namespaces/default/roles"
        code, body = self.as_user(self.dana, "POST", roles, role("pod-reader", [
            {"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list"]}]))
        self.assertEqual(code, 201, body)
        reply = self.refused(roles, role("node-reader", [
            {"apiGroups": [""], "resources": ["nodes"], "verbs": ["get", "list"]},
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]))
        self.assertEqual(reply["message"],
                         'roles.rbac.authorization.k8s.io "node-reader" is forbidden: user "dana" '
                         '(groups=["system:authenticated"]) is attempting to grant RBAC '
                         'permissions not currently held:\n'
                         '{APIGroups:[""], Resources:["nodes"], Verbs:["get" "list"]}')
        self.assertEqual(reply["details"], {"name": "node-reader",
                                            "group": "rbac.authorization.k8s.io",
                                            "kind": "roles"})
        # A wildcard is held only by who holds the wildcard.
        reply = self.refused(roles, role("all-pods", [
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["*"]}]))
        self.assertIn('{APIGroups:[""], Resources:["pods"], Verbs:["*"]}', reply["message"])
        # Update and patch are checked as create is.
        code, current = self.as_user(self.dana, "GET", roles + "/pod-reader")
        self.assertEqual(code, 200, current)
        current["rules"].append({"apiGroups": ["apps"], "resources": ["deployments/scale"],
                                 "verbs": ["update"]})
        self.assertEqual(self.as_user(self.dana, "PUT", roles + "/pod-reader", current)[0], 200)
        current = self.as_user(self.dana, "GET", roles + "/pod-reader")[1]
        current["rules"].append({"apiGroups": [""], "resources": ["nodes"], "verbs": ["get"]})
        reply = self.refused(roles + "/pod-reader", current, method="PUT")
        self.assertIn('{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}', reply["message"])
        reply = self.refused(roles + "/pod-reader", {"rules": [
            {"apiGroups": [""], "resources": [""], "nonResourceURLs": [], "verbs": ["get"]},
            {"apiGroups": ["*"], "resources": ["secrets"], "verbs": ["get"]}]},
            method="PATCH", content_type="application/merge-patch+json")
        self.assertIn('{APIGroups:["*"], Resources:["secrets"], Verbs:["get"]}',
                      reply["message"])
        # A cluster role is checked against cluster-wide rules.
        erin = self.grant_cluster_role_writes()
        reply = self.refused(RBAC + "/clusterroles", role("pods-everywhere", [
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]), ctx=erin)
        self.assertTrue(reply["message"].startswith(
            'clusterroles.rbac.authorization.k8s.io "pods-everywhere" is forbidden: user "erin" '
            '(groups=["system:authenticated"]) is attempting to grant RBAC permissions not '
            'currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["get"]}'), reply)
        # Nothing refused was stored.
        self.assertEqual(self.call("GET", roles + "/node-reader")[0], 404)
        self.assertEqual(self.call("GET", RBAC + "/clusterroles/pods-everywhere")[0], 404)

    def grant_cluster_role_writes(self):
        """erin may write cluster roles but holds nothing else."""
        code, body = self.call("POST", RBAC + "/clusterroles", role("role-writer", [
            {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"],
             "verbs": ["create", "get", "update", "patch"]}]))
        self.assertEqual(code, 201, body)
        code, body = self.call("POST", RBAC + "/clusterrolebindings",
                               binding("erin", "ClusterRole", "role-writer", "User", "erin"))
        self.assertEqual(code, 201, body)
        erin, _, _ = self.user("erin")
        self.wait_for_code(erin, "GET", RBAC + "/clusterroles/role-writer", 200)
        return erin

    def test_escalate_allows_granting_more(self):
        erin = self.grant_cluster_role_writes()
        aggregated = role("gather", [], aggregationRule={"clusterRoleSelectors": [
            {"matchLabels": {"x": "y"}}]})
        reply = self.refused(RBAC + "/clusterroles", aggregated, ctx=erin)
        self.assertEqual(reply["message"],
                         'clusterroles.rbac.authorization.k8s.io "gather" is forbidden: must have '
                         'cluster-admin privileges to use the aggregationRule')
        # escalate on one named cluster role: only that one may grant more.
        code, body = self.call("POST", RBAC + "/clusterroles", role("escalate-big", [
            {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"],
             "verbs": ["escalate"], "resourceNames": ["big"]}]))
        self.assertEqual(code, 201, body)
        code, body = self.call("POST", RBAC + "/clusterrolebindings",
                               binding("erin-escalate", "ClusterRole", "escalate-big", "User",
                                       "erin"))
        self.assertEqual(code, 201, body)
        code, big = self.call("POST", RBAC + "/clusterroles", role("big", []))
        self.assertEqual(code, 201, big)
        big["rules"] = [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["*"]}]
        self.wait_for_code(erin, "PUT", RBAC + "/clusterroles/big", 200, big)
        small = role("small", [])
        self.assertEqual(self.as_user(erin, "POST", RBAC + "/clusterroles", small)[0], 201)
        small = self.as_user(erin, "GET", RBAC + "/clusterroles/small")[1]
        small["rules"] = [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]
        self.refused(RBAC + "/clusterroles/small", small, method="PUT", ctx=erin)

        # Aggregation by system:masters keeps working: admin's gathering is not refused.
        code, body = self.call("POST", RBAC + "/clusterroles", role(
            "widgets-view", [{"apiGroups": ["example.com"], "resources": ["widgets"],
                              "verbs": ["get"]}],
            metadata={"name": "widgets-view",
                      "labels": {"rbac.authorization.k8s.io/aggregate-to-view": "true"}}))
        self.assertEqual(code, 201, body)
        code, body = self.call("POST", RBAC + "/clusterroles", aggregated)
        self.assertEqual(code, 201, body)

    def test_bindings_need_the_role_or_bind(self):
        rolebindings = RBAC + "/namespaces/default/rolebindings"
        # view is within admin: dana may hand it out in default.
        code, body = self.as_user(self.dana, "POST", rolebindings,
                                  binding("frank-view", "ClusterRole", "view", "User", "frank"))
        self.assertEqual(code, 201, body)
        reply = self.refused(rolebindings, binding("frank-root", "ClusterRole", "cluster-admin",
                                                   "User", "frank"))
        self.assertEqual(reply["message"],
                         'rolebindings.rbac.authorization.k8s.io "frank-root" is forbidden: user '
                         '"dana" (groups=["system:authenticated"]) is attempting to grant RBAC '
                         'permissions not currently held:\n'
                         '{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n'
                         '{NonResourceURLs:["*"], Verbs:["*"]}')
        # A missing role leaves nothing to compare with (upstream: NotFound).
        code, body = self.as_user(self.dana, "POST", rolebindings,
                                  binding("frank-none", "ClusterRole", "no-such-role", "User",
                                          "frank"))
        self.assertEqual(code, 404, body)
        self.assertEqual(body["message"],
                         'clusterroles.rbac.authorization.k8s.io "no-such-role" not found')
        code, body = self.as_user(self.dana, "POST", rolebindings,
                                  binding("x", "Role", "missing", "User", "frank"))
        self.assertEqual(code, 404, body)
        self.assertEqual(body["message"], 'roles.rbac.authorization.k8s.io "missing" not found')

        # bind on cluster-admin, in default only, lets dana bind it there.
        code, body = self.call("POST", RBAC + "/namespaces/default/roles", role("binder", [
            {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"],
             "verbs": ["bind"], "resourceNames": ["cluster-admin"]}]))
        self.assertEqual(code, 201, body)
        code, body = self.call("POST", rolebindings,
                               binding("dana-binder", "Role", "binder", "User", "dana"))
        self.assertEqual(code, 201, body)
        self.wait_for_code(self.dana, "POST", rolebindings, 201,
                           binding("frank-root", "ClusterRole", "cluster-admin", "User", "frank"))
        # The same as a ClusterRoleBinding is a cluster-wide write dana may not make at all.
        code, body = self.as_user(self.dana, "POST", RBAC + "/clusterrolebindings",
                                  binding("frank-root", "ClusterRole", "cluster-admin", "User",
                                          "frank"))
        self.assertEqual(code, 403, body)
        self.assertIn('cannot create resource "clusterrolebindings"', body["message"])

    def test_kubectl_shows_the_refusal(self):
        self.require_kubectl()
        r = self.kubectl_as(self.dana_crt, self.dana_key, "create", "role", "nodes",
                            "--verb=get", "--resource=nodes")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('roles.rbac.authorization.k8s.io "nodes" is forbidden: user "dana" '
                      '(groups=["system:authenticated"]) is attempting to grant RBAC permissions '
                      'not currently held:\n{APIGroups:[""], Resources:["nodes"], '
                      'Verbs:["get"]}', r.stderr)
        r = self.kubectl_as(self.dana_crt, self.dana_key, "create", "role", "pods",
                            "--verb=get", "--resource=pods")
        self.assertEqual(r.returncode, 0, r.stderr)
        # The admin acting as dana is refused the same way.
        r = self.kubectl("create", "rolebinding", "y", "--clusterrole=cluster-admin",
                         "--user=frank", "--as", "dana")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('user "dana" (groups=["system:authenticated"]) is attempting to grant',
                      r.stderr)


class AnonymousTest(RbacTestCase):
    """Requests without credentials are system:anonymous in system:unauthenticated, authorized
    by RBAC: the bootstrap binding system:public-info-viewer opens the health endpoints and the
    version; whatever RBAC refuses them is 401 (upstream: 403)."""

    def anonymous(self):
        return ssl.create_default_context(cafile=os.path.join(self.tls, "server-ca.crt"))

    def get(self, path, headers=()):
        req = urllib.request.Request("https://127.0.0.1:%d%s" % (self.server.port, path))
        for name, value in headers:
            req.add_header(name, value)
        try:
            with urllib.request.urlopen(req, context=self.anonymous(), timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def test_public_paths_and_401_for_the_rest(self):
        for path in ("/healthz", "/livez", "/readyz", "/version", "/version/"):
            code, body = self.get(path)
            self.assertEqual(code, 200, (path, body))
        for path in ("/api", "/apis", "/api/v1/namespaces", "/metrics", "/healthz/datastore",
                     "/openapi/v2", "/api/v1/namespaces/default/pods/x", "/nosuch"):
            code, body = self.get(path)
            self.assertEqual(code, 401, (path, body))
            self.assertEqual(json.loads(body), {
                "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": "Unauthorized", "reason": "Unauthorized", "code": 401})
        # Trying to impersonate without credentials is refused the same way.
        self.assertEqual(self.get("/version", [("Impersonate-User", "admin")])[0], 401)
        # A bad token is never anonymous.
        self.assertEqual(self.get("/version", [("Authorization", "Bearer nope")])[0], 401)

    def test_rbac_decides_for_anonymous(self):
        # Without the bootstrap binding the version is closed too.
        code, saved = self.call("GET", RBAC + "/clusterrolebindings/system:public-info-viewer")
        self.assertEqual(code, 200, saved)
        self.assertEqual(
            [s["name"] for s in saved["subjects"]],
            ["system:authenticated", "system:unauthenticated"])
        code, body = self.call("DELETE",
                               RBAC + "/clusterrolebindings/system:public-info-viewer")
        self.assertEqual(code, 200, body)
        self.wait_until(lambda: self.get("/version")[0] == 401, "the version to close")
        self.assertEqual(self.get("/healthz")[0], 401)
        # A binding to system:unauthenticated opens what it grants.
        code, body = self.call("POST", RBAC + "/clusterrolebindings",
                               binding("anon-ns", "ClusterRole", "view", "Group",
                                       "system:unauthenticated"))
        self.assertEqual(code, 201, body)
        code, body = self.wait_until(
            lambda: (lambda r: r if r[0] == 200 else None)(
                self.get("/api/v1/namespaces/default/configmaps")), "anonymous reads")
        self.assertEqual(json.loads(body)["kind"], "ConfigMapList")
        self.assertEqual(self.get("/api/v1/namespaces/default/secrets")[0], 401)
        # whoami as anonymous needs a grant too; with one it says who anonymous is.
        code, body = self.call("POST", RBAC + "/clusterroles", role("whoami", [
            {"apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"],
             "verbs": ["create"]}]))
        self.assertEqual(code, 201, body)
        code, body = self.call("POST", RBAC + "/clusterrolebindings",
                               binding("anon-whoami", "ClusterRole", "whoami", "User",
                                       "system:anonymous"))
        self.assertEqual(code, 201, body)
        anon = self.anonymous()
        code, review = self.wait_for_code(
            anon, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", 201,
            {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})
        self.assertEqual(review["status"]["userInfo"],
                         {"username": "system:anonymous", "groups": ["system:unauthenticated"]})


if __name__ == "__main__":
    unittest.main()
