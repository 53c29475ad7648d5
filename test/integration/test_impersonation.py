"""Impersonation: Impersonate-User, -Group, -Uid and -Extra-<key> headers let a requester
allowed the verb `impersonate` act as someone else, as upstream's filter does; the real
kubectl's --as, --as-group and --as-uid go through it, and so do `auth can-i` and
`auth whoami`. Users are client certificates the test signs with the server's client CA.
"""

import json
import time
import unittest

import test_rbac

RBAC = "/apis/rbac.authorization.k8s.io/v1"
WHOAMI = "/apis/authentication.k8s.io/v1/selfsubjectreviews"
REVIEW = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}


class ImpersonationTest(test_rbac.RbacTestCase):
    def setUp(self):
        super().setUp()
        # "imp" may act as alice, as the group devs, as the service account default/builder,
        # as the uid u-1 and with the extra scopes=view; nothing else.
        code, body = self.call("POST", RBAC + "/clusterroles", {
            "metadata": {"name": "impersonator"},
            "rules": [
                {"apiGroups": [""], "resources": ["users"], "verbs": ["impersonate"],
                 "resourceNames": ["alice"]},
                {"apiGroups": [""], "resources": ["groups"], "verbs": ["impersonate"],
                 "resourceNames": ["devs"]},
                {"apiGroups": [""], "resources": ["serviceaccounts"], "verbs": ["impersonate"],
                 "resourceNames": ["builder"]},
                {"apiGroups": ["authentication.k8s.io"], "resources": ["uids"],
                 "verbs": ["impersonate"], "resourceNames": ["u-1"]},
                {"apiGroups": ["authentication.k8s.io"], "resources": ["userextras/scopes"],
                 "verbs": ["impersonate"], "resourceNames": ["view"]}]})
        self.assertEqual(code, 201, body)
        code, body = self.call("POST", RBAC + "/clusterrolebindings", {
            "metadata": {"name": "imp"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                        "name": "impersonator"},
            "subjects": [{"kind": "User", "name": "imp",
                          "apiGroup": "rbac.authorization.k8s.io"}]})
        self.assertEqual(code, 201, body)
        self.imp, self.imp_crt, self.imp_key = self.user("imp")

    def whoami(self, headers):
        code, review = self.as_user(self.imp, "POST", WHOAMI, REVIEW, headers=headers)
        self.assertEqual(code, 201, review)
        return review["status"]["userInfo"]

    def test_acting_as_an_allowed_user_with_groups_uid_and_extras(self):
        info = self.wait_until(
            lambda: self.as_user(self.imp, "POST", WHOAMI, REVIEW,
                                 headers=[("Impersonate-User", "alice")])[0] == 201 and
            self.whoami([("Impersonate-User", "alice")]), "the binding to apply")
        self.assertEqual(info, {"username": "alice", "groups": ["system:authenticated"]})

        info = self.whoami([("Impersonate-User", "alice"), ("Impersonate-Group", "devs"),
                            ("Impersonate-Uid", "u-1"), ("Impersonate-Extra-Scopes", "view")])
        self.assertEqual(info, {"username": "alice", "uid": "u-1",
                                "groups": ["devs", "system:authenticated"],
                                "extra": {"scopes": ["view"]}})

        # A service account gets its groups when none are given.
        info = self.whoami([("Impersonate-User", "system:serviceaccount:default:builder")])
        self.assertEqual(info, {"username": "system:serviceaccount:default:builder",
                                "groups": ["system:serviceaccounts",
                                           "system:serviceaccounts:default",
                                           "system:authenticated"]})

        # The request is then authorized as alice, who may not list pods until bound.
        code, body = self.as_user(self.imp, "GET", "/api/v1/namespaces/default/pods",
                                  headers=[("Impersonate-User", "alice")])
        self.assertEqual(code, 403, body)
        self.assertEqual(body["message"],
                         'pods is forbidden: User "alice" cannot list resource "pods" in API '
                         'group "" in the namespace "default"')
        code, body = self.call("POST", RBAC + "/namespaces/default/rolebindings", {
            "metadata": {"name": "alice-view"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                        "name": "view"},
            "subjects": [{"kind": "User", "name": "alice",
                          "apiGroup": "rbac.authorization.k8s.io"}]})
        self.assertEqual(code, 201, body)
        self.wait_for_code(self.imp, "GET", "/api/v1/namespaces/default/pods", 200,
                           headers=[("Impersonate-User", "alice")])
        # imp itself still may not.
        self.assertEqual(self.as_user(self.imp, "GET", "/api/v1/namespaces/default/pods")[0],
                         403)

    def test_refusals_name_what_may_not_be_impersonated(self):
        # Let the binding apply first.
        self.wait_for_code(self.imp, "POST", WHOAMI, 201, REVIEW,
                           headers=[("Impersonate-User", "alice")])
        cases = [
            ([("Impersonate-User", "bob")],
             'users "bob" is forbidden: User "imp" cannot impersonate resource "users" in API '
             'group "" at the cluster scope', {"name": "bob", "kind": "users"}),
            ([("Impersonate-User", "alice"), ("Impersonate-Group", "devs"),
              ("Impersonate-Group", "system:masters")],
             'groups "system:masters" is forbidden: User "imp" cannot impersonate resource '
             '"groups" in API group "" at the cluster scope',
             {"name": "system:masters", "kind": "groups"}),
            ([("Impersonate-User", "system:serviceaccount:kube-system:deployer")],
             'serviceaccounts "deployer" is forbidden: User "imp" cannot impersonate resource '
             '"serviceaccounts" in API group "" in the namespace "kube-system"',
             {"name": "deployer", "kind": "serviceaccounts"}),
            ([("Impersonate-User", "alice"), ("Impersonate-Uid", "u-2")],
             'uids.authentication.k8s.io "u-2" is forbidden: User "imp" cannot impersonate '
             'resource "uids" in API group "authentication.k8s.io" at the cluster scope',
             {"name": "u-2", "group": "authentication.k8s.io", "kind": "uids"}),
            ([("Impersonate-User", "alice"), ("Impersonate-Extra-Scopes", "edit")],
             'userextras.authentication.k8s.io "edit" is forbidden: User "imp" cannot '
             'impersonate resource "userextras/scopes" in API group "authentication.k8s.io" '
             'at the cluster scope',
             {"name": "edit", "group": "authentication.k8s.io", "kind": "userextras"}),
        ]
        for headers, message, details in cases:
            code, body = self.as_user(self.imp, "GET", "/api/v1/namespaces/default/pods",
                                      headers=headers)
            self.assertEqual(code, 403, (headers, body))
            self.assertEqual(body["reason"], "Forbidden")
            self.assertEqual(body["message"], message)
            self.assertEqual(body["details"], details)
        # A user with no impersonate rule at all.
        eve, _, _ = self.user("eve")
        code, body = self.as_user(eve, "GET", "/api", headers=[("Impersonate-User", "x")])
        self.assertEqual(code, 403, body)
        self.assertEqual(body["message"], 'users "x" is forbidden: User "eve" cannot impersonate '
                                          'resource "users" in API group "" at the cluster scope')

    def test_groups_without_a_user_are_refused(self):
        # Upstream answers this with its plain-text internal error.
        code, text = self.as_user(self.imp, "GET", "/api/v1/namespaces?limit=1",
                                  headers=[("Impersonate-Group", "devs")])
        self.assertEqual(code, 500, text)
        self.assertEqual(text, 'Internal Server Error: "/api/v1/namespaces?limit=1": requested '
                               '[{Group  devs    }] without impersonating a user\n')
        code, text = self.as_user(self.imp, "GET", "/api",
                                  headers=[("Impersonate-Uid", "u-1")])
        self.assertEqual(code, 500, text)
        self.assertIn('requested [{UID  u-1  authentication.k8s.io/v1  }] without impersonating '
                      'a user', text)

    def test_kubectl_as(self):
        self.require_kubectl()
        # The admin (system:masters) may impersonate anyone.
        r = self.kubectl("auth", "whoami", "--as", "bob", "--as-group", "qa", "-o", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["status"]["userInfo"],
                         {"username": "bob", "groups": ["qa", "system:authenticated"]})
        r = self.kubectl("get", "pods", "--as", "bob")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('Error from server (Forbidden): pods is forbidden: User "bob" cannot list '
                      'resource "pods" in API group "" in the namespace "default"', r.stderr)
        r = self.kubectl("auth", "can-i", "list", "pods", "--as", "bob")
        self.assertEqual((r.returncode, r.stdout.strip()), (1, "no"), r.stderr)
        r = self.kubectl("auth", "can-i", "list", "pods", "--as", "bob",
                         "--as-group", "system:masters")
        self.assertEqual((r.returncode, r.stdout.strip()), (0, "yes"), r.stderr)

        # imp, through its own kubeconfig: alice yes, bob no.
        deadline = time.monotonic() + 10
        while True:
            r = self.kubectl_as(self.imp_crt, self.imp_key, "auth", "whoami", "--as", "alice",
                                "--as-uid", "u-1", "-o", "json")
            if r.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["status"]["userInfo"],
                         {"username": "alice", "uid": "u-1",
                          "groups": ["system:authenticated"]})
        r = self.kubectl_as(self.imp_crt, self.imp_key, "auth", "can-i", "get", "pods",
                            "--as", "bob")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('users "bob" is forbidden: User "imp" cannot impersonate resource "users" '
                      'in API group "" at the cluster scope', r.stderr)
        r = self.kubectl_as(self.imp_crt, self.imp_key, "auth", "can-i", "impersonate",
                            "users/alice")
        self.assertEqual((r.returncode, r.stdout.strip()), (0, "yes"), r.stderr)
        r = self.kubectl_as(self.imp_crt, self.imp_key, "get", "pods", "--as", "alice",
                            "--as-group", "devs")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('User "alice" cannot list resource "pods"', r.stderr)


if __name__ == "__main__":
    unittest.main()
