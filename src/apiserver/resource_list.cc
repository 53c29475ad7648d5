#include <charconv>

#include "apiserver/object_meta.h"
#include "apiserver/resource_selector.h"
#include "apiserver/resource_verbs.h"
#include "store/continue_token.h"

namespace tug::apiserver {
namespace {

Result<int64_t> nonNegative(const std::string& text, const char* what) {
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || n < 0) {
    return badRequest(std::string("invalid ") + what + " \"" + text + "\"");
  }
  return n;
}

// Where a list reads, from resourceVersion and resourceVersionMatch as upstream reads them:
// unset or "0" serves the latest; Exact (or a version with a limit, the legacy paging form)
// reads at that revision; NotOlderThan serves the latest when it is new enough.
struct ReadPoint {
  store::Revision revision = 0;  // 0: the latest
  std::string rv;                // as given, for messages
};

Result<ReadPoint> readPoint(const VerbContext& ctx, const QueryParams& params, int64_t limit) {
  std::string rv = queryParam(params, "resourceVersion");
  std::string match = queryParam(params, "resourceVersionMatch");
  std::string cont = queryParam(params, "continue");
  if (!match.empty() && match != "Exact" && match != "NotOlderThan") {
    return badRequest("invalid resourceVersionMatch \"" + match +
                      "\": supported values are \"Exact\" and \"NotOlderThan\"");
  }
  if (!match.empty() && rv.empty()) {
    return badRequest("resourceVersionMatch is forbidden unless resourceVersion is provided");
  }
  if (!cont.empty() && !rv.empty() && rv != "0") {
    return badRequest("specifying resource version is not allowed when using continue");
  }
  if (!cont.empty() && !match.empty()) {
    return badRequest("resourceVersionMatch is forbidden when continue is provided");
  }
  ReadPoint p{0, rv};
  if (rv.empty()) {
    return p;
  }
  auto n = nonNegative(rv, "resourceVersion");
  if (!n.ok()) {
    return n.status();
  }
  if (match == "Exact" && *n == 0) {
    return badRequest("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"");
  }
  store::Revision current = ctx.store.currentRevision();
  if (*n > current) {
    return Status(Code::kTimeout,
                  "Too large resource version: " + rv + ", current: " + std::to_string(current));
  }
  bool exact = match == "Exact" || (match.empty() && *n != 0 && limit > 0);
  if (exact) {
    p.revision = *n;
  }
  return p;
}

Status expired(const Status& s, const VerbContext& ctx, const ReadPoint& p, bool continuing) {
  if (s.code() != Code::kGone) {
    return s;
  }
  if (continuing) {
    return gone(
        "The provided continue parameter is too old to display a consistent list "
        "result. You can start a new list without the continue parameter.");
  }
  return gone("too old resource version: " + p.rv + " (" +
              std::to_string(ctx.store.compactedRevision()) + ")");
}

}  // namespace

Result<Listed> listMatching(const VerbContext& ctx, const VerbRequest& req) {
  auto labels = LabelSelector::parse(queryParam(req.params, "labelSelector"));
  if (!labels.ok()) {
    return labels.status();
  }
  auto fields = FieldSelector::parse(queryParam(req.params, "fieldSelector"), *req.target.info);
  if (!fields.ok()) {
    return fields.status();
  }
  int64_t limit = 0;
  if (std::string l = queryParam(req.params, "limit"); !l.empty()) {
    auto n = nonNegative(l, "limit");
    if (!n.ok()) {
      return n.status();
    }
    limit = *n;
  }
  auto point = readPoint(ctx, req.params, limit);
  if (!point.ok()) {
    return point.status();
  }
  const bool filtering = !labels->empty() || !fields->empty();
  const std::string prefix = targetKey(req.target);
  store::ListOptions options{point->revision, limit, queryParam(req.params, "continue")};
  const bool continuing = !options.continueToken.empty();
  Listed out;
  // Filtering may drop most of a page: keep reading pages until `limit` objects matched.
  while (true) {
    auto page = ctx.store.list(prefix, options);
    if (!page.ok()) {
      return expired(page.status(), ctx, *point, continuing);
    }
    out.revision = page->revision;
    for (size_t i = 0; i < page->items.size(); ++i) {
      const store::KeyValue& kv = page->items[i];
      auto obj = decodeStored(kv, *req.target.info);
      if (!obj.ok()) {
        return obj.status();
      }
      if (!labels->matches(objectLabels(*obj)) || !fields->matches(*obj)) {
        continue;
      }
      out.items.push_back(std::move(*obj));
      if (limit > 0 && static_cast<int64_t>(out.items.size()) == limit) {
        size_t unread = page->items.size() - i - 1;
        if (unread > 0 || !page->continueToken.empty()) {
          out.continueToken = store::encodeContinue({page->revision, kv.key});
          if (!filtering) {
            out.remaining = page->remaining + static_cast<int64_t>(unread);
          }
        }
        return out;
      }
    }
    if (page->continueToken.empty()) {
      return out;
    }
    options.continueToken = page->continueToken;
    options.revision = 0;
  }
}

Reply listResources(const VerbContext& ctx, const VerbRequest& req) {
  auto listed = listMatching(ctx, req);
  if (!listed.ok()) {
    return errorReply(listed.status(), req.target);
  }
  const api::ResourceInfo& info = *req.target.info;
  nlohmann::json meta = {{"resourceVersion", std::to_string(listed->revision)}};
  if (!listed->continueToken.empty()) {
    meta["continue"] = listed->continueToken;
    if (listed->remaining) {
      meta["remainingItemCount"] = *listed->remaining;
    }
  }
  nlohmann::json items = nlohmann::json::array();
  for (auto& obj : listed->items) {
    items.push_back(std::move(obj));
  }
  return Reply{200,
               {{"kind", info.kind + "List"},
                {"apiVersion", info.groupVersion()},
                {"metadata", std::move(meta)},
                {"items", std::move(items)}}};
}

}  // namespace tug::apiserver
