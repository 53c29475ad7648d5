// Events, core (v1) and events.k8s.io/v1. Upstream serves both from one storage and prints
// them with the same columns; the newer group only renames fields.
#include <algorithm>
#include <cctype>

#include "api/table/builtin_printers.h"
#include "api/table/json_fields.h"

namespace tug::api::table {
namespace {

// Field names of the two versions: core first, events.k8s.io second.
struct Names {
  const char* involved;
  const char* message;
  const char* source;
  const char* firstTimestamp;
  const char* lastTimestamp;
  const char* count;
};
constexpr Names kCore{"involvedObject", "message", "source", "firstTimestamp", "lastTimestamp",
                      "count"};
constexpr Names kEvents{"regarding", "note", "deprecatedSource", "deprecatedFirstTimestamp",
                        "deprecatedLastTimestamp", "deprecatedCount"};

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string firstNonEmpty(const std::string& a, const std::string& b) { return a.empty() ? b : a; }

Row eventRow(const json& e, TimePoint now, const Names& n) {
  std::string first = present(e, {n.firstTimestamp}) ? since(field(e, {n.firstTimestamp}), now)
                                                     : since(field(e, {"eventTime"}), now);
  std::string last =
      present(e, {n.lastTimestamp}) ? since(field(e, {n.lastTimestamp}), now) : first;
  int64_t count = integer(e, {n.count});
  if (present(e, {"series"})) {
    last = since(field(e, {"series", "lastObservedTime"}), now);
    count = integer(e, {"series", "count"});
  } else if (count == 0) {
    count = 1;  // singleton events of the newer API carry no count
  }
  const json& involved = object(e, {n.involved});
  std::string target = lower(str(involved, {"kind"}));
  if (!str(involved, {"name"}).empty()) {
    target += "/" + str(involved, {"name"});
  }
  std::string component =
      firstNonEmpty(str(e, {n.source, "component"}), str(e, {"reportingController"}));
  std::string instance =
      firstNonEmpty(str(e, {n.source, "host"}), str(e, {"reportingInstance"}));
  Row row;
  row.cells = {last,
               str(e, {"type"}),
               str(e, {"reason"}),
               target,
               str(involved, {"fieldPath"}),
               instance.empty() ? component : component + ", " + instance,
               trim(str(e, {n.message})),
               first,
               count,
               str(e, {"metadata", "name"})};
  return row;
}

Row coreEventRow(const json& e, TimePoint now) { return eventRow(e, now, kCore); }

// Objects of events.k8s.io may also arrive in the core shape (one storage for both groups).
Row eventsGroupRow(const json& e, TimePoint now) {
  return eventRow(e, now, present(e, {"involvedObject"}) ? kCore : kEvents);
}

std::vector<Column> eventColumns() {
  return {column("Last Seen", "string", "Time since the event was last seen."),
          column("Type", "string", "Normal or Warning."),
          column("Reason", "string", "Why the event happened, in one word."),
          column("Object", "string", "The object the event is about."),
          column("Subobject", "string", "The part of the object, such as a container.", 1),
          column("Source", "string", "The component that reported it.", 1),
          column("Message", "string", "What happened."),
          column("First Seen", "string", "Time since the event was first seen.", 1),
          column("Count", "string", "How often it happened.", 1),
          Column{"Name", "string", "name", "The object's name.", 1}};
}

}  // namespace

void addEventPrinters(PrinterEntries& out) {
  out.push_back({"", "events", makePrinter(eventColumns(), coreEventRow)});
  out.push_back({"events.k8s.io", "events", makePrinter(eventColumns(), eventsGroupRow)});
}

}  // namespace tug::api::table
