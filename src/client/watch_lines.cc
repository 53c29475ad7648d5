#include "client/watch_lines.h"

namespace tug::client {

std::variant<std::optional<WatchEvent>, Status> WatchLineDecoder::decode(
    std::string_view line) const {
  if (line.empty()) {
    return std::optional<WatchEvent>();
  }
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status(Code::kInternal, "watch " + what_ + ": an event is not JSON");
  }
  WatchEvent e{j.value("type", ""), std::move(j["object"])};
  if (e.type == "ERROR") {
    int code = e.object.is_object() ? e.object.value("code", 500) : 500;
    return statusFromReply(code, e.object);
  }
  return std::optional<WatchEvent>(std::move(e));
}

}  // namespace tug::client
