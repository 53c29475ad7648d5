#include "api/schema/schema_converter.h"

#include "api/schema/definitions.h"
#include "api/schema/type_graph.h"

namespace tug::api {
namespace {

using nlohmann::json;

constexpr const char* kObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

// The definition a schema refers to: a bare {"$ref"} or an {"allOf":[{"$ref"}]} wrapper (how
// v3 documents put extensions next to a reference). Empty when it is no reference.
std::string_view referenceOf(const json& s) {
  const json* ref = nullptr;
  if (auto it = s.find("$ref"); it != s.end()) {
    ref = &*it;
  } else if (auto all = s.find("allOf"); all != s.end() && all->is_array() && all->size() == 1 &&
                                         (*all)[0].is_object() && (*all)[0].contains("$ref")) {
    ref = &(*all)[0]["$ref"];
  }
  if (ref == nullptr || !ref->is_string()) {
    return {};
  }
  std::string_view r = ref->get_ref<const std::string&>();
  return r.substr(0, kSchemaRefPrefix.size()) == kSchemaRefPrefix ? r.substr(kSchemaRefPrefix.size())
                                                                  : r;
}

// Whether a schema next to a reference says anything of its own that a node holds.
bool hasOwnExtensions(const json& s) {
  for (const auto& [key, value] : s.items()) {
    if (key.rfind("x-kubernetes-", 0) == 0 || key == "nullable" || key == "default") {
      return true;
    }
  }
  return false;
}

bool isScalarType(const std::string& t) {
  return t == "string" || t == "integer" || t == "number" || t == "boolean";
}

std::string stringOr(const json& s, const char* key, const char* fallback) {
  auto it = s.find(key);
  return it != s.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

void applyExtensions(TypeNode& node, const json& s) {
  if (auto it = s.find("x-kubernetes-list-type"); it != s.end() && it->is_string()) {
    const std::string& t = it->get_ref<const std::string&>();
    node.listType = t == "map" ? ListType::kMap : t == "set" ? ListType::kSet : ListType::kAtomic;
  }
  if (auto it = s.find("x-kubernetes-list-map-keys"); it != s.end() && it->is_array()) {
    node.listMapKeys.clear();
    for (const auto& k : *it) {
      if (k.is_string()) {
        node.listMapKeys.push_back(k.get<std::string>());
      }
    }
  }
  if (auto it = s.find("x-kubernetes-map-type"); it != s.end() && it->is_string()) {
    node.mapType = *it == "atomic" ? MapType::kAtomic : MapType::kGranular;
  }
  if (auto it = s.find("x-kubernetes-patch-strategy"); it != s.end() && it->is_string()) {
    node.patchStrategy = it->get<std::string>();
  }
  if (auto it = s.find("x-kubernetes-patch-merge-key"); it != s.end() && it->is_string()) {
    node.patchMergeKey = it->get<std::string>();
  }
  if (auto it = s.find("nullable"); it != s.end() && it->is_boolean()) {
    node.nullable = it->get<bool>();
  }
  if (auto it = s.find("x-kubernetes-preserve-unknown-fields"); it != s.end() && *it == true) {
    node.preserveUnknownFields = true;
  }
  if (auto it = s.find("default"); it != s.end()) {
    node.defaultValue = it->dump();
  }
}

SchemaConverter::SchemaConverter(std::vector<std::unique_ptr<TypeNode>>& nodes, Mode mode,
                                 Resolver resolve)
    : nodes_(nodes), mode_(mode), resolve_(std::move(resolve)) {}

TypeNode* SchemaConverter::make() {
  nodes_.push_back(std::make_unique<TypeNode>());
  return nodes_.back().get();
}

TypeNode* SchemaConverter::any() {
  if (any_ == nullptr) {
    any_ = make();
  }
  return any_;
}

TypeNode* SchemaConverter::scalar(const char* type) {
  TypeNode* n = make();
  n->kind = TypeKind::kScalar;
  n->scalarType = type;
  return n;
}

TypeNode* SchemaConverter::convert(const json& s) {
  if (!s.is_object()) {
    return any();  // additionalProperties: true, or nonsense: anything goes
  }
  std::string_view ref = referenceOf(s);
  if (!ref.empty() && (mode_ == Mode::kBuiltin ? !hasOwnExtensions(s) : false)) {
    TypeNode* target = resolve_ ? resolve_(ref) : nullptr;
    return target != nullptr ? target : any();
  }
  TypeNode* node = make();
  fill(*node, s);
  return node;
}

void SchemaConverter::fill(TypeNode& node, const json& s) {
  if (std::string_view ref = referenceOf(s); !ref.empty()) {
    if (mode_ == Mode::kStructural) {
      if (error_.isOk()) {
        error_ = invalid("$ref is not allowed in a structural schema: " + std::string(ref));
      }
      return;
    }
    const TypeNode* target = resolve_ ? resolve_(ref) : nullptr;
    overlays_.push_back(Overlay{&node, target != nullptr ? target : any(), s});
    return;
  }
  applyExtensions(node, s);
  node.format = stringOr(s, "format", "");
  if (auto it = s.find("enum"); it != s.end() && it->is_array()) {
    for (const auto& v : *it) {
      node.enumValues.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    }
  }
  if (auto it = s.find("required"); it != s.end() && it->is_array()) {
    for (const auto& r : *it) {
      if (r.is_string()) {
        node.required.push_back(r.get<std::string>());
      }
    }
  }
  node.embeddedResource = s.value("x-kubernetes-embedded-resource", false) == true;
  const std::string type = stringOr(s, "type", "");
  auto props = s.find("properties");
  auto additional = s.find("additionalProperties");
  const bool hasProps = props != s.end() && props->is_object();
  const bool hasAdditional = additional != s.end() && !(additional->is_boolean() && !*additional);
  if (type == "object" || (type.empty() && (hasProps || hasAdditional))) {
    if (hasProps || node.embeddedResource) {
      node.kind = TypeKind::kObject;
      if (hasProps) {
        for (const auto& [name, sub] : props->items()) {
          node.fields[name] = convert(sub);
        }
      }
      if (node.embeddedResource && mode_ == Mode::kStructural) {
        addResourceFields(node);
      }
    } else if (hasAdditional) {
      node.kind = TypeKind::kMap;
      node.elem = convert(*additional);
    } else if (mode_ == Mode::kStructural && !node.preserveUnknownFields) {
      node.kind = TypeKind::kObject;  // a structural object with no fields keeps none
    } else {
      node.kind = TypeKind::kAny;
    }
  } else if (type == "array") {
    node.kind = TypeKind::kList;
    auto items = s.find("items");
    node.elem = items != s.end() ? convert(*items) : any();
  } else if (isScalarType(type)) {
    node.kind = TypeKind::kScalar;
    node.scalarType = type;
  } else if (node.format == "int-or-string" || s.value("x-kubernetes-int-or-string", false) ||
             s.contains("oneOf") || s.contains("anyOf")) {
    // IntOrString, and Quantity (a string or a number): any scalar, told apart by format.
    node.kind = TypeKind::kScalar;
    node.format = "int-or-string";
  } else {
    node.kind = TypeKind::kAny;
  }
}

void SchemaConverter::addResourceFields(TypeNode& node) {
  if (node.kind == TypeKind::kAny) {
    node.kind = TypeKind::kObject;
    node.preserveUnknownFields = true;
  }
  for (const char* name : {"apiVersion", "kind"}) {
    if (node.field(name) == nullptr) {
      node.fields[name] = scalar("string");
    }
  }
  // Upstream decodes metadata as ObjectMeta whatever the schema says of it.
  const TypeNode* meta = builtinDefinition(kObjectMeta);
  node.fields["metadata"] = meta != nullptr ? meta : any();
}

void SchemaConverter::finish() {
  for (Overlay& o : overlays_) {
    // Keep the node's identity (others point at it); take the target's structure.
    *o.node = *o.target;
    applyExtensions(*o.node, o.extensions);
  }
  overlays_.clear();
}

}  // namespace tug::api
