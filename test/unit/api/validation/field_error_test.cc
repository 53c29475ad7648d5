#include <catch2/catch.hpp>

#include "api/validation/field_error.h"

using nlohmann::json;
using namespace tug::api::validation;

TEST_CASE("field paths print as upstream's", "[field_error]") {
  Path p("spec");
  CHECK(p.child("template", "spec").child("containers").index(0).child("image").str() ==
        "spec.template.spec.containers[0].image");
  CHECK(Path("data").key("a.b").str() == "data[a.b]");
}

TEST_CASE("error bodies show values like Go's fmt", "[field_error]") {
  CHECK(required(Path("spec.x")).message() == "spec.x: Required value");
  CHECK(required(Path("a"), "why").body() == "Required value: why");
  CHECK(invalid(Path("a"), "x", "bad").body() == "Invalid value: \"x\": bad");
  CHECK(invalid(Path("a"), -1, "bad").body() == "Invalid value: -1: bad");
  CHECK(invalid(Path("a"), json{{"app", "y"}, {"b", "c"}}, "d").body() ==
        "Invalid value: map[string]string{\"app\":\"y\", \"b\":\"c\"}: d");
  CHECK(invalid(Path("a"), json{"1.2.3.4"}, "d").body() ==
        "Invalid value: []string{\"1.2.3.4\"}: d");
  CHECK(invalid(Path("a"), json{{"k", 1}}, "d").body() == "Invalid value: {\"k\":1}: d");
  CHECK(notSupported(Path("a"), "x", {"A", "B"}).body() ==
        "Unsupported value: \"x\": supported values: \"A\", \"B\"");
  CHECK(duplicate(Path("a"), "x").body() == "Duplicate value: \"x\"");
  CHECK(notFound(Path("a"), "v").body() == "Not found: \"v\"");
  CHECK(forbidden(Path("a"), "no").body() == "Forbidden: no");
  CHECK(tooLong(Path("a"), 10).body() == "Too long: must have at most 10 bytes");
  CHECK(immutable(Path("a"), "x").body() == "Invalid value: \"x\": field is immutable");
}

TEST_CASE("the aggregate message and causes match upstream's Invalid status", "[field_error]") {
  ErrorList one = {required(Path("spec.a"))};
  CHECK(invalidMessage("Deployment", "apps", "web", one) ==
        "Deployment.apps \"web\" is invalid: spec.a: Required value");
  ErrorList two = {required(Path("spec.a")), invalid(Path("b"), 1, "x"), required(Path("spec.a"))};
  CHECK(invalidMessage("Pod", "", "p", two) ==
        "Pod \"p\" is invalid: [spec.a: Required value, b: Invalid value: 1: x]");
  json c = causes(two);
  REQUIRE(c.size() == 3);
  CHECK(c[0] == json{{"reason", "FieldValueRequired"}, {"message", "Required value"}, {"field", "spec.a"}});
  CHECK(c[1]["reason"] == "FieldValueInvalid");
  CHECK(reasonOf(ErrorType::kNotSupported) == "FieldValueNotSupported");
  CHECK(reasonOf(ErrorType::kDuplicate) == "FieldValueDuplicate");
  CHECK(reasonOf(ErrorType::kForbidden) == "FieldValueForbidden");
  CHECK(reasonOf(ErrorType::kTooLong) == "FieldValueTooLong");
}
