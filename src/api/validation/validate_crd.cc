// CustomResourceDefinition (apiextensions.k8s.io/v1): defaults and validation, after
// upstream's apiextensions validation: names, group, scope, versions (one storage version,
// unique names, a structural schema each), printer columns and subresources.

#include <set>

#include "api/schema/type_graph.h"
#include "api/validation/validate_kinds.h"

namespace tug::api::validation {
namespace {

const Json& orEmpty(const Json* j) {
  static const Json kEmpty = Json::object();
  return j != nullptr ? *j : kEmpty;
}

std::string lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

// Groups the Kubernetes project owns need the approval annotation upstream asks for.
bool protectedGroup(const std::string& group) {
  auto endsWith = [&](const std::string& suffix) {
    return group.size() >= suffix.size() &&
           group.compare(group.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return group == "k8s.io" || group == "kubernetes.io" || endsWith(".k8s.io") ||
         endsWith(".kubernetes.io");
}

void dns1035(ErrorList& errs, const Path& p, const std::string& value) {
  for (const auto& r : dns1035Label(value)) {
    errs.push_back(invalid(p, value, r));
  }
}

ErrorList validateNames(const Json& names, const Path& p) {
  ErrorList errs;
  const std::string plural = stringField(names, "plural");
  const std::string singular = stringField(names, "singular");
  const std::string kind = stringField(names, "kind");
  const std::string listKind = stringField(names, "listKind");
  if (plural.empty()) {
    errs.push_back(required(p.child("plural")));
  } else {
    dns1035(errs, p.child("plural"), plural);
  }
  if (!singular.empty()) {
    dns1035(errs, p.child("singular"), singular);
  }
  if (kind.empty()) {
    errs.push_back(required(p.child("kind")));
  } else if (!dns1035Label(lower(kind)).empty()) {
    errs.push_back(invalid(p.child("kind"), kind,
                           "may have mixed case, but should otherwise match: "
                           "[a-z]([-a-z0-9]*[a-z0-9])?"));
  }
  if (listKind.empty()) {
    errs.push_back(required(p.child("listKind")));
  } else if (listKind == kind) {
    errs.push_back(invalid(p.child("listKind"), listKind, "kind and listKind may not be the same"));
  }
  for (const char* key : {"shortNames", "categories"}) {
    const Json* list = field(names, key);
    if (list != nullptr && list->is_array()) {
      for (size_t i = 0; i < list->size(); ++i) {
        if ((*list)[i].is_string()) {
          dns1035(errs, p.child(key).index(i), (*list)[i].get<std::string>());
        }
      }
    }
  }
  return errs;
}

// A structural schema: every node names its type, unless it preserves unknown fields or is
// int-or-string; the root is an object. `$ref` is refused when the graph is built.
void checkStructural(const Json& s, const Path& p, bool root, ErrorList& errs) {
  if (!s.is_object()) {
    return;
  }
  const std::string type = stringField(s, "type");
  const bool intOrString = s.value("x-kubernetes-int-or-string", false) == true;
  const bool preserve = s.value("x-kubernetes-preserve-unknown-fields", false) == true;
  if (root) {
    if (type.empty()) {
      errs.push_back(required(p.child("type"), "must not be empty at the root"));
    } else if (type != "object") {
      errs.push_back(notSupported(p.child("type"), type, {"object"}));
    }
  } else if (type.empty() && !intOrString && !preserve) {
    errs.push_back(required(p.child("type"), "must not be empty for specified object fields"));
  }
  if (const Json* props = objectField(s, "properties")) {
    for (const auto& [name, sub] : props->items()) {
      checkStructural(sub, p.child("properties").key(name), false, errs);
    }
  }
  if (const Json* items = objectField(s, "items")) {
    checkStructural(*items, p.child("items"), false, errs);
  }
  if (const Json* additional = objectField(s, "additionalProperties")) {
    checkStructural(*additional, p.child("additionalProperties"), false, errs);
  }
}

ErrorList validateVersion(const Json& v, const Path& p) {
  ErrorList errs;
  const std::string name = stringField(v, "name");
  if (name.empty()) {
    errs.push_back(required(p.child("name")));
  } else {
    dns1035(errs, p.child("name"), name);
  }
  const Path schemaPath = p.child("schema", "openAPIV3Schema");
  const Json* schema = objectField(orEmpty(objectField(v, "schema")), "openAPIV3Schema");
  if (schema == nullptr) {
    errs.push_back(required(schemaPath, "schemas are required"));
  } else {
    checkStructural(*schema, schemaPath, true, errs);
    if (errs.empty()) {
      if (auto graph = buildTypeGraph(*schema); !graph.ok()) {
        errs.push_back(invalid(schemaPath, "", graph.status().message()));
      }
    }
  }
  forEachObject(v, "additionalPrinterColumns", [&](const Json& col, size_t i) {
    const Path cp = p.child("additionalPrinterColumns").index(i);
    if (stringField(col, "name").empty()) {
      errs.push_back(required(cp.child("name")));
    }
    if (stringField(col, "jsonPath").empty()) {
      errs.push_back(required(cp.child("jsonPath")));
    }
    append(errs, oneOf(col, "type", cp.child("type"),
                       {"integer", "number", "string", "boolean", "date"}, true));
  });
  if (const Json* scale = objectField(orEmpty(objectField(v, "subresources")), "scale")) {
    const Path sp = p.child("subresources", "scale");
    const std::string spec = stringField(*scale, "specReplicasPath");
    const std::string status = stringField(*scale, "statusReplicasPath");
    if (spec.empty()) {
      errs.push_back(required(sp.child("specReplicasPath")));
    } else if (spec.rfind(".spec.", 0) != 0) {
      errs.push_back(invalid(sp.child("specReplicasPath"), spec, "should be a json path under .spec"));
    }
    if (status.empty()) {
      errs.push_back(required(sp.child("statusReplicasPath")));
    } else if (status.rfind(".status.", 0) != 0) {
      errs.push_back(
          invalid(sp.child("statusReplicasPath"), status, "should be a json path under .status"));
    }
  }
  return errs;
}

ErrorList validateVersions(const Json& spec, const Path& p) {
  ErrorList errs;
  const Json* versions = field(spec, "versions");
  if (versions == nullptr || !versions->is_array() || versions->empty()) {
    errs.push_back(required(p, "must have exactly one version marked as storage version"));
    return errs;
  }
  std::set<std::string> names;
  int storage = 0, served = 0;
  for (size_t i = 0; i < versions->size(); ++i) {
    const Json& v = (*versions)[i];
    if (!v.is_object()) {
      errs.push_back(invalid(p.index(i), v, "must be an object"));
      continue;
    }
    append(errs, validateVersion(v, p.index(i)));
    if (!names.insert(stringField(v, "name")).second) {
      errs.push_back(duplicate(p.index(i).child("name"), stringField(v, "name")));
    }
    storage += v.value("storage", false) == true;
    served += v.value("served", false) == true;
  }
  if (storage != 1) {
    errs.push_back(invalid(p, *versions, "must have exactly one version marked as storage version"));
  }
  if (served == 0) {
    errs.push_back(invalid(p, *versions, "must have at least one version marked as served"));
  }
  return errs;
}

}  // namespace

void defaultCustomResourceDefinition(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (spec == nullptr) {
    return;
  }
  if (Json* names = objectField(*spec, "names")) {
    const std::string kind = stringField(*names, "kind");
    if (stringField(*names, "singular").empty()) {
      (*names)["singular"] = lower(kind);
    }
    if (stringField(*names, "listKind").empty() && !kind.empty()) {
      (*names)["listKind"] = kind + "List";
    }
  }
  if (!has(*spec, "conversion")) {
    (*spec)["conversion"] = Json{{"strategy", "None"}};
  }
}

ErrorList validateCustomResourceDefinition(const Json& obj) {
  ErrorList errs;
  const Json& spec = orEmpty(objectField(obj, "spec"));
  const Json& meta = orEmpty(objectField(obj, "metadata"));
  const Path sp("spec");
  const std::string group = stringField(spec, "group");
  const std::string plural = stringField(orEmpty(objectField(spec, "names")), "plural");
  const std::string name = stringField(meta, "name");
  if (group.empty()) {
    errs.push_back(required(sp.child("group")));
  } else {
    for (const auto& r : dns1123Subdomain(group)) {
      errs.push_back(invalid(sp.child("group"), group, r));
    }
    if (group.find('.') == std::string::npos) {
      errs.push_back(invalid(sp.child("group"), group, "should be a domain with at least one dot"));
    }
    if (protectedGroup(group)) {
      const Json& annotations = orEmpty(objectField(meta, "annotations"));
      if (stringField(annotations, "api-approved.kubernetes.io").empty()) {
        errs.push_back(required(
            Path("metadata").child("annotations").key("api-approved.kubernetes.io"),
            "protected groups must have approval annotation \"api-approved.kubernetes.io\", see "
            "https://github.com/kubernetes/enhancements/pull/1111"));
      }
    }
  }
  if (!plural.empty() && !group.empty() && name != plural + "." + group) {
    errs.push_back(invalid(Path("metadata").child("name"), name,
                           "must be spec.names.plural+\".\"+spec.group"));
  }
  append(errs, oneOf(spec, "scope", sp.child("scope"), {"Cluster", "Namespaced"}, true));
  append(errs, validateNames(orEmpty(objectField(spec, "names")), sp.child("names")));
  append(errs, validateVersions(spec, sp.child("versions")));
  if (const Json* conversion = objectField(spec, "conversion")) {
    append(errs, oneOf(*conversion, "strategy", sp.child("conversion", "strategy"),
                       {"None", "Webhook"}, true));
  }
  return errs;
}

ErrorList validateCustomResourceDefinitionUpdate(const Json& obj, const Json& old) {
  ErrorList errs;
  const Json& spec = orEmpty(objectField(obj, "spec"));
  const Json& oldSpec = orEmpty(objectField(old, "spec"));
  for (const char* key : {"group", "scope"}) {
    if (stringField(spec, key) != stringField(oldSpec, key)) {
      errs.push_back(immutable(Path("spec").child(key), stringField(spec, key)));
    }
  }
  return errs;
}

}  // namespace tug::api::validation
