#include "api/patch/json_patch.h"

#include <charconv>
#include <string>
#include <vector>

#include "api/patch/json_pointer.h"
#include "api/patch/patch_document.h"

namespace tug::api {
namespace {

using nlohmann::json;

constexpr const char* kMissing = "missing value";
constexpr const char* kInvalidIndex = "invalid index referenced";

// How Go's json package names a JSON value's type in "cannot unmarshal X into ...".
std::string jsonTypeWord(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return "object";
    case json::value_t::array: return "array";
    case json::value_t::string: return "string";
    case json::value_t::boolean: return "bool";
    default: return "number";
  }
}

Status failed(std::string message) { return invalid(std::move(message)); }

// Go's strconv.Atoi, with its error wording: an optional sign and decimal digits.
Result<long long> parseIndex(const std::string& token) {
  const char* begin = token.data();
  const char* end = begin + token.size();
  if (begin != end && *begin == '+') {
    ++begin;
  }
  long long n = 0;
  auto [ptr, ec] = std::from_chars(begin, end, n);
  if (ec == std::errc::result_out_of_range) {
    return failed("strconv.Atoi: parsing \"" + token + "\": value out of range");
  }
  if (ec != std::errc() || ptr != end || begin == end) {
    return failed("strconv.Atoi: parsing \"" + token + "\": invalid syntax");
  }
  return n;
}

Status badIndex(long long idx) {
  return failed("Unable to access invalid index: " + std::to_string(idx) + ": " + kInvalidIndex);
}

// The container holding the pointer's last token, and that token. `container` is nullptr when
// the pointer is malformed or a step before the last does not exist.
struct Location {
  json* container = nullptr;
  std::string key;
  size_t depth = 0;  // how many tokens the pointer has
};

Location locate(json& doc, const std::string& path) {
  auto tokens = parseJsonPointer(path);
  if (!tokens || tokens->empty()) {
    return {};
  }
  json* node = &doc;
  for (size_t i = 0; i + 1 < tokens->size(); ++i) {
    const std::string& t = (*tokens)[i];
    if (node->is_object()) {
      auto it = node->find(t);
      if (it == node->end()) {
        return {};
      }
      node = &*it;
    } else if (node->is_array()) {
      auto idx = parseIndex(t);
      if (!idx.ok() || *idx < 0 || static_cast<size_t>(*idx) >= node->size()) {
        return {};
      }
      node = &(*node)[static_cast<size_t>(*idx)];
    } else {
      return {};
    }
  }
  if (!node->is_structured()) {
    return {};
  }
  return Location{node, tokens->back(), tokens->size()};
}

// The member or element at `loc`: nullptr for a missing object member (not an error, as
// upstream's library has it), an error for a bad or out-of-range array index.
Result<json*> get(const Location& loc) {
  json& c = *loc.container;
  if (c.is_object()) {
    auto it = c.find(loc.key);
    return it == c.end() ? nullptr : &*it;
  }
  auto idx = parseIndex(loc.key);
  if (!idx.ok()) {
    return idx.status();
  }
  if (*idx < 0 || static_cast<size_t>(*idx) >= c.size()) {
    return badIndex(*idx);
  }
  return &c[static_cast<size_t>(*idx)];
}

// A value put at `loc` must keep the document within kMaxPatchDepth.
Status checkDepth(const Location& loc, const json& value) {
  if (loc.depth + nestingDepth(value) > static_cast<size_t>(kMaxPatchDepth)) {
    return failed("the patched object would nest more than " + std::to_string(kMaxPatchDepth) +
                  " levels deep");
  }
  return Status::ok();
}

Status add(const Location& loc, json value) {
  if (Status s = checkDepth(loc, value); !s.isOk()) {
    return s;
  }
  json& c = *loc.container;
  if (c.is_object()) {
    c[loc.key] = std::move(value);
    return Status::ok();
  }
  if (loc.key == "-") {
    c.push_back(std::move(value));
    return Status::ok();
  }
  auto idx = parseIndex(loc.key);
  if (!idx.ok()) {
    return failed("value was not a proper array index: '" + loc.key +
                  "': " + idx.status().message());
  }
  if (*idx < 0 || static_cast<size_t>(*idx) > c.size()) {
    return badIndex(*idx);
  }
  c.insert(c.begin() + *idx, std::move(value));
  return Status::ok();
}

Status remove(const Location& loc) {
  json& c = *loc.container;
  if (c.is_object()) {
    if (c.erase(loc.key) == 0) {
      return failed("Unable to remove nonexistent key: " + loc.key + ": " + kMissing);
    }
    return Status::ok();
  }
  auto idx = parseIndex(loc.key);
  if (!idx.ok()) {
    return idx.status();
  }
  if (*idx < 0 || static_cast<size_t>(*idx) >= c.size()) {
    return badIndex(*idx);
  }
  c.erase(c.begin() + *idx);
  return Status::ok();
}

Status wrap(const std::string& context, const Status& s) {
  return s.isOk() ? s : failed(context + ": " + s.message());
}

size_t valueCount(const json& v) {
  size_t n = 0;
  std::vector<const json*> pending{&v};
  while (!pending.empty()) {
    const json* node = pending.back();
    pending.pop_back();
    ++n;
    if (node->is_structured()) {
      for (const auto& child : *node) {
        pending.push_back(&child);
      }
    }
  }
  return n;
}

// One operation of a patch, with its fields read as upstream's library reads them.
class Operation {
 public:
  explicit Operation(const json& op) : op_(op) {}

