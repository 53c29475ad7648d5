#include "apiserver/selected_members.h"

#include "common/json_text.h"

namespace tug::apiserver {
namespace {

// Copies into `out` the members of the object `text` that `paths` (relative to it) name.
bool collect(std::string_view text, const std::vector<std::string_view>& paths,
             nlohmann::json& out) {
  return forEachMember(text, [&](std::string_view key, std::string_view value) {
    bool whole = false;
    std::vector<std::string_view> deeper;
    for (std::string_view p : paths) {
      size_t dot = p.find('.');
      if (p.substr(0, dot) != key) {
        continue;
      }
      if (dot == std::string_view::npos) {
        whole = true;
      } else {
        deeper.push_back(p.substr(dot + 1));
      }
    }
    if (!whole && deeper.empty()) {
      return true;
    }
    if (whole || value.empty() || value.front() != '{') {
      // Wanted whole, or not an object to look into (the selector then reads it as absent,
      // as it would in the decoded object).
      auto decoded = nlohmann::json::parse(value, nullptr, false);
      if (decoded.is_discarded()) {
        return false;
      }
      out[std::string(key)] = std::move(decoded);
      return true;
    }
    nlohmann::json inner = nlohmann::json::object();
    if (!collect(value, deeper, inner)) {
      return false;
    }
    out[std::string(key)] = std::move(inner);
    return true;
  });
}

}  // namespace

std::optional<nlohmann::json> selectedMembers(std::string_view text,
                                              const std::vector<std::string>& paths) {
  std::vector<std::string_view> wanted(paths.begin(), paths.end());
  nlohmann::json out = nlohmann::json::object();
  if (!collect(text, wanted, out)) {
    return std::nullopt;
  }
  return out;
}

Result<nlohmann::json> selectorView(const store::KeyValue& kv,
                                    const std::vector<std::string>& paths) {
  if (auto view = selectedMembers(kv.value, paths)) {
    return std::move(*view);
  }
  auto obj = nlohmann::json::parse(kv.value, nullptr, false);
  if (!obj.is_object()) {
    return internalError("stored object " + kv.key + " is damaged");
  }
  return obj;
}

std::vector<std::string> selectorPaths(const LabelSelector& labels, const FieldSelector& fields) {
  std::vector<std::string> paths;
  if (!labels.empty()) {
    paths.push_back("metadata.labels");
  }
  for (const FieldSelector::Requirement& r : fields.requirements()) {
    if (r.field == "source") {
      // An event's source is read as source.component when it has an involvedObject.
      paths.push_back("involvedObject");
    }
    paths.push_back(r.field);
  }
  return paths;
}

}  // namespace tug::apiserver
