"""Service-account tokens end to end: `kubectl create token` (the TokenRequest subresource),
the tokens as bearer credentials (who they speak for, what RBAC lets them do, that they die
with their service account or bound pod, that forged ones are refused), the issuer's OpenID
discovery documents, and `kubectl auth can-i --list` (SelfSubjectRulesReview).

Every server listens on 127.0.0.1 on a free port with its data in a temporary directory.
"""

import base64
import json
import os
import ssl
import subprocess
import time
import unittest
import urllib.error
import urllib.request

import test_rbac
from test_resources import KUBECTL, ResourcesTestCase
from test_cli import clean_env, write

ISSUER = "https://kubernetes.default.svc.cluster.local"
UNAUTHORIZED = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": "Unauthorized", "reason": "Unauthorized", "code": 401}


def b64decode(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def b64encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(token):
    return json.loads(b64decode(token.split(".")[1]))


class ServiceAccountsTest(ResourcesTestCase):
    def setUp(self):
        super().setUp()
        self.require_kubectl()

    def service_account(self, ns, name):
        """The ServiceAccount, created when it is not `default` (the controller makes that)."""
        if name != "default":
            code, body = self.call("POST", "/api/v1/namespaces/%s/serviceaccounts" % ns,
                                   {"metadata": {"name": name}})
            self.assertEqual(code, 201, body)
        path = "/api/v1/namespaces/%s/serviceaccounts/%s" % (ns, name)
        def found():
            code, body = self.call("GET", path)
            return code == 200 and body
        return self.wait_until(found, "service account %s/%s" % (ns, name))

    def create_token(self, name, *args, ns="default"):
        r = self.kubectl("create", "token", name, "-n", ns, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def kubectl_with_token(self, token, *args, binary=None):
        """kubectl authenticating with `token` only (no client certificate)."""
        config = os.path.join(self.tmp, "token-%d.kubeconfig" % time.monotonic_ns())
        write(config, json.dumps({
            "apiVersion": "v1", "kind": "Config", "current-context": "t",
            "clusters": [{"name": "c", "cluster": {
                "server": "https://127.0.0.1:%d" % self.server.port,
                "certificate-authority": os.path.join(self.tls, "server-ca.crt")}}],
            "users": [{"name": "t", "user": {"token": token}}],
            "contexts": [{"name": "t", "context": {"cluster": "c", "user": "t"}}]}))
        cache = os.path.join(self.tmp, "kube-cache-token")
        return subprocess.run([binary or KUBECTL, "--kubeconfig", config, "--cache-dir", cache,
                               *args],
                              capture_output=True, text=True, timeout=30, env=clean_env())

    def with_token(self, token, method, path, body=None):
        """(code, content type, raw body) of a request that authenticates with `token` only."""
        ctx = ssl.create_default_context(cafile=os.path.join(self.tls, "server-ca.crt"))
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request("https://127.0.0.1:%d%s" % (self.server.port, path),
                                     data=data, method=method,
                                     headers={"Authorization": "Bearer " + token})
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
                return r.status, r.headers.get("Content-Type"), r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type"), e.read()

    def assert_unauthorized(self, token):
        code, _, body = self.with_token(token, "GET", "/api/v1/namespaces/default/pods")
        self.assertEqual(code, 401, body)
        self.assertEqual(json.loads(body), UNAUTHORIZED)

    def whoami(self, token):
        r = self.kubectl_with_token(token, "auth", "whoami", "-o", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)["status"]["userInfo"]

    def reader(self, ns="team"):
        """A ServiceAccount `reader` in `ns` bound to a Role that reads pods there."""
        code, body = self.call("POST", "/api/v1/namespaces", {"metadata": {"name": ns}})
        self.assertEqual(code, 201, body)
        sa = self.service_account(ns, "reader")
        rbac = "/apis/rbac.authorization.k8s.io/v1/namespaces/%s/" % ns
        code, body = self.call("POST", rbac + "roles", {
            "metadata": {"name": "pod-reader"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]})
        self.assertEqual(code, 201, body)
        code, body = self.call("POST", rbac + "rolebindings", {
            "metadata": {"name": "reader"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                        "name": "pod-reader"},
            "subjects": [{"kind": "ServiceAccount", "name": "reader", "namespace": ns}]})
        self.assertEqual(code, 201, body)
        return sa

    def test_create_token_and_whoami(self):
        sa = self.service_account("default", "default")
        token = self.create_token("default")
        c = claims(token)
        self.assertEqual(c["iss"], ISSUER)
        self.assertEqual(c["aud"], [ISSUER])
        self.assertEqual(c["sub"], "system:serviceaccount:default:default")
        self.assertEqual(c["exp"] - c["iat"], 3600)
        self.assertEqual(c["kubernetes.io"]["serviceaccount"],
                         {"name": "default", "uid": sa["metadata"]["uid"]})

        info = self.whoami(token)
        self.assertEqual(info["username"], "system:serviceaccount:default:default")
        self.assertEqual(info["uid"], sa["metadata"]["uid"])
        self.assertEqual(info["groups"], ["system:serviceaccounts",
                                          "system:serviceaccounts:default",
                                          "system:authenticated"])
        self.assertEqual(info["extra"]["authentication.kubernetes.io/credential-id"],
                         ["JTI=" + c["jti"]])

        # Another audience and lifetime: the token says so, and the API server, which is not
        # that audience, refuses it.
        other = self.create_token("default", "--audience", "vault", "--duration", "20m")
        self.assertEqual(claims(other)["aud"], ["vault"])
        self.assertEqual(claims(other)["exp"] - claims(other)["iat"], 1200)
        self.assert_unauthorized(other)

        # The TokenRequest as the API answers it.
        code, body = self.call("POST", "/api/v1/namespaces/default/serviceaccounts/default/token",
                               {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                                "spec": {}})
        self.assertEqual(code, 201, body)
        self.assertEqual(body["kind"], "TokenRequest")
        self.assertEqual(body["spec"], {"audiences": [ISSUER], "expirationSeconds": 3600})
        self.assertRegex(body["status"]["expirationTimestamp"],
                         r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(self.whoami(body["status"]["token"])["username"],
                         "system:serviceaccount:default:default")

    def test_token_request_errors(self):
        self.service_account("default", "default")
        r = self.kubectl("create", "token", "nobody")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('serviceaccounts "nobody" not found', r.stderr)

        # kubectl sends --duration=5m as it is; the server refuses it.
        r = self.kubectl("create", "token", "default", "--duration=5m")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("spec.expirationSeconds: Invalid value: 300: may not specify a duration "
                      "less than 10 minutes", r.stderr)
        code, body = self.call("POST", "/api/v1/namespaces/default/serviceaccounts/default/token",
                               {"spec": {"expirationSeconds": 599}})
        self.assertEqual(code, 422, body)
        self.assertEqual(body["reason"], "Invalid")
        self.assertEqual(body["message"],
                         'TokenRequest.authentication.k8s.io "" is invalid: '
                         'spec.expirationSeconds: Invalid value: 599: may not specify a duration '
                         'less than 10 minutes')
        self.assertEqual(body["details"]["causes"],
                         [{"reason": "FieldValueInvalid", "field": "spec.expirationSeconds",
                           "message": "Invalid value: 599: may not specify a duration less "
                                      "than 10 minutes"}])

        r = self.kubectl("create", "token", "default", "--bound-object-kind", "Pod",
                         "--bound-object-name", "nope")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('pods "nope" not found', r.stderr)

    def test_service_account_with_role_reads_pods_in_its_namespace_only(self):
        sa = self.reader()
        token = self.create_token("reader", ns="team")
        r = self.kubectl_with_token(token, "get", "pods", "-n", "team")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("No resources found in team namespace.", r.stderr)
        r = self.kubectl_with_token(token, "get", "pods", "-n", "default")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('Error from server (Forbidden): pods is forbidden: User '
                      '"system:serviceaccount:team:reader" cannot list resource "pods" in API '
                      'group "" in the namespace "default"', r.stderr)

        # Deleting the ServiceAccount kills its tokens, also when one of the same name returns.
        code, body = self.call("DELETE", "/api/v1/namespaces/team/serviceaccounts/reader")
        self.assertEqual(code, 200, body)
        self.assert_unauthorized(token)
        r = self.kubectl_with_token(token, "get", "pods", "-n", "team")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("error: You must be logged in to the server (", r.stderr)
        again = self.service_account("team", "reader")
        self.assertNotEqual(again["metadata"]["uid"], sa["metadata"]["uid"])
        self.assert_unauthorized(token)
        fresh = self.create_token("reader", ns="team")
        self.assertEqual(self.kubectl_with_token(fresh, "get", "pods", "-n", "team").returncode,
                         0)

    def test_pod_bound_token_dies_with_the_pod(self):
        self.service_account("default", "default")
        code, pod = self.call("POST", "/api/v1/namespaces/default/pods", {
            "metadata": {"name": "web"},
            "spec": {"serviceAccountName": "default",
                     "containers": [{"name": "c", "image": "nginx"}]}})
        self.assertEqual(code, 201, pod)
        token = self.create_token("default", "--bound-object-kind", "Pod",
                                  "--bound-object-name", "web")
        self.assertEqual(claims(token)["kubernetes.io"]["pod"],
                         {"name": "web", "uid": pod["metadata"]["uid"]})
        info = self.whoami(token)
        self.assertEqual(info["extra"]["authentication.kubernetes.io/pod-name"], ["web"])
        self.assertEqual(info["extra"]["authentication.kubernetes.io/pod-uid"],
                         [pod["metadata"]["uid"]])
        code, body = self.call("DELETE", "/api/v1/namespaces/default/pods/web")
        self.assertEqual(code, 200, body)
        self.wait_until(lambda: self.call("GET", "/api/v1/namespaces/default/pods/web")[0] == 404,
                        "the pod to go")
        self.assert_unauthorized(token)
        # The service account's unbound tokens live on.
        self.assertEqual(self.whoami(self.create_token("default"))["username"],
                         "system:serviceaccount:default:default")

    def test_forged_tokens_are_refused(self):
        self.service_account("default", "default")
        token = self.create_token("default")
        header, payload, signature = token.split(".")
        c = claims(token)
        c["sub"] = "system:serviceaccount:kube-system:default"
        c["kubernetes.io"]["namespace"] = "kube-system"
        tampered = ".".join([header, b64encode(json.dumps(c).encode()), signature])
        for bad in ("garbage", "a.b.c", tampered, token[:-4] + "AAAA"):
            self.assert_unauthorized(bad)
        r = self.kubectl_with_token("garbage", "get", "pods")
        self.assertNotEqual(r.returncode, 0)
        # client-go words a 401 to discovery as upstream's servers get it worded too.
        self.assertIn("error: You must be logged in to the server (the server has asked for the "
                      "client to provide credentials)", r.stderr)

    def test_issuer_discovery_documents(self):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding, rsa

        self.service_account("default", "default")
        token = self.create_token("default")
        # Open to service accounts through the bootstrap binding.
        code, ctype, body = self.with_token(token, "GET", "/.well-known/openid-configuration")
        self.assertEqual((code, ctype), (200, "application/json"), body)
        config = json.loads(body)
        self.assertEqual(config, {"issuer": ISSUER, "jwks_uri": ISSUER + "/openid/v1/jwks",
                                  "response_types_supported": ["id_token"],
                                  "subject_types_supported": ["public"],
                                  "id_token_signing_alg_values_supported": ["RS256"]})
        code, ctype, body = self.with_token(token, "GET", "/openid/v1/jwks")
        self.assertEqual((code, ctype), (200, "application/jwk-set+json"), body)
        keys = json.loads(body)["keys"]
        self.assertEqual(len(keys), 1)
        jwk = keys[0]
        self.assertEqual((jwk["kty"], jwk["alg"], jwk["use"]), ("RSA", "RS256", "sig"))

        # The published key verifies the token's signature, and refuses a changed payload.
        header, payload, signature = token.split(".")
        self.assertEqual(json.loads(b64decode(header))["kid"], jwk["kid"])
        key = rsa.RSAPublicNumbers(int.from_bytes(b64decode(jwk["e"]), "big"),
                                   int.from_bytes(b64decode(jwk["n"]), "big")).public_key()
        key.verify(b64decode(signature), (header + "." + payload).encode(), padding.PKCS1v15(),
                   hashes.SHA256())
        with self.assertRaises(Exception):
            key.verify(b64decode(signature), (header + "." + payload + "x").encode(),
                       padding.PKCS1v15(), hashes.SHA256())

        # Others need a binding, as for any non-resource URL; strangers are not let in at all.
        alice, _, _ = test_rbac.RbacTest.user(self, "alice")
        req = urllib.request.Request("https://127.0.0.1:%d/openid/v1/jwks" % self.server.port)
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(req, context=alice, timeout=10)
        self.assertEqual(refused.exception.code, 403)
        self.assertEqual(json.loads(refused.exception.read())["message"],
                         'forbidden: User "alice" cannot get path "/openid/v1/jwks"')
        self.assertEqual(self.with_token("garbage", "GET", "/openid/v1/jwks")[0], 401)

    def test_can_i_list(self):
        r = self.kubectl("auth", "can-i", "--list")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [line.split() for line in r.stdout.splitlines()]
        self.assertEqual(lines[0], ["Resources", "Non-Resource", "URLs", "Resource", "Names",
                                    "Verbs"])
        self.assertIn(["*.*", "[]", "[]", "[*]"], lines)
        self.assertIn(["[*]", "[]", "[*]"], lines)

        self.reader()
        token = self.create_token("reader", ns="team")
        r = self.kubectl_with_token(token, "auth", "can-i", "--list", "-n", "team")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [line.split() for line in r.stdout.splitlines()]
        self.assertIn(["pods", "[]", "[]", "[get", "list]"], lines)
        self.assertIn(["selfsubjectrulesreviews.authorization.k8s.io", "[]", "[]", "[create]"],
                      lines)
        self.assertIn(["[/.well-known/openid-configuration]", "[]", "[get]"], lines)
        self.assertNotIn(["*.*", "[]", "[]", "[*]"], lines)
        r = self.kubectl_with_token(token, "auth", "can-i", "--list", "-n", "default")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(["pods", "[]", "[]", "[get", "list]"],
                         [line.split() for line in r.stdout.splitlines()])

        # kubectl 1.33 sends the access reviews as protobuf.
        newer = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"
        if os.path.exists(newer):
            for ns, answer in (("team", (0, "yes")), ("default", (1, "no"))):
                r = self.kubectl_with_token(token, "auth", "can-i", "list", "pods", "-n", ns,
                                            binary=newer)
                self.assertEqual((r.returncode, r.stdout.strip()), answer, r.stderr)
            r = self.kubectl_with_token(token, "auth", "can-i", "--list", "-n", "team",
                                        binary=newer)
            self.assertIn(["pods", "[]", "[]", "[get", "list]"],
                          [line.split() for line in r.stdout.splitlines()], r.stderr)

        # The review itself, and one without a namespace.
        code, _, body = self.with_token(
            token, "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
             "spec": {"namespace": "team"}})
        self.assertEqual(code, 201, body)
        review = json.loads(body)
        self.assertEqual(review["kind"], "SelfSubjectRulesReview")
        self.assertFalse(review["status"]["incomplete"])
        self.assertIn({"verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]},
                      review["status"]["resourceRules"])
        code, _, body = self.with_token(
            token, "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
             "spec": {}})
        self.assertEqual(code, 400, body)
        self.assertEqual(json.loads(body)["message"], "no namespace on request")


if __name__ == "__main__":
    unittest.main()
