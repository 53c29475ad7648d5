#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "client/client.h"

namespace tug::client {

// Reads a watch answer's body as it arrives: newline-delimited {"type","object"} events, in
// pieces cut anywhere. An ERROR event ends the stream with the Status it carries (Gone for
// 410), as does a line that is not JSON.
class WatchLineDecoder {
 public:
  // `omitManagedFields`: the events' objects come without metadata.managedFields, cut out of
  // the text before it is parsed (WatchOptions).
  explicit WatchLineDecoder(std::string what, bool omitManagedFields = false)
      : what_(std::move(what)), omitManagedFields_(omitManagedFields) {}

  // Takes the next piece of the body and calls `deliver(WatchEvent&&)` for each whole event
  // in it. Returns the Status that ends the stream, or nullopt to read on.
  template <typename Deliver>
  std::optional<Status> feed(std::string_view data, Deliver&& deliver) {
    pending_.append(data);
    size_t start = 0;
    std::optional<Status> end;
    for (size_t nl; !end && (nl = pending_.find('\n', start)) != std::string::npos;
         start = nl + 1) {
      auto event = decode(std::string_view(pending_).substr(start, nl - start));
      if (std::holds_alternative<Status>(event)) {
        end = std::get<Status>(std::move(event));
      } else if (auto& e = std::get<std::optional<WatchEvent>>(event)) {
        deliver(std::move(*e));
      }
    }
    pending_.erase(0, start);
    return end;
  }

 private:
  // One line: an event, nothing (an empty line), or the Status that ends the stream.
  std::variant<std::optional<WatchEvent>, Status> decode(std::string_view line) const;

  const std::string what_;
  const bool omitManagedFields_;
  std::string pending_;
};

// The watch event line `{"type":...,"object":{...}}` without its object's
// metadata.managedFields member; nothing when the object has none or the line is not in the
// compact form servers write (json_text.h), for the caller to parse and erase instead.
std::optional<std::string> withoutManagedFields(std::string_view line);

}  // namespace tug::client