  // "unknown" when op is missing or not a string.
  std::string kind() const {
    auto it = op_.is_object() ? op_.find("op") : op_.end();
    return it != op_.end() && it->is_string() ? it->get<std::string>() : "unknown";
  }
  // The "path" or "from" member; the error names what is wrong with it.
  Result<std::string> pointer(const char* field) const {
    auto it = op_.is_object() ? op_.find(field) : op_.end();
    if (it == op_.end() || it->is_null()) {
      return failed(std::string(field) == "path"
                        ? std::string("operation missing path field: ") + kMissing
                        : std::string("operation, missing from field: ") + kMissing);
    }
    if (!it->is_string()) {
      return failed("json: cannot unmarshal " + jsonTypeWord(*it) +
                    " into Go value of type string");
    }
    return it->get<std::string>();
  }
  bool hasValue() const { return op_.is_object() && op_.contains("value"); }
  // An absent value is null, as upstream adds it.
  json value() const { return hasValue() ? op_.at("value") : json(); }

 private:
  const json& op_;
};

class Patcher {
 public:
  explicit Patcher(json& doc) : doc_(doc) {}

  Status apply(const Operation& op) {
    std::string kind = op.kind();
    if (kind == "add") return addOp(op);
    if (kind == "remove") return removeOp(op);
    if (kind == "replace") return replaceOp(op);
    if (kind == "move") return moveOp(op);
    if (kind == "test") return testOp(op);
    if (kind == "copy") return copyOp(op);
    return failed("Unexpected kind: " + kind);
  }

 private:
  Status addOp(const Operation& op) {
    auto path = op.pointer("path");
    if (!path.ok()) {
      return failed(std::string("add operation failed to decode path: ") + kMissing);
    }
    Location loc = locate(doc_, *path);
    if (loc.container == nullptr) {
      return failed("add operation does not apply: doc is missing path: \"" + *path +
                    "\": " + kMissing);
    }
    return wrap("error in add for path: '" + *path + "'", add(loc, op.value()));
  }

  Status removeOp(const Operation& op) {
    auto path = op.pointer("path");
    if (!path.ok()) {
      return failed(std::string("remove operation failed to decode path: ") + kMissing);
    }
    Location loc = locate(doc_, *path);
    if (loc.container == nullptr) {
      return failed("remove operation does not apply: doc is missing path: \"" + *path +
                    "\": " + kMissing);
    }
    return wrap("error in remove for path: '" + *path + "'", remove(loc));
  }

  Status replaceOp(const Operation& op) {
    auto path = op.pointer("path");
    if (!path.ok()) {
      return wrap("replace operation failed to decode path", path.status());
    }
    if (path->empty()) {
      json v = op.value();
      if (!v.is_structured()) {
        return failed("replace operation value must be object or array");
      }
      doc_ = std::move(v);
      return Status::ok();
    }
    Location loc = locate(doc_, *path);
    if (loc.container == nullptr) {
      return failed("replace operation does not apply: doc is missing path: " + *path + ": " +
                    kMissing);
    }
    auto current = get(loc);
    if (!current.ok()) {
      return failed("replace operation does not apply: doc is missing key: " + *path + ": " +
                    kMissing);
    }
    json v = op.value();
    if (Status s = checkDepth(loc, v); !s.isOk()) {
      return s;
    }
    if (*current != nullptr) {
      **current = std::move(v);
    } else {
      (*loc.container)[loc.key] = std::move(v);  // a missing object member is added
    }
    return Status::ok();
  }

