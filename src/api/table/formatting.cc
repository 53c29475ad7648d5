#include "api/table/formatting.h"

#include <algorithm>
#include <map>

#include "api/table/json_fields.h"

namespace tug::api::table {

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      out += sep;
    }
    out += parts[i];
  }
  return out;
}

std::string orNone(const std::string& s) { return s.empty() ? "<none>" : s; }

std::string formatLabels(const nlohmann::json& labels) {
  if (!labels.is_object()) {
    return "<none>";
  }
  // nlohmann::json objects iterate in key order already.
  std::vector<std::string> parts;
  for (auto it = labels.begin(); it != labels.end(); ++it) {
    parts.push_back(it.key() + "=" + str(&it.value()));
  }
  return orNone(join(parts, ","));
}

std::string selectorString(const nlohmann::json* selector, bool* ok) {
  *ok = true;
  if (selector == nullptr || !selector->is_object()) {
    return "";
  }
  // One requirement per key and operator, sorted by key as upstream's selector sorts them.
  std::vector<std::pair<std::string, std::string>> requirements;
  const nlohmann::json& matchLabels = object(*selector, {"matchLabels"});
  for (auto it = matchLabels.begin(); it != matchLabels.end(); ++it) {
    requirements.emplace_back(it.key(), it.key() + "=" + str(&it.value()));
  }
  for (const nlohmann::json& e : array(*selector, {"matchExpressions"})) {
    std::string key = str(e, {"key"});
    std::string op = str(e, {"operator"});
    std::vector<std::string> values;
    for (const nlohmann::json& v : array(e, {"values"})) {
      values.push_back(str(&v));
    }
    std::sort(values.begin(), values.end());
    if (op == "In" || op == "NotIn") {
      if (values.empty()) {
        *ok = false;
        return "";
      }
      std::string word = op == "In" ? " in (" : " notin (";
      requirements.emplace_back(key, key + word + join(values, ",") + ")");
    } else if (op == "Exists" || op == "DoesNotExist") {
      if (!values.empty()) {
        *ok = false;
        return "";
      }
      requirements.emplace_back(key, (op == "Exists" ? "" : "!") + key);
    } else {
      *ok = false;
      return "";
    }
  }
  std::stable_sort(requirements.begin(), requirements.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> parts;
  for (auto& r : requirements) {
    parts.push_back(std::move(r.second));
  }
  return join(parts, ",");
}

std::string formatLabelSelector(const nlohmann::json* selector) {
  bool ok = true;
  std::string s = selectorString(selector, &ok);
  if (!ok) {
    return "<error>";
  }
  return orNone(s);
}

std::pair<std::string, std::string> containerCells(const nlohmann::json& containers) {
  std::vector<std::string> names, images;
  if (containers.is_array()) {
    for (const nlohmann::json& c : containers) {
      names.push_back(str(c, {"name"}));
      images.push_back(str(c, {"image"}));
    }
  }
  return {join(names, ","), join(images, ",")};
}

std::string accessModes(const nlohmann::json& modes) {
  auto has = [&](const char* mode) {
    return modes.is_array() && std::any_of(modes.begin(), modes.end(), [&](const auto& m) {
             return m.is_string() && m.template get<std::string>() == mode;
           });
  };
  std::vector<std::string> out;
  for (auto [mode, abbreviation] : {std::pair{"ReadWriteOnce", "RWO"}, std::pair{"ReadOnlyMany", "ROX"},
                                    std::pair{"ReadWriteMany", "RWX"},
                                    std::pair{"ReadWriteOncePod", "RWOP"}}) {
    if (has(mode)) {
      out.push_back(abbreviation);
    }
  }
  return join(out, ",");
}

std::string listWithMore(const std::vector<std::string>& shown, size_t total, size_t max,
                         const std::string& empty) {
  std::string joined = join(shown, ",");
  if (total > max) {
    return joined + " + " + std::to_string(total - max) + " more...";
  }
  return joined.empty() ? empty : joined;
}

}  // namespace tug::api::table
