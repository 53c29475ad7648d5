#!/usr/bin/env python3
"""Writes embedded/api-resources.json: the built-in resources a default Kubernetes 1.31 server
serves (GA group versions only), in discovery order, from the reference discovery bodies.

Usage: scripts/dev/gen-api-resources.py <reference/discovery dir> > embedded/api-resources.json
Only structure is kept (names, kinds, scope, verbs, short names, categories, storage hashes).
"""

import json
import os
import re
import sys

KEEP = ["name", "singularName", "namespaced", "group", "version", "kind", "verbs",
        "shortNames", "categories", "storageVersionHash"]


def ga(version):
    return re.fullmatch(r"v\d+", version) is not None


def resources(path):
    with open(path) as f:
        body = json.load(f)
    return [{k: r[k] for k in KEEP if k in r} for r in body["resources"]]


def main(ref):
    with open(os.path.join(ref, "apis.json")) as f:
        apis = json.load(f)
    groups = [{"name": "", "versions": [{"version": "v1",
                                         "resources": resources(os.path.join(ref, "api__v1.json"))}]}]
    for g in apis["groups"]:
        versions = [v["version"] for v in g["versions"] if ga(v["version"])]
        if not versions:
            continue
        preferred = g["preferredVersion"]["version"]
        versions.sort(key=lambda v: v != preferred)  # preferred first, then discovery order
        groups.append({"name": g["name"], "versions": [
            {"version": v,
             "resources": resources(os.path.join(ref, "apis__%s__%s.json" % (g["name"], v)))}
            for v in versions]})
    json.dump({"groups": groups}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
