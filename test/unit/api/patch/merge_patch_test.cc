#include "api/patch/merge_patch.h"

#include <catch2/catch.hpp>

using nlohmann::json;
using tug::api::applyMergePatch;

namespace {
json merge(const char* target, const char* patch) {
  return applyMergePatch(json::parse(target), json::parse(patch));
}
}  // namespace

// The examples of RFC 7386 appendix A.
TEST_CASE("merge patch follows RFC 7386's examples", "[patch]") {
  CHECK(merge(R"({"a":"b"})", R"({"a":"c"})") == json::parse(R"({"a":"c"})"));
  CHECK(merge(R"({"a":"b"})", R"({"b":"c"})") == json::parse(R"({"a":"b","b":"c"})"));
  CHECK(merge(R"({"a":"b"})", R"({"a":null})") == json::parse("{}"));
  CHECK(merge(R"({"a":"b","b":"c"})", R"({"a":null})") == json::parse(R"({"b":"c"})"));
  CHECK(merge(R"({"a":["b"]})", R"({"a":"c"})") == json::parse(R"({"a":"c"})"));
  CHECK(merge(R"({"a":"c"})", R"({"a":["b"]})") == json::parse(R"({"a":["b"]})"));
  CHECK(merge(R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})") ==
        json::parse(R"({"a":{"b":"d"}})"));
  CHECK(merge(R"({"a":[{"b":"c"}]})", R"({"a":[1]})") == json::parse(R"({"a":[1]})"));
  CHECK(merge(R"(["a","b"])", R"(["c","d"])") == json::parse(R"(["c","d"])"));
  CHECK(merge(R"({"a":"b"})", R"(["c"])") == json::parse(R"(["c"])"));
  CHECK(merge(R"({"a":"foo"})", "null") == json());
  CHECK(merge(R"({"a":"foo"})", R"("bar")") == json("bar"));
  CHECK(merge(R"({"e":null})", R"({"a":1})") == json::parse(R"({"e":null,"a":1})"));
  CHECK(merge(R"([1,2])", R"({"a":"b","c":null})") == json::parse(R"({"a":"b"})"));
  CHECK(merge("{}", R"({"a":{"bb":{"ccc":null}}})") == json::parse(R"({"a":{"bb":{}}})"));
}

TEST_CASE("merge patch labels and annotations as kubectl sends them", "[patch]") {
  json pod = json::parse(R"({"metadata":{"name":"p","labels":{"app":"web","tier":"fe"}},
                             "spec":{"containers":[{"name":"c","image":"a"}]}})");
  json out = applyMergePatch(pod, json::parse(R"({"metadata":{"labels":{"tier":null,"v":"2"}}})"));
  CHECK(out["metadata"]["labels"] == json::parse(R"({"app":"web","v":"2"})"));
  CHECK(out["spec"] == pod["spec"]);
  // Lists are replaced whole: a merge patch cannot change one container.
  out = applyMergePatch(pod, json::parse(R"({"spec":{"containers":[{"name":"c","image":"b"}]}})"));
  CHECK(out["spec"]["containers"] == json::parse(R"([{"name":"c","image":"b"}])"));
}
