#!/usr/bin/env python3
"""Writes embedded/openapi-schemas.json: every components.schemas definition of the OpenAPI v3
documents of the group versions tug serves (those in embedded/api-resources.json), deduplicated
by name, with structure only.

Usage: scripts/dev/gen-schemas.py <reference/openapi/v3 dir> <embedded/api-resources.json> \
           > embedded/openapi-schemas.json

Kept: type, format, required, enum, default, items, properties, additionalProperties, allOf,
oneOf, anyOf, $ref, nullable and every x-kubernetes-* extension. Dropped: descriptions and
anything else. The output is one JSON object with one definition per line, sorted by name, so
that the binary can find a definition by scanning lines without parsing the whole file.
"""

import json
import os
import sys

# Schema keywords whose value is itself a schema, a list of schemas or a map of schemas.
SCHEMA_VALUED = {"items", "additionalProperties"}
SCHEMA_LISTS = {"allOf", "oneOf", "anyOf"}
SCHEMA_MAPS = {"properties"}
# Keywords kept as they are (their values are data, not schemas).
DATA_VALUED = {"type", "format", "required", "enum", "default", "$ref", "nullable"}


def strip(schema):
    """The schema with only structural keywords, recursively."""
    if not isinstance(schema, dict):
        return schema  # additionalProperties: true/false
    out = {}
    for key, value in schema.items():
        if key in DATA_VALUED or key.startswith("x-kubernetes-"):
            out[key] = value
        elif key in SCHEMA_VALUED:
            out[key] = strip(value)
        elif key in SCHEMA_LISTS:
            out[key] = [strip(v) for v in value]
        elif key in SCHEMA_MAPS:
            out[key] = {name: strip(v) for name, v in value.items()}
    return out


def served_documents(resources_path):
    with open(resources_path) as f:
        groups = json.load(f)["groups"]
    for g in groups:
        for v in g["versions"]:
            if g["name"] == "":
                yield "api__%s_openapi.json" % v["version"]
            else:
                yield "apis__%s__%s_openapi.json" % (g["name"], v["version"])


def main(v3_dir, resources_path):
    definitions = {}
    for name in served_documents(resources_path):
        with open(os.path.join(v3_dir, name)) as f:
            doc = json.load(f)
        for key, schema in doc.get("components", {}).get("schemas", {}).items():
            definitions.setdefault(key, strip(schema))
    lines = ["%s:%s" % (json.dumps(k), json.dumps(definitions[k], sort_keys=True,
                                                    separators=(",", ":")))
             for k in sorted(definitions)]
    sys.stdout.write("{\n" + ",\n".join(lines) + "\n}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
