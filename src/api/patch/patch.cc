#include "api/patch/patch.h"

#include <cctype>

#include "api/patch/json_patch.h"
#include "api/patch/merge_patch.h"
#include "api/patch/patch_document.h"
#include "api/patch/strategic_merge_patch.h"

namespace tug::api {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<PatchType> patchTypeFromContentType(std::string_view contentType) {
  std::string_view media = trim(contentType.substr(0, contentType.find(';')));
  struct Known {
    std::string_view media;
    PatchType type;
  };
  static constexpr Known kKnown[] = {
      {"application/json-patch+json", PatchType::kJsonPatch},
      {"application/merge-patch+json", PatchType::kMergePatch},
      {"application/strategic-merge-patch+json", PatchType::kStrategicMergePatch},
      {"application/apply-patch+yaml", PatchType::kApplyPatch},
  };
  for (const Known& k : kKnown) {
    if (equalsIgnoreCase(media, k.media)) {
      return k.type;
    }
  }
  return std::nullopt;
}

Result<nlohmann::json> applyPatch(PatchType type, const nlohmann::json& original,
                                  std::string_view body, const TypeNode* schema) {
  auto patch = parsePatchDocument(body);
  if (!patch.ok()) {
    return patch.status();
  }
  switch (type) {
    case PatchType::kJsonPatch:
      return applyJsonPatch(original, *patch);
    case PatchType::kMergePatch:
      // Upstream's merge patch library takes objects only; an array would replace the
      // object with something that is not one.
      if (patch->is_array()) {
        return invalid("the patched object is not a JSON object: " + patch->dump());
      }
      if (!patch->is_object()) {
        return badRequest("Invalid JSON Patch");
      }
      return applyMergePatch(original, *patch);
    case PatchType::kStrategicMergePatch:
      if (patch->is_null()) {
        return original;  // decodes to an empty patch
      }
      return applyStrategicMergePatch(original, std::move(*patch), schema);
    case PatchType::kApplyPatch:
      break;
  }
  return internalError("server-side apply is not a JSON patch type");
}

}  // namespace tug::api
