#include "api/schema/definitions.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

namespace tug::embedded {
extern const std::string_view kOpenApiSchemasJson;
}

namespace tug::api {
namespace {

constexpr std::string_view kGvkKey = "\"x-kubernetes-group-version-kind\":";

// The JSON string at the start of `s` ("...") without its quotes; names need no unescaping.
std::string_view quoted(std::string_view s) {
  if (s.size() < 2 || s.front() != '"') {
    return {};
  }
  size_t end = s.find('"', 1);
  return end == std::string_view::npos ? std::string_view() : s.substr(1, end - 1);
}

// The bracketed array at the start of `s`, for the gvk lists (which hold no brackets inside).
std::string_view bracketed(std::string_view s) {
  size_t end = s.find(']');
  return s.empty() || s.front() != '[' || end == std::string_view::npos ? std::string_view()
                                                                          : s.substr(0, end + 1);
}

}  // namespace

const DefinitionIndex& DefinitionIndex::builtin() {
  static const DefinitionIndex index(embedded::kOpenApiSchemasJson);
  return index;
}

DefinitionIndex::DefinitionIndex(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
    if (!line.empty() && line.back() == ',') {
      line.remove_suffix(1);
    }
    std::string_view name = quoted(line);
    if (name.empty() || line.size() < name.size() + 3 || line[name.size() + 2] != ':') {
      continue;  // the braces around the whole object
    }
    std::string_view body = line.substr(name.size() + 3);
    entries_.push_back(Entry{name, body});
    // Only a definition's own top level carries the extension, so a text search suffices.
    if (size_t at = body.find(kGvkKey); at != std::string_view::npos) {
      std::string_view list = bracketed(body.substr(at + kGvkKey.size()));
      auto gvks = nlohmann::json::parse(list, nullptr, /*allow_exceptions=*/false);
      for (const auto& g : gvks.is_array() ? gvks : nlohmann::json::array()) {
        if (g.is_object()) {
          kinds_.push_back(KindEntry{{g.value("group", ""), g.value("version", ""),
                                      g.value("kind", "")},
                                     name});
        }
      }
    }
  }
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
}

std::string_view DefinitionIndex::find(std::string_view name) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                             [](const Entry& e, std::string_view n) { return e.name < n; });
  return it != entries_.end() && it->name == name ? it->body : std::string_view();
}

std::string_view DefinitionIndex::nameForKind(std::string_view group, std::string_view version,
                                              std::string_view kind) const {
  // Several definitions may claim one kind (DeleteOptions and WatchEvent claim every group);
  // the one whose name ends in ".<kind>" is the kind's own.
  std::string_view fallback;
  for (const KindEntry& k : kinds_) {
    if (k.gvk.group == group && k.gvk.version == version && k.gvk.kind == kind) {
      std::string suffix = "." + std::string(kind);
      if (k.name.size() > suffix.size() && k.name.substr(k.name.size() - suffix.size()) == suffix) {
        return k.name;
      }
      fallback = k.name;
    }
  }
  return fallback;
}

std::vector<std::string_view> DefinitionIndex::names() const {
  std::vector<std::string_view> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) {
    out.push_back(e.name);
  }
  return out;
}

std::vector<std::string_view> DefinitionIndex::references(std::string_view text) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while ((pos = text.find(kSchemaRefPrefix, pos)) != std::string_view::npos) {
    pos += kSchemaRefPrefix.size();
    size_t end = text.find('"', pos);
    if (end == std::string_view::npos) {
      break;
    }
    out.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

std::vector<std::string_view> DefinitionIndex::closure(
    const std::vector<std::string_view>& roots) const {
  std::set<std::string_view> seen;
  std::vector<std::string_view> pending;
  for (std::string_view r : roots) {
    if (!find(r).empty() && seen.insert(r).second) {
      pending.push_back(r);
    }
  }
  while (!pending.empty()) {
    std::string_view name = pending.back();
    pending.pop_back();
    for (std::string_view ref : references(find(name))) {
      if (!find(ref).empty() && seen.insert(ref).second) {
        pending.push_back(ref);
      }
    }
  }
  return {seen.begin(), seen.end()};
}

}  // namespace tug::api