  Status moveOp(const Operation& op) {
    auto from = op.pointer("from");
    if (!from.ok()) {
      return wrap("move operation failed to decode from", from.status());
    }
    Location src = locate(doc_, *from);
    if (src.container == nullptr) {
      return failed("move operation does not apply: doc is missing from path: " + *from + ": " +
                    kMissing);
    }
    auto value = get(src);
    if (!value.ok()) {
      return wrap("error in move for path: '" + src.key + "'", value.status());
    }
    json moved = *value != nullptr ? std::move(**value) : json();
    if (Status s = remove(src); !s.isOk()) {
      return wrap("error in move for path: '" + src.key + "'", s);
    }
    auto path = op.pointer("path");
    if (!path.ok()) {
      return wrap("move operation failed to decode path", path.status());
    }
    Location dst = locate(doc_, *path);
    if (dst.container == nullptr) {
      return failed("move operation does not apply: doc is missing destination path: " + *path +
                    ": " + kMissing);
    }
    return wrap("error in move for path: '" + *path + "'", add(dst, std::move(moved)));
  }

  Status testOp(const Operation& op) {
    auto path = op.pointer("path");
    if (!path.ok()) {
      return wrap("test operation failed to decode path", path.status());
    }
    Status mismatch = failed("testing value " + *path + " failed: test failed");
    if (path->empty()) {
      return doc_ == op.value() ? Status::ok() : mismatch;
    }
    Location loc = locate(doc_, *path);
    if (loc.container == nullptr) {
      return failed("test operation does not apply: is missing path: " + *path + ": " +
                    kMissing);
    }
    auto current = get(loc);
    if (!current.ok()) {
      return wrap("error in test for path: '" + *path + "'", current.status());
    }
    if (*current == nullptr) {
      return op.value().is_null() ? Status::ok() : mismatch;
    }
    if (!op.hasValue()) {
      return mismatch;
    }
    return **current == op.value() ? Status::ok() : mismatch;
  }

  Status copyOp(const Operation& op) {
    auto from = op.pointer("from");
    if (!from.ok()) {
      return wrap("copy operation failed to decode from", from.status());
    }
    Location src = locate(doc_, *from);
    if (src.container == nullptr) {
      return failed("copy operation does not apply: doc is missing from path: " + *from + ": " +
                    kMissing);
    }
    auto value = get(src);
    if (!value.ok()) {
      return wrap("error in copy for from: '" + *from + "'", value.status());
    }
    auto path = op.pointer("path");
    if (!path.ok()) {
      return failed(std::string("copy operation failed to decode path: ") + kMissing);
    }
    Location dst = locate(doc_, *path);
    if (dst.container == nullptr) {
      return failed("copy operation does not apply: doc is missing destination path: " + *path +
                    ": " + kMissing);
    }
    json copied = *value != nullptr ? **value : json();
    copied_ += valueCount(copied);
    if (copied_ > kMaxJsonPatchCopiedValues) {
      return failed("Unable to complete the copy, the accumulated size increase of copy is " +
                    std::to_string(copied_) + " values, exceeding the limit " +
                    std::to_string(kMaxJsonPatchCopiedValues));
    }
    return wrap("error while adding value during copy", add(dst, std::move(copied)));
  }

  json& doc_;
  size_t copied_ = 0;
};

}  // namespace

Result<json> applyJsonPatch(json doc, const json& ops) {
  if (ops.is_null()) {
    return doc;  // Go decodes null into an empty patch
  }
  if (!ops.is_array()) {
    return badRequest("json: cannot unmarshal " + jsonTypeWord(ops) +
                      " into Go value of type jsonpatch.Patch");
  }
  for (const json& op : ops) {
    if (!op.is_object() && !op.is_null()) {
      return badRequest("json: cannot unmarshal " + jsonTypeWord(op) +
                        " into Go value of type jsonpatch.Operation");
    }
  }
  if (ops.size() > kMaxJsonPatchOperations) {
    return tooLarge("The allowed maximum operations in a JSON patch is " +
                    std::to_string(kMaxJsonPatchOperations) + ", got " +
                    std::to_string(ops.size()));
  }
  Patcher patcher(doc);
  for (const json& op : ops) {
    if (Status s = patcher.apply(Operation(op)); !s.isOk()) {
      return s;
    }
  }
  return doc;
}

}  // namespace tug::api
