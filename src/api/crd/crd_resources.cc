#include "api/crd/crd_resources.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "api/crd/custom_resource.h"
#include "api/table/custom_columns.h"
#include "api/validation/json_access.h"
#include "api/validation/schema_validation.h"

namespace tug::api {
namespace {

using nlohmann::json;

using validation::objectOrEmpty;
using validation::stringField;
using validation::stringListField;

// spec.names with upstream's defaults: singular is the lower-case kind, listKind <kind>List.
json requestedNames(const json& crd) {
  json names = objectOrEmpty(objectOrEmpty(crd, "spec"), "names");
  std::string kind = stringField(names, "kind");
  if (stringField(names, "singular").empty()) {
    std::string singular = kind;
    std::transform(singular.begin(), singular.end(), singular.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    names["singular"] = singular;
  }
  if (stringField(names, "listKind").empty() && !kind.empty()) {
    names["listKind"] = kind + "List";
  }
  return names;
}

// The names one group's CRDs have taken so far.
struct TakenNames {
  std::set<std::string> plurals, singulars, shortNames, kinds, listKinds;

  // The conflict `names` would cause, as {reason, message}; empty reason when none.
  std::pair<std::string, std::string> conflict(const json& names) const {
    auto inUse = [](const std::string& n) { return "\"" + n + "\" is already in use"; };
    if (plurals.count(stringField(names, "plural"))) {
      return {"PluralConflict", inUse(stringField(names, "plural"))};
    }
    if (singulars.count(stringField(names, "singular"))) {
      return {"SingularConflict", inUse(stringField(names, "singular"))};
    }
    for (const std::string& s : stringListField(names, "shortNames")) {
      if (shortNames.count(s)) {
        return {"ShortNamesConflict", inUse(s)};
      }
    }
    if (kinds.count(stringField(names, "kind"))) {
      return {"KindConflict", inUse(stringField(names, "kind"))};
    }
    if (listKinds.count(stringField(names, "listKind"))) {
      return {"ListKindConflict", inUse(stringField(names, "listKind"))};
    }
    return {};
  }

  void take(const json& names) {
    plurals.insert(stringField(names, "plural"));
    singulars.insert(stringField(names, "singular"));
    for (const std::string& s : stringListField(names, "shortNames")) {
      shortNames.insert(s);
    }
    kinds.insert(stringField(names, "kind"));
    listKinds.insert(stringField(names, "listKind"));
  }
};

std::optional<CustomScale> scaleOf(const json& version) {
  const json& subresources = objectOrEmpty(version, "subresources");
  auto it = subresources.find("scale");
  if (it == subresources.end() || !it->is_object()) {
    return std::nullopt;
  }
  return CustomScale{stringField(*it, "specReplicasPath"), stringField(*it, "statusReplicasPath"),
                     stringField(*it, "labelSelectorPath")};
}

}  // namespace

std::map<std::string, CrdNames> decideNames(const std::vector<json>& crds) {
  std::vector<const json*> order;
  for (const json& crd : crds) {
    order.push_back(&crd);
  }
  // Names already granted stay with their holder; then the older CRD goes first.
  auto key = [](const json* crd) {
    const json& meta = objectOrEmpty(*crd, "metadata");
    bool granted =
        !stringField(objectOrEmpty(objectOrEmpty(*crd, "status"), "acceptedNames"), "plural")
             .empty();
    return std::make_tuple(!granted, stringField(meta, "creationTimestamp"),
                           stringField(meta, "name"));
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](const json* a, const json* b) { return key(a) < key(b); });
  std::map<std::string, TakenNames> taken;  // by group
  std::map<std::string, CrdNames> out;
  for (const json* crd : order) {
    const std::string name = stringField(objectOrEmpty(*crd, "metadata"), "name");
    const std::string group = stringField(objectOrEmpty(*crd, "spec"), "group");
    json names = requestedNames(*crd);
    CrdNames verdict;
    auto [reason, message] = taken[group].conflict(names);
    if (reason.empty()) {
      verdict.accepted = true;
      verdict.reason = "NoConflicts";
      verdict.message = "no conflicts found";
      verdict.acceptedNames = names;
    } else {
      verdict.reason = reason;
      verdict.message = message;
      verdict.acceptedNames = objectOrEmpty(objectOrEmpty(*crd, "status"), "acceptedNames");
    }
    if (!stringField(verdict.acceptedNames, "plural").empty()) {
      taken[group].take(verdict.acceptedNames);
    }
    out[name] = std::move(verdict);
  }
  return out;
}

Result<std::vector<std::unique_ptr<ResourceInfo>>> customResources(const json& crd,
                                                                   const json& acceptedNames) {
  const json& spec = objectOrEmpty(crd, "spec");
  const json& meta = objectOrEmpty(crd, "metadata");
  std::vector<std::unique_ptr<ResourceInfo>> out;
  auto versions = spec.find("versions");
  if (versions == spec.end() || !versions->is_array() ||
      stringField(acceptedNames, "plural").empty()) {
    return out;
  }
  std::string storageVersion;
  for (const json& v : *versions) {
    if (v.value("storage", false) == true) {
      storageVersion = stringField(v, "name");
    }
  }
  const bool terminating = meta.contains("deletionTimestamp");
  for (const json& v : *versions) {
    if (!v.is_object() || v.value("served", false) != true) {
      continue;
    }
    auto custom = std::make_shared<CustomResourceVersion>();
    custom->crdName = stringField(meta, "name");
    custom->listKind = stringField(acceptedNames, "listKind");
    custom->storageVersion = storageVersion;
    custom->terminating = terminating;
    const json& schema = objectOrEmpty(objectOrEmpty(v, "schema"), "openAPIV3Schema");
    custom->schema = validation::withoutDescriptions(schema);
    custom->publishedSchema = schema.dump();
    auto graph = buildTypeGraph(schema.empty() ? json{{"type", "object"},
                                                      {"x-kubernetes-preserve-unknown-fields", true}}
                                               : schema);
    if (!graph.ok()) {
      return invalid("CustomResourceDefinition " + custom->crdName + " version " +
                     stringField(v, "name") + ": " + graph.status().message());
    }
    custom->graph = std::move(*graph);
    if (auto cols = v.find("additionalPrinterColumns"); cols != v.end() && cols->is_array()) {
      custom->printerColumns = *cols;
    }
    auto printer = table::customColumnsPrinter(custom->printerColumns);
    if (!printer.ok()) {
      // Validation refuses bad columns; a stored CRD that has them still gets Name and Age.
      printer = table::customColumnsPrinter(json());
    }
    custom->printer = std::move(*printer);
    custom->scale = scaleOf(v);

    auto r = std::make_unique<ResourceInfo>();
    r->group = stringField(spec, "group");
    r->version = stringField(v, "name");
    r->resource = stringField(acceptedNames, "plural");
    r->singular = stringField(acceptedNames, "singular");
    r->kind = stringField(acceptedNames, "kind");
    r->namespaced = stringField(spec, "scope") != "Cluster";
    r->verbs = {"delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"};
    r->shortNames = stringListField(acceptedNames, "shortNames");
    r->categories = stringListField(acceptedNames, "categories");
    const json& subresources = objectOrEmpty(v, "subresources");
    if (subresources.contains("status")) {
      r->subresources.push_back(SubresourceInfo{"status", r->kind, "", "", {"get", "patch", "update"}});
    }
    if (custom->scale) {
      r->subresources.push_back(
          SubresourceInfo{"scale", "Scale", "autoscaling", "v1", {"get", "patch", "update"}});
    }
    r->builtin = false;
    r->custom = std::move(custom);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace tug::api
