#!/usr/bin/env python3
"""The protobuf type table behind tug's protobuf request-body decoder.

Two modes:

  gen-proto-types.py table <proto-root> <k8s.io/api checkout> <k8s.io/apimachinery checkout> > embedded/proto-types.txt
      Development time. Reads every generated.proto under <proto-root> for the wire structure
      (message names, field numbers and types) and the Go types.go files of the two checkouts
      for what the wire cannot say: each field's JSON name (inline fields included), whether
      Go keeps a zero value (pointer or no omitempty), named slice types (ExtraValue), and each
      package's API group. The checkouts may be git directories (read with git show HEAD:...).

  gen-proto-types.py cc <proto-types.txt> <out.cc>
      Build time. Turns the table into constant C++ arrays (no parsing or heap at run time),
      declared in src/api/protobuf/proto_table.h.

Table format (text, one record per line, fields separated by single spaces):
  G <group> <version> <proto package>           an API group version and its package
  M <full message name> <special>               a message; special is '-' or one of
                                                time microtime duration quantity intorstring
                                                rawjson array
  F <number> <json name|-> <type> <flags>       a field of the message above; '-' is inline;
                                                type is string bytes bool int32 int64 or a full
                                                message name; flags: r repeated, m map (key is a
                                                string), k keep zero values, '-' none
"""
import os
import re
import subprocess
import sys

SCALARS = {"string", "bytes", "bool", "int32", "int64"}

SPECIAL = {
    "k8s.io.apimachinery.pkg.apis.meta.v1.Time": "time",
    "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime": "microtime",
    "k8s.io.apimachinery.pkg.apis.meta.v1.Duration": "duration",
    "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1": "rawjson",
    "k8s.io.apimachinery.pkg.runtime.RawExtension": "rawjson",
    "k8s.io.apimachinery.pkg.api.resource.Quantity": "quantity",
    "k8s.io.apimachinery.pkg.api.resource.QuantityValue": "quantity",
    "k8s.io.apimachinery.pkg.util.intstr.IntOrString": "intorstring",
}


# ---- .proto files ----

def parse_proto(text):
    """(package, {message: [(number, name, type, repeated, is_map)]})"""
    package = re.search(r"^package ([\w.]+);", text, re.M).group(1)
    messages = {}
    current = None
    depth = 0
    for raw in text.splitlines():
        line = raw.split("//")[0].strip()
        m = re.match(r"message (\w+) \{", line)
        if m:
            if depth != 0:
                sys.exit("nested messages are not supported: " + line)
            current = m.group(1)
            messages[current] = []
            depth = 1
            continue
        if line == "}":
            depth -= 1
            current = None
            continue
        if current is None or not line:
            continue
        m = re.match(r"(optional|repeated) ([\w.]+) (\w+) = (\d+)(?: \[.*\])?;", line)
        if m:
            label, ftype, name, num = m.groups()
            messages[current].append((int(num), name, qualify(ftype, package), label == "repeated", False))
            continue
        m = re.match(r"map<string, ([\w.]+)> (\w+) = (\d+);", line)
        if m:
            ftype, name, num = m.groups()
            messages[current].append((int(num), name, qualify(ftype, package), False, True))
            continue
        sys.exit("unrecognised proto line in %s: %r" % (package, raw))
    return package, messages


def qualify(ftype, package):
    if ftype in SCALARS:
        return ftype
    if ftype.startswith("."):
        return ftype[1:]
    if ftype[0].isupper():
        return package + "." + ftype
    sys.exit("unsupported proto type " + ftype)


# ---- Go sources ----

