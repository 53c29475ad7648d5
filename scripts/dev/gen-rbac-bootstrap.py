#!/usr/bin/env python3
"""Writes embedded/rbac-bootstrap.json: the ClusterRoles and ClusterRoleBindings tug creates on
first start, taken from the bootstrap policy of Kubernetes 1.31 (the reference rbac folder).

Usage: scripts/dev/gen-rbac-bootstrap.py <reference/rbac dir> > embedded/rbac-bootstrap.json

Only the roles tug needs are kept, plus every role their aggregation rules gather, so that
admin, edit and view get their rules from the same aggregate-to-* roles as upstream.
"""

import json
import os
import sys

ROLES = ["cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user",
         "system:public-info-viewer", "system:node", "system:service-account-issuer-discovery"]
BINDINGS = ["cluster-admin", "system:discovery", "system:basic-user",
            "system:public-info-viewer", "system:node", "system:service-account-issuer-discovery"]


def items(ref, name):
    with open(os.path.join(ref, name)) as f:
        return json.load(f)["items"]


def selected(role, selector):
    # The reference roles aggregate by matchLabels only; anything else would need a real
    # selector here.
    if set(selector) - {"matchLabels"}:
        sys.exit("unsupported selector: %s" % json.dumps(selector))
    labels = role["metadata"].get("labels", {})
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


def with_aggregated(roles, names):
    keep = list(names)
    i = 0
    while i < len(keep):
        role = next(r for r in roles if r["metadata"]["name"] == keep[i])
        for selector in (role.get("aggregationRule") or {}).get("clusterRoleSelectors", []):
            for other in roles:
                name = other["metadata"]["name"]
                if name not in keep and selected(other, selector):
                    keep.append(name)
        i += 1
    return keep


def main(ref):
    roles = items(ref, "bootstrap-cluster-roles.json")
    bindings = items(ref, "bootstrap-cluster-role-bindings.json")
    keep = with_aggregated(roles, ROLES)
    kept_roles = [r for r in roles if r["metadata"]["name"] in keep]
    kept_bindings = [b for b in bindings if b["metadata"]["name"] in BINDINGS]
    if len(kept_bindings) != len(BINDINGS):
        sys.exit("a binding is missing from the reference")
    line = lambda o: json.dumps(o, sort_keys=True, separators=(",", ":"))
    out = ['{', '"clusterRoles":[']
    out.append(",\n".join(line(r) for r in kept_roles))
    out.append('],\n"clusterRoleBindings":[')
    out.append(",\n".join(line(b) for b in kept_bindings))
    out.append(']')
    out.append('}')
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
