#include "api/crd/crd_resources.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "api/crd/custom_resource.h"
#include "api/table/custom_columns.h"
#include "api/validation/schema_validation.h"

namespace tug::api {
namespace {

using nlohmann::json;

std::string text(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

const json& child(const json& obj, const char* key) {
  static const json kEmpty = json::object();
  auto it = obj.find(key);
  return it != obj.end() && it->is_object() ? *it : kEmpty;
}

std::vector<std::string> strings(const json& obj, const char* key) {
  std::vector<std::string> out;
  auto it = obj.find(key);
  if (it != obj.end() && it->is_array()) {
    for (const json& s : *it) {
      if (s.is_string()) {
        out.push_back(s.get<std::string>());
      }
    }
  }
  return out;
}

// spec.names with upstream's defaults: singular is the lower-case kind, listKind <kind>List.
json requestedNames(const json& crd) {
  json names = child(child(crd, "spec"), "names");
  std::string kind = text(names, "kind");
  if (text(names, "singular").empty()) {
    std::string singular = kind;
    std::transform(singular.begin(), singular.end(), singular.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    names["singular"] = singular;
  }
  if (text(names, "listKind").empty() && !kind.empty()) {
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
    if (plurals.count(text(names, "plural"))) {
      return {"PluralConflict", inUse(text(names, "plural"))};
    }
    if (singulars.count(text(names, "singular"))) {
      return {"SingularConflict", inUse(text(names, "singular"))};
    }
    for (const std::string& s : strings(names, "shortNames")) {
      if (shortNames.count(s)) {
        return {"ShortNamesConflict", inUse(s)};
      }
    }
    if (kinds.count(text(names, "kind"))) {
      return {"KindConflict", inUse(text(names, "kind"))};
    }
    if (listKinds.count(text(names, "listKind"))) {
      return {"ListKindConflict", inUse(text(names, "listKind"))};
    }
    return {};
  }

  void take(const json& names) {
    plurals.insert(text(names, "plural"));
    singulars.insert(text(names, "singular"));
    for (const std::string& s : strings(names, "shortNames")) {
      shortNames.insert(s);
    }
    kinds.insert(text(names, "kind"));
    listKinds.insert(text(names, "listKind"));
  }
};

std::optional<CustomScale> scaleOf(const json& version) {
  const json& subresources = child(version, "subresources");
  auto it = subresources.find("scale");
  if (it == subresources.end() || !it->is_object()) {
    return std::nullopt;
  }
  return CustomScale{text(*it, "specReplicasPath"), text(*it, "statusReplicasPath"),
                     text(*it, "labelSelectorPath")};
}

}  // namespace

std::map<std::string, CrdNames> decideNames(const std::vector<json>& crds) {
  std::vector<const json*> order;
  for (const json& crd : crds) {
    order.push_back(&crd);
  }
  // Names already granted stay with their holder; then the older CRD goes first.
  auto key = [](const json* crd) {
    const json& meta = child(*crd, "metadata");
    bool granted = !text(child(child(*crd, "status"), "acceptedNames"), "plural").empty();
    return std::make_tuple(!granted, text(meta, "creationTimestamp"), text(meta, "name"));
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](const json* a, const json* b) { return key(a) < key(b); });
  std::map<std::string, TakenNames> taken;  // by group
  std::map<std::string, CrdNames> out;
  for (const json* crd : order) {
    const std::string name = text(child(*crd, "metadata"), "name");
    const std::string group = text(child(*crd, "spec"), "group");
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
      verdict.acceptedNames = child(child(*crd, "status"), "acceptedNames");
    }
    if (!text(verdict.acceptedNames, "plural").empty()) {
      taken[group].take(verdict.acceptedNames);
    }
    out[name] = std::move(verdict);
  }
  return out;
}

Result<std::vector<std::unique_ptr<ResourceInfo>>> customResources(const json& crd,
                                                                   const json& acceptedNames) {
  const json& spec = child(crd, "spec");
  const json& meta = child(crd, "metadata");
  std::vector<std::unique_ptr<ResourceInfo>> out;
  auto versions = spec.find("versions");
  if (versions == spec.end() || !versions->is_array() || text(acceptedNames, "plural").empty()) {
    return out;
  }
  std::string storageVersion;
  for (const json& v : *versions) {
    if (v.value("storage", false) == true) {
      storageVersion = text(v, "name");
    }
  }
  const bool terminating = meta.contains("deletionTimestamp");
  for (const json& v : *versions) {
    if (!v.is_object() || v.value("served", false) != true) {
      continue;
    }
    auto custom = std::make_shared<CustomResourceVersion>();
    custom->crdName = text(meta, "name");
    custom->listKind = text(acceptedNames, "listKind");
    custom->storageVersion = storageVersion;
    custom->terminating = terminating;
    const json& schema = child(child(v, "schema"), "openAPIV3Schema");
    custom->schema = validation::withoutDescriptions(schema);
    custom->publishedSchema = schema.dump();
    auto graph = buildTypeGraph(schema.empty() ? json{{"type", "object"},
                                                      {"x-kubernetes-preserve-unknown-fields", true}}
                                               : schema);
    if (!graph.ok()) {
      return invalid("CustomResourceDefinition " + custom->crdName + " version " + text(v, "name") +
                     ": " + graph.status().message());
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
    r->group = text(spec, "group");
    r->version = text(v, "name");
    r->resource = text(acceptedNames, "plural");
    r->singular = text(acceptedNames, "singular");
    r->kind = text(acceptedNames, "kind");
    r->namespaced = text(spec, "scope") != "Cluster";
    r->verbs = {"delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"};
    r->shortNames = strings(acceptedNames, "shortNames");
    r->categories = strings(acceptedNames, "categories");
    const json& subresources = child(v, "subresources");
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