class GoSource:
    """Reads files of a checkout, either a work tree or a bare git directory."""

    def __init__(self, root):
        self.root = root
        self.git = not os.path.isdir(os.path.join(root, "core")) and not os.path.isdir(
            os.path.join(root, "pkg"))

    def files(self, directory):
        if self.git:
            out = subprocess.run(["git", "-C", self.root, "ls-tree", "--name-only", "HEAD",
                                  directory + "/"], capture_output=True, text=True).stdout
            return [p for p in out.split() if p.endswith(".go") and not p.endswith("_test.go")]
        full = os.path.join(self.root, directory)
        if not os.path.isdir(full):
            return []
        return [os.path.join(directory, f) for f in sorted(os.listdir(full))
                if f.endswith(".go") and not f.endswith("_test.go")]

    def read(self, path):
        if self.git:
            return subprocess.run(["git", "-C", self.root, "show", "HEAD:" + path],
                                  capture_output=True, text=True, check=True).stdout
        with open(os.path.join(self.root, path)) as f:
            return f.read()


FIELD_RE = re.compile(r"^\s*(?:(\w+)\s+)?([^\s`]+)\s+`([^`]*)`")


def parse_go_package(source, directory):
    """({struct: {field number: (json name, keep zero, inline)}}, {slice type names}, group)"""
    structs, slices, group = {}, set(), None
    for path in source.files(directory):
        text = source.read(path)
        m = re.search(r'^// \+groupName=([\w.]*)|^const GroupName = "([\w.]*)"', text, re.M)
        if m:
            group = m.group(1) if m.group(1) is not None else m.group(2)
        for m in re.finditer(r"^type (\w+) \[\]", text, re.M):
            slices.add(m.group(1))
        for m in re.finditer(r"^type (\w+) struct \{\n(.*?)^\}", text, re.M | re.S):
            fields = {}
            for line in m.group(2).splitlines():
                fm = FIELD_RE.match(line)
                if not fm:
                    continue
                gotype, tags = fm.group(2), fm.group(3)
                pm = re.search(r'protobuf:"\w+,(\d+),', tags)
                if not pm:
                    continue
                jm = re.search(r'json:"([^"]*)"', tags)
                parts = (jm.group(1) if jm else "").split(",")
                json_name = parts[0]
                inline = json_name == "" and (fm.group(1) is None or "inline" in parts)
                if json_name == "-":
                    continue
                pointer = gotype.startswith("*")
                keep_zero = pointer or "omitempty" not in parts
                fields[int(pm.group(1))] = (json_name, keep_zero, inline)
            if fields:
                structs[m.group(1)] = fields
    return structs, slices, group


def go_directory(package):
    """k8s.io.api.core.v1 -> (repo, core/v1)"""
    if package.startswith("k8s.io.api."):
        return "api", package[len("k8s.io.api."):].replace(".", "/")
    if package.startswith("k8s.io.apimachinery."):
        return "apimachinery", package[len("k8s.io.apimachinery."):].replace(".", "/")
    return None, None


def make_table(proto_root, api_root, machinery_root):
    sources = {"api": GoSource(api_root), "apimachinery": GoSource(machinery_root)}
    packages = {}
    for dirpath, _, files in os.walk(proto_root):
        for f in files:
            if f.endswith(".proto"):
                with open(os.path.join(dirpath, f)) as fh:
                    package, messages = parse_proto(fh.read())
                if ".testapigroup." not in package:  # apimachinery's own test types
                    packages[package] = messages

    out, renamed, missing = [], [], []
    groups = []
    for package in sorted(packages):
        repo, directory = go_directory(package)
        structs, slices, group = ({}, set(), None)
        if repo:
            structs, slices, group = parse_go_package(sources[repo], directory)
        if repo == "api" and group is not None:
            groups.append((group, package.rsplit(".", 1)[1], package))
        for name in sorted(packages[package]):
            full = package + "." + name
            fields = packages[package][name]
            special = SPECIAL.get(full, "-")
            if special == "-" and name in slices and [f[1] for f in fields] == ["items"]:
                special = "array"
            out.append("M %s %s" % (full, special))
            go = structs.get(name)
            if go is None and special == "-" and fields:
                missing.append(full)
            for num, pname, ftype, repeated, is_map in sorted(fields):
                json_name, keep_zero, inline = pname, False, False
                if go is not None and num in go:
                    json_name, keep_zero, inline = go[num]
                elif go is not None:
                    missing.append(full + "." + pname)
                if json_name != pname and not inline:
                    renamed.append("%s.%s -> %s" % (full, pname, json_name))
                flags = ("r" if repeated else "") + ("m" if is_map else "") + ("k" if keep_zero else "")
                out.append("F %d %s %s %s" % (num, "-" if inline else json_name, ftype, flags or "-"))
    for g in sorted(groups):
        out.insert(0, "G %s %s %s" % ("-" if g[0] == "" else g[0], g[1], g[2]))
    for r in renamed:
        print("renamed: " + r, file=sys.stderr)
    for m in missing:
        print("no Go field information (defaults used): " + m, file=sys.stderr)
    return "\n".join(out) + "\n"


