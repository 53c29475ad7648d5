#include "client/watch_lines.h"

#include <catch2/catch.hpp>

using namespace tug;
using namespace tug::client;

namespace {

// Feeds `body` to a decoder in pieces of `piece` bytes and collects the events.
std::vector<WatchEvent> decodeAll(const std::string& body, bool omit, size_t piece,
                                  std::optional<Status>* end = nullptr) {
  WatchLineDecoder lines("pods", omit);
  std::vector<WatchEvent> out;
  for (size_t at = 0; at < body.size(); at += piece) {
    auto ended = lines.feed(std::string_view(body).substr(at, piece),
                            [&](WatchEvent&& e) { out.push_back(std::move(e)); });
    if (ended && end != nullptr) {
      *end = ended;
    }
  }
  return out;
}

const char* kWithFields =
    R"({"type":"MODIFIED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"a":"b"},)"
    R"("managedFields":[{"manager":"m","fieldsV1":{"f:spec":{}}}],"name":"p","namespace":"default"},)"
    R"("spec":{"nodeName":"n1"}}})";

}  // namespace

TEST_CASE("managedFields are cut out of an event line, with one of their commas", "[client]") {
  auto cut = withoutManagedFields(kWithFields);
  REQUIRE(cut.has_value());
  json parsed = json::parse(*cut);
  json expected = json::parse(kWithFields);
  expected["object"]["metadata"].erase("managedFields");
  CHECK(parsed == expected);

  // First and last member of metadata, and its only member.
  auto first = withoutManagedFields(
      R"({"type":"ADDED","object":{"metadata":{"managedFields":[],"name":"p"}}})");
  REQUIRE(first.has_value());
  CHECK(*first == R"({"type":"ADDED","object":{"metadata":{"name":"p"}}})");
  auto last = withoutManagedFields(
      R"({"type":"ADDED","object":{"metadata":{"name":"p","managedFields":[{"a":"},{"}]}}})");
  REQUIRE(last.has_value());
  CHECK(*last == R"({"type":"ADDED","object":{"metadata":{"name":"p"}}})");
  auto only =
      withoutManagedFields(R"({"type":"ADDED","object":{"metadata":{"managedFields":[]}}})");
  REQUIRE(only.has_value());
  CHECK(*only == R"({"type":"ADDED","object":{"metadata":{}}})");

  // Nothing to cut, or text in another form: the caller parses it as it is.
  CHECK_FALSE(withoutManagedFields(R"({"type":"ADDED","object":{"metadata":{"name":"p"}}})"));
  CHECK_FALSE(withoutManagedFields(R"({"type":"BOOKMARK","object":{"kind":"Pod"}})"));
  CHECK_FALSE(withoutManagedFields(R"({ "type": "ADDED", "object": {"metadata": {}}})"));
  CHECK_FALSE(withoutManagedFields(R"({"type":"ADDED","object":{"metadata":{"managedFields":[})"));
}

TEST_CASE("a decoder asked to omit managedFields drops them from every event", "[client]") {
  const std::string spaced =
      R"({"type": "ADDED", "object": {"metadata": {"name": "q", "managedFields": [{}]}}})";
  const std::string body = std::string(kWithFields) + "\n" + spaced + "\n";
  for (size_t piece : {size_t{1}, size_t{7}, body.size()}) {
    auto events = decodeAll(body, /*omit=*/true, piece);
    REQUIRE(events.size() == 2);
    CHECK(events[0].type == "MODIFIED");
    CHECK_FALSE(events[0].object["metadata"].contains("managedFields"));
    CHECK(events[0].object["metadata"]["labels"]["a"] == "b");
    CHECK(events[0].object["spec"]["nodeName"] == "n1");
    // Not in the compact form: parsed whole, then dropped.
    CHECK(events[1].type == "ADDED");
    CHECK_FALSE(events[1].object["metadata"].contains("managedFields"));
    CHECK(events[1].object["metadata"]["name"] == "q");
  }
  auto kept = decodeAll(body, /*omit=*/false, 5);
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].object["metadata"]["managedFields"][0]["manager"] == "m");

  // A line that is not JSON still ends the stream, cut or not.
  std::optional<Status> end;
  auto none = decodeAll("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"managedFields\":[]\n",
                        true, 4, &end);
  CHECK(none.empty());
  REQUIRE(end.has_value());
  CHECK(end->code() == Code::kInternal);
}
