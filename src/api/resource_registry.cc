#include "api/resource_registry.h"

#include <algorithm>
#include <charconv>
#include <map>

#include <nlohmann/json.hpp>

namespace tug::embedded {
extern const std::string_view kApiResourcesJson;
}

namespace tug::api {
namespace {

std::vector<std::string> strings(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  if (auto it = j.find(key); it != j.end()) {
    for (const auto& s : *it) {
      out.push_back(s.get<std::string>());
    }
  }
  return out;
}

// Fills `g` from one group's JSON, turning "pods/status" entries into subresources.
void readGroup(const nlohmann::json& jg, bool builtin, GroupInfo& g,
               std::vector<std::unique_ptr<ResourceInfo>>& owned) {
  g.name = jg.at("name").get<std::string>();
  for (const auto& jv : jg.at("versions")) {
    GroupVersionInfo v;
    v.version = jv.at("version").get<std::string>();
    std::vector<ResourceInfo*> mine;  // this version's resources, writable while reading
    for (const auto& jr : jv.at("resources")) {
      std::string name = jr.at("name").get<std::string>();
      if (size_t slash = name.find('/'); slash != std::string::npos) {
        std::string parent = name.substr(0, slash);
        for (ResourceInfo* r : mine) {
          if (r->resource == parent) {
            r->subresources.push_back(SubresourceInfo{name.substr(slash + 1),
                                                      jr.at("kind").get<std::string>(),
                                                      jr.value("group", ""),
                                                      jr.value("version", ""),
                                                      strings(jr, "verbs")});
          }
        }
        continue;
      }
      auto r = std::make_unique<ResourceInfo>();
      r->group = g.name;
      r->version = v.version;
      r->resource = name;
      r->singular = jr.value("singularName", "");
      r->kind = jr.at("kind").get<std::string>();
      r->namespaced = jr.at("namespaced").get<bool>();
      r->verbs = strings(jr, "verbs");
      r->shortNames = strings(jr, "shortNames");
      r->categories = strings(jr, "categories");
      r->storageVersionHash = jr.value("storageVersionHash", "");
      r->builtin = builtin;
      mine.push_back(r.get());
      v.resources.push_back(r.get());
      owned.push_back(std::move(r));
    }
    g.versions.push_back(std::move(v));
  }
}

}  // namespace

std::string ResourceInfo::groupVersion() const {
  return group.empty() ? version : group + "/" + version;
}

bool ResourceInfo::hasVerb(std::string_view verb) const {
  return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

const SubresourceInfo* ResourceInfo::subresource(std::string_view name) const {
  for (const auto& s : subresources) {
    if (s.name == name) {
      return &s;
    }
  }
  return nullptr;
}

const ResourceRegistry& ResourceRegistry::builtin() {
  static const std::unique_ptr<ResourceRegistry> kBuiltin = [] {
    auto r = fromJson(embedded::kApiResourcesJson, /*builtin=*/true);
    // The embedded table is part of the binary: failing to read it is a build defect.
    if (!r.ok()) {
      std::abort();
    }
    return std::move(*r);
  }();
  return *kBuiltin;
}

Result<std::unique_ptr<ResourceRegistry>> ResourceRegistry::fromJson(std::string_view json,
                                                                     bool builtin) {
  auto reg = std::make_unique<ResourceRegistry>();
  try {
    auto j = nlohmann::json::parse(json);
    for (const auto& jg : j.at("groups")) {
      GroupInfo g;
      readGroup(jg, builtin, g, reg->owned_);
      reg->groups_.push_back(std::move(g));
    }
  } catch (const nlohmann::json::exception& e) {
    return invalid(std::string("resource table: ") + e.what());
  }
  return reg;
}

namespace {

// A version's place in Kubernetes' priority: v<major>[(alpha|beta)<minor>]; anything else
// sorts after every such version.
struct VersionRank {
  bool kubeLike = false;
  int stability = 0;  // 2 GA, 1 beta, 0 alpha
  int major = 0, minor = 0;
};

VersionRank rankOf(std::string_view v) {
  VersionRank r;
  if (v.size() < 2 || v[0] != 'v' || v[1] < '1' || v[1] > '9') {
    return r;
  }
  const char* p = v.data() + 1;
  const char* end = v.data() + v.size();
  auto [afterMajor, ec] = std::from_chars(p, end, r.major);
  if (ec != std::errc()) {
    return r;
  }
  std::string_view rest(afterMajor, static_cast<size_t>(end - afterMajor));
  if (rest.empty()) {
    r.kubeLike = true;
    r.stability = 2;
    return r;
  }
  for (auto [word, stability] : {std::pair<std::string_view, int>{"alpha", 0}, {"beta", 1}}) {
    if (rest.substr(0, word.size()) == word && rest.size() > word.size()) {
      std::string_view num = rest.substr(word.size());
      auto [last, ec2] = std::from_chars(num.data(), num.data() + num.size(), r.minor);
      if (ec2 == std::errc() && last == num.data() + num.size()) {
        r.kubeLike = true;
        r.stability = stability;
      }
    }
  }
  return r;
}

}  // namespace

bool versionPreferred(std::string_view a, std::string_view b) {
  VersionRank ra = rankOf(a), rb = rankOf(b);
  if (ra.kubeLike != rb.kubeLike) {
    return ra.kubeLike;
  }
  if (!ra.kubeLike) {
    return a < b;
  }
  if (ra.stability != rb.stability) {
    return ra.stability > rb.stability;
  }
  if (ra.major != rb.major) {
    return ra.major > rb.major;
  }
  return ra.minor > rb.minor;
}

std::unique_ptr<ResourceRegistry> ResourceRegistry::withCustom(
    const ResourceRegistry& base, std::vector<std::unique_ptr<ResourceInfo>> custom) {
  auto reg = std::make_unique<ResourceRegistry>();
  reg->groups_ = base.groups_;  // points at base's resources, which outlive us
  std::map<std::string, std::map<std::string, std::vector<const ResourceInfo*>>> added;
  for (auto& r : custom) {
    added[r->group][r->version].push_back(r.get());
    reg->owned_.push_back(std::move(r));
  }
  for (auto& [groupName, versions] : added) {
    GroupInfo* g = nullptr;
    for (auto& existing : reg->groups_) {
      if (existing.name == groupName) {
        g = &existing;
      }
    }
    if (g == nullptr) {
      reg->groups_.push_back(GroupInfo{groupName, {}});
      g = &reg->groups_.back();
    }
    for (auto& [version, resources] : versions) {
      GroupVersionInfo* gv = nullptr;
      for (auto& v : g->versions) {
        if (v.version == version) {
          gv = &v;
        }
      }
      if (gv == nullptr) {
        g->versions.push_back(GroupVersionInfo{version, {}});
        gv = &g->versions.back();
      }
      for (const ResourceInfo* r : resources) {
        gv->resources.push_back(r);
      }
    }
    std::stable_sort(g->versions.begin(), g->versions.end(),
                     [](const GroupVersionInfo& a, const GroupVersionInfo& b) {
                       return versionPreferred(a.version, b.version);
                     });
  }
  return reg;
}

const GroupInfo* ResourceRegistry::group(std::string_view name) const {
  for (const auto& g : groups_) {
    if (g.name == name) {
      return &g;
    }
  }
  return nullptr;
}

const ResourceInfo* ResourceRegistry::findIn(
    std::string_view group, std::string_view version,
    const std::function<bool(const ResourceInfo&)>& match) const {
  const GroupInfo* g = this->group(group);
  if (g == nullptr) {
    return nullptr;
  }
  for (const auto& v : g->versions) {
    if (v.version != version) {
      continue;
    }
    for (const ResourceInfo* r : v.resources) {
      if (match(*r)) {
        return r;
      }
    }
  }
  return nullptr;
}

const ResourceInfo* ResourceRegistry::find(std::string_view group, std::string_view version,
                                           std::string_view resource) const {
  return findIn(group, version, [&](const ResourceInfo& r) { return r.resource == resource; });
}

const ResourceInfo* ResourceRegistry::findKind(std::string_view group, std::string_view version,
                                               std::string_view kind) const {
  return findIn(group, version, [&](const ResourceInfo& r) { return r.kind == kind; });
}

const ResourceInfo* ResourceRegistry::resolve(std::string_view name) const {
  std::string_view wantGroup;
  bool groupGiven = false;
  if (size_t dot = name.find('.'); dot != std::string_view::npos) {
    wantGroup = name.substr(dot + 1);
    name = name.substr(0, dot);
    groupGiven = true;
  }
  for (const auto& g : groups_) {
    if (groupGiven && g.name != wantGroup) {
      continue;
    }
    // The preferred version comes first, so the first match is the one to use.
    for (const auto& v : g.versions) {
      for (const ResourceInfo* r : v.resources) {
        bool match = r->resource == name || r->singular == name ||
                     std::find(r->shortNames.begin(), r->shortNames.end(), name) !=
                         r->shortNames.end();
        if (match) {
          return r;
        }
      }
    }
  }
  return nullptr;
}

std::string storageKey(const ResourceInfo& r, std::string_view ns, std::string_view name) {
  std::string key = "/registry/";
  if (!r.builtin) {
    key += r.group;
    key += '/';
  }
  key += r.resource;
  key += '/';
  if (!ns.empty()) {
    key += ns;
    key += '/';
  }
  key += name;
  return key;
}

}  // namespace tug::api