# ---- C++ output ----

def make_cc(table_text):
    groups, messages = [], []
    for line in table_text.splitlines():
        parts = line.split(" ")
        if parts[0] == "G":
            groups.append(("" if parts[1] == "-" else parts[1], parts[2], parts[3]))
        elif parts[0] == "M":
            messages.append((parts[1], parts[2], []))
        elif parts[0] == "F":
            messages[-1][2].append((int(parts[1]), parts[2], parts[3], parts[4]))
    messages.sort(key=lambda m: m[0])
    index = {m[0]: i for i, m in enumerate(messages)}
    kinds = {"string": "kString", "bytes": "kBytes", "bool": "kBool", "int32": "kInt32",
             "int64": "kInt64"}
    specials = {"-": "kNone", "time": "kTime", "microtime": "kMicroTime", "duration": "kDuration",
                "quantity": "kQuantity", "intorstring": "kIntOrString", "rawjson": "kRawJson",
                "array": "kArray"}
    lines = ["// Generated by scripts/dev/gen-proto-types.py from embedded/proto-types.txt.",
             '#include "api/protobuf/proto_table.h"', "", "namespace tug::api::protobuf {", "",
             "const ProtoField kProtoFields[] = {"]
    first = []
    count = 0
    for name, special, fields in messages:
        first.append(count)
        for num, json_name, ftype, flags in fields:
            kind = kinds.get(ftype, "kMessage")
            msg = index[ftype] if kind == "kMessage" else -1
            f = []
            if "r" in flags:
                f.append("kRepeated")
            if "m" in flags:
                f.append("kMap")
            if "k" in flags:
                f.append("kKeepZero")
            if json_name == "-":
                f.append("kInline")
                json_name = ""
            lines.append('    {%d, "%s", FieldKind::%s, %s, %d},' % (
                num, json_name, kind, " | ".join(f) or "0", msg))
            count += 1
    lines.append("};")
    lines.append("")
    lines.append("const ProtoMessage kProtoMessages[] = {")
    for (name, special, fields), start in zip(messages, first):
        lines.append('    {"%s", Special::%s, %d, %d},' % (name, specials[special], start, len(fields)))
    lines.append("};")
    lines.append("const size_t kProtoMessageCount = sizeof(kProtoMessages) / sizeof(kProtoMessages[0]);")
    lines.append("")
    lines.append("const ProtoGroup kProtoGroups[] = {")
    for g in sorted(groups):
        lines.append('    {"%s", "%s", "%s"},' % g)
    lines.append("};")
    lines.append("const size_t kProtoGroupCount = sizeof(kProtoGroups) / sizeof(kProtoGroups[0]);")
    lines.append("")
    lines.append("}  // namespace tug::api::protobuf")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "table":
        sys.stdout.write(make_table(sys.argv[2], sys.argv[3], sys.argv[4]))
    elif len(sys.argv) == 4 and sys.argv[1] == "cc":
        with open(sys.argv[2]) as f:
            text = f.read()
        with open(sys.argv[3], "w") as f:
            f.write(make_cc(text))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
