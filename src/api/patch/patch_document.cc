#include "api/patch/patch_document.h"

#include <utility>
#include <vector>

namespace tug::api {

int textNestingDepth(std::string_view text, int limit) {
  int depth = 0;
  int deepest = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        inString = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        inString = true;
        break;
      case '[':
      case '{':
        if (++depth > deepest) {
          deepest = depth;
          if (deepest > limit) {
            return limit + 1;
          }
        }
        break;
      case ']':
      case '}':
        --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

int nestingDepth(const nlohmann::json& doc) {
  int deepest = 0;
  std::vector<std::pair<const nlohmann::json*, int>> pending{{&doc, 0}};
  while (!pending.empty()) {
    auto [node, depth] = pending.back();
    pending.pop_back();
    if (!node->is_structured()) {
      continue;
    }
    deepest = std::max(deepest, depth + 1);
    for (const auto& child : *node) {
      pending.emplace_back(&child, depth + 1);
    }
  }
  return deepest;
}

Result<nlohmann::json> parsePatchDocument(std::string_view text) {
  if (textNestingDepth(text) > kMaxPatchDepth) {
    return badRequest("the patch is nested too deeply: more than " +
                      std::to_string(kMaxPatchDepth) + " levels of arrays and objects");
  }
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return badRequest("invalid JSON patch");
  }
  return doc;
}

}  // namespace tug::api
