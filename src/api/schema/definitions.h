#pragma once

#include <string>
#include <string_view>
#include <vector>

// The OpenAPI v3 definitions of the built-in kinds, compiled into the binary from
// embedded/openapi-schemas.json (scripts/dev/gen-schemas.py): structure only, no descriptions.
// The file holds one definition per line; this index points into it and parses nothing, so
// the definitions cost no memory until a caller parses the few it needs.
namespace tug::api {

struct GroupVersionKind {
  std::string group, version, kind;
};

class DefinitionIndex {
 public:
  // The embedded definitions. Built on first use; immutable and thread-safe after that.
  static const DefinitionIndex& builtin();
  // Indexes `text`, which must outlive the index and have the embedded file's layout.
  explicit DefinitionIndex(std::string_view text);

  // The JSON text of the named definition ("io.k8s.api.apps.v1.Deployment"); empty when
  // there is none.
  std::string_view find(std::string_view name) const;
  // The definition that declares `kind` in group/version (x-kubernetes-group-version-kind);
  // empty when there is none.
  std::string_view nameForKind(std::string_view group, std::string_view version,
                               std::string_view kind) const;
  // Every definition name, sorted.
  std::vector<std::string_view> names() const;
  size_t size() const { return entries_.size(); }

  // Definition names that `text` refers to ("#/components/schemas/<name>"), in order of
  // appearance, repeats included.
  static std::vector<std::string_view> references(std::string_view text);
  // `roots` and every definition they reach through references, sorted by name.
  std::vector<std::string_view> closure(const std::vector<std::string_view>& roots) const;

 private:
  struct Entry {
    std::string_view name, body;
  };
  struct KindEntry {
    GroupVersionKind gvk;
    std::string_view name;
  };
  std::vector<Entry> entries_;     // sorted by name, as the file is
  std::vector<KindEntry> kinds_;  // every x-kubernetes-group-version-kind
};

// The "#/components/schemas/" prefix of references between definitions.
inline constexpr std::string_view kSchemaRefPrefix = "#/components/schemas/";

}  // namespace tug::api
