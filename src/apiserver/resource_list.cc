#include <charconv>

#include "apiserver/encoded_json.h"
#include "apiserver/object_meta.h"
#include "apiserver/resource_selector.h"
#include "apiserver/resource_verbs.h"
#include "apiserver/selected_members.h"
#include "apiserver/served_object.h"
#include "apiserver/table_response.h"
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

// What a list request asks for, checked.
struct ListQuery {
  LabelSelector labels;
  FieldSelector fields;
  int64_t limit = 0;
  ReadPoint point;

  bool filtering() const { return !labels.empty() || !fields.empty(); }
  bool matches(const nlohmann::json& object) const {
    return labels.matches(objectLabels(object)) && fields.matches(object);
  }
};

Result<ListQuery> parseQuery(const VerbContext& ctx, const VerbRequest& req) {
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
  return ListQuery{std::move(*labels), std::move(*fields), limit, std::move(*point)};
}

// Where a list stopped.
struct ListEnd {
  store::Revision revision = 0;
  std::string continueToken;
  std::optional<int64_t> remaining;  // known only when nothing was filtered out
};

// Decides whether a stored object is in the list and, when it is, keeps it (it may move from
// `kv`). Errors end the list.
using Take = std::function<Result<bool>(store::KeyValue& kv)>;
// Sees each store page before its objects are offered.
using PageRead = std::function<void(const store::ListResult& page)>;

// Offers the collection's stored objects to `take` in key order, one store page after another,
// until `limit` were taken or the collection ends.
Result<ListEnd> readMatching(const VerbContext& ctx, const VerbRequest& req, const ListQuery& q,
                             const Take& take, const PageRead& pageRead = nullptr) {
  const std::string prefix = targetKey(req.target);
  store::ListOptions options{q.point.revision, q.limit, queryParam(req.params, "continue")};
  const bool continuing = !options.continueToken.empty();
  ListEnd out;
  int64_t taken = 0;
  // Filtering may drop most of a page: keep reading pages until `limit` objects matched.
  while (true) {
    auto page = ctx.store.list(prefix, options);
    if (!page.ok()) {
      return expired(page.status(), ctx, q.point, continuing);
    }
    out.revision = page->revision;
    if (pageRead) {
      pageRead(*page);
    }
    for (size_t i = 0; i < page->items.size(); ++i) {
      store::KeyValue& kv = page->items[i];
      const bool last = q.limit > 0 && taken + 1 == q.limit;
      std::string key = last ? kv.key : std::string();  // `take` may move kv
      auto took = take(kv);
      if (!took.ok()) {
        return took.status();
      }
      if (!*took) {
        continue;
      }
      ++taken;
      if (last) {
        size_t unread = page->items.size() - i - 1;
        if (unread > 0 || !page->continueToken.empty()) {
          out.continueToken = store::encodeContinue({page->revision, key});
          if (!q.filtering()) {
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

// The list's metadata, as both encodings print it.
nlohmann::json listMetadata(const ListEnd& end) {
  nlohmann::json meta = {{"resourceVersion", std::to_string(end.revision)}};
  if (!end.continueToken.empty()) {
    meta["continue"] = end.continueToken;
    if (end.remaining) {
      meta["remainingItemCount"] = *end.remaining;
    }
  }
  return meta;
}

// Appends text to a reply body.
void put(std::vector<std::uint8_t>& body, std::string_view text) {
  auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
  body.insert(body.end(), p, p + text.size());
}

// A plain JSON list of a built-in resource: each stored object's text is copied into the body
// with its apiVersion, kind and resourceVersion written in, instead of being parsed and printed
// again. The body is what the decoding path prints, byte for byte, for objects tug wrote; other
// stored shapes are decoded. Custom resources keep the decoding path: their stored version may
// differ from the one served, which a conversion will have to look at.
Reply listSpliced(const VerbContext& ctx, const VerbRequest& req, const ListQuery& q) {
  const api::ResourceInfo& info = *req.target.info;
  const ServedIdentity identity = ServedIdentity::of(info);
  const auto paths = q.filtering() ? selectorPaths(q.labels, q.fields) : std::vector<std::string>();
  std::vector<std::uint8_t> body;
  // Sized once for a whole page: growing a body of many MiB copies it again and again.
  // What a read writes into an object (a resourceVersion, a comma) fits in the margin.
  auto reserve = [&](const store::ListResult& page) {
    if (q.filtering()) {
      return;  // most of the page may be left out
    }
    size_t bytes = 256;
    for (const store::KeyValue& kv : page.items) {
      bytes += kv.value.size() + 64;
    }
    body.reserve(body.size() + bytes);
  };
  // The body as nlohmann::json prints a list: members in key order.
  put(body, "{\"apiVersion\":");
  put(body, identity.apiVersion);
  put(body, ",\"items\":[");
  bool first = true;
  auto take = [&](store::KeyValue& kv) -> Result<bool> {
    if (q.filtering()) {
      auto view = selectorView(kv, paths);
      if (!view.ok()) {
        return view.status();
      }
      if (!q.matches(*view)) {
        return false;
      }
    }
    if (!first) {
      body.push_back(',');
    }
    first = false;
    if (!appendServedObject(body, kv.value, identity, kv.modRevision)) {
      auto obj = decodeStored(kv, info);
      if (!obj.ok()) {
        return obj.status();
      }
      put(body, obj->dump());
    }
    return true;
  };
  auto end = readMatching(ctx, req, q, take, reserve);
  if (!end.ok()) {
    return errorReply(end.status(), req.target);
  }
  put(body, "],\"kind\":");
  put(body, nlohmann::json(info.kind + "List").dump());
  put(body, ",\"metadata\":");
  put(body, listMetadata(*end).dump());
  put(body, "}");
  return Reply{200, encodedJson(std::move(body))};
}

}  // namespace

Result<Listed> listMatching(const VerbContext& ctx, const VerbRequest& req) {
  auto q = parseQuery(ctx, req);
  if (!q.ok()) {
    return q.status();
  }
  Listed out;
  auto end = readMatching(ctx, req, *q, [&](store::KeyValue& kv) -> Result<bool> {
    auto obj = decodeStored(kv, *req.target.info);
    if (!obj.ok()) {
      return obj.status();
    }
    if (!q->matches(*obj)) {
      return false;
    }
    out.items.push_back(std::move(*obj));
    return true;
  });
  if (!end.ok()) {
    return end.status();
  }
  out.revision = end->revision;
  out.continueToken = std::move(end->continueToken);
  out.remaining = end->remaining;
  return out;
}

Reply listResources(const VerbContext& ctx, const VerbRequest& req) {
  const api::ResourceInfo& info = *req.target.info;
  auto format = negotiateOutput(req.accept);
  if (info.builtin && format && format->rendering == Rendering::kObject) {
    auto q = parseQuery(ctx, req);
    if (!q.ok()) {
      return errorReply(q.status(), req.target);
    }
    return listSpliced(ctx, req, *q);
  }
  auto listed = listMatching(ctx, req);
  if (!listed.ok()) {
    return errorReply(listed.status(), req.target);
  }
  ListEnd end{listed->revision, std::move(listed->continueToken), listed->remaining};
  nlohmann::json items = nlohmann::json::array();
  for (auto& obj : listed->items) {
    items.push_back(std::move(obj));
  }
  return Reply{200,
               {{"kind", info.kind + "List"},
                {"apiVersion", info.groupVersion()},
                {"metadata", listMetadata(end)},
                {"items", std::move(items)}}};
}

}  // namespace tug::apiserver
