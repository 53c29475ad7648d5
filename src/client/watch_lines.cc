#include "client/watch_lines.h"

#include "common/json_text.h"

namespace tug::client {
namespace {

// The member `key` of the compact JSON object `text`: its key (as written between its quotes)
// and its value, both views into `text`.
std::optional<std::pair<std::string_view, std::string_view>> findMember(std::string_view text,
                                                                        std::string_view key) {
  std::optional<std::pair<std::string_view, std::string_view>> found;
  forEachMember(text, [&](std::string_view k, std::string_view v) {
    if (k == key) {
      found.emplace(k, v);
      return false;  // stops the walk
    }
    return true;
  });
  return found;
}

}  // namespace

std::optional<std::string> withoutManagedFields(std::string_view line) {
  auto object = findMember(line, "object");
  if (!object) {
    return std::nullopt;
  }
  auto metadata = findMember(object->second, "metadata");
  if (!metadata) {
    return std::nullopt;
  }
  auto fields = findMember(metadata->second, "managedFields");
  if (!fields) {
    return std::nullopt;
  }
  // From the key's opening quote to the end of the value, with one of the commas beside it.
  const char* begin = fields->first.data() - 1;
  const char* end = fields->second.data() + fields->second.size();
  const char* lineEnd = line.data() + line.size();
  if (end < lineEnd && *end == ',') {
    ++end;
  } else if (begin > line.data() && begin[-1] == ',') {
    --begin;
  }
  std::string out;
  out.reserve(line.size() - static_cast<size_t>(end - begin));
  out.append(line.data(), begin);
  out.append(end, lineEnd);
  return out;
}

std::variant<std::optional<WatchEvent>, Status> WatchLineDecoder::decode(
    std::string_view line) const {
  if (line.empty()) {
    return std::optional<WatchEvent>();
  }
  std::optional<std::string> cut;
  if (omitManagedFields_) {
    cut = withoutManagedFields(line);
  }
  json j = json::parse(cut ? std::string_view(*cut) : line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status(Code::kInternal, "watch " + what_ + ": an event is not JSON");
  }
  WatchEvent e{j.value("type", ""), std::move(j["object"])};
  if (omitManagedFields_ && !cut && e.object.is_object()) {
    e.object = stripManagedFields(std::move(e.object));
  }
  if (e.type == "ERROR") {
    int code = e.object.is_object() ? e.object.value("code", 500) : 500;
    return statusFromReply(code, e.object);
  }
  return std::optional<WatchEvent>(std::move(e));
}

}  // namespace tug::client
