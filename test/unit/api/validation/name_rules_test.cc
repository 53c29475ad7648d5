#include <catch2/catch.hpp>

#include "api/validation/name_rules.h"

using namespace tug::api::validation;

TEST_CASE("DNS-1123 labels and subdomains", "[names]") {
  CHECK(dns1123Label("my-name").empty());
  CHECK(dns1123Label("a1").empty());
  CHECK(dns1123Label("a.b") == Reasons{"must not contain dots"});
  REQUIRE(dns1123Label("Web").size() == 1);
  CHECK(dns1123Label("Web")[0] ==
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
        "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
  CHECK(dns1123Label(std::string(64, 'a')) == Reasons{"must be no more than 63 characters"});
  CHECK_FALSE(dns1123Label("").empty());
  CHECK_FALSE(dns1123Label("-a").empty());

  CHECK(dns1123Subdomain("example.com").empty());
  CHECK_FALSE(dns1123Subdomain("a..b").empty());
  CHECK_FALSE(dns1123Subdomain("a_b").empty());
  CHECK(dns1123Subdomain("Bad")[0].find("a lowercase RFC 1123 subdomain") == 0);
  CHECK(dns1123Subdomain(std::string(254, 'a')).size() == 1);

  CHECK(dns1035Label("web").empty());
  CHECK_FALSE(dns1035Label("1web").empty());
}

TEST_CASE("names of a generateName may end with a dash", "[names]") {
  CHECK(checkName(NameRule::kDns1123Subdomain, "web-", true).empty());
  CHECK_FALSE(checkName(NameRule::kDns1123Subdomain, "web-", false).empty());
  CHECK(checkName(NameRule::kPathSegment, "a:b", false).empty());
  CHECK(checkName(NameRule::kPathSegment, "a/b", false) == Reasons{"may not contain '/'"});
  CHECK(checkName(NameRule::kPathSegment, "..", false) == Reasons{"may not be '..'"});
}

TEST_CASE("label keys, values and other keys", "[names]") {
  CHECK(qualifiedName("app").empty());
  CHECK(qualifiedName("example.com/My_name.1").empty());
  CHECK(qualifiedName("/a") == Reasons{"prefix part must be non-empty"});
  CHECK(qualifiedName("a/") == Reasons{"name part must be non-empty",
                                       "name part must consist of alphanumeric characters, '-', "
                                       "'_' or '.', and must start and end with an alphanumeric "
                                       "character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
                                       "regex used for validation is "
                                       "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"});
  CHECK(qualifiedName("a/b/c").size() == 1);
  CHECK(qualifiedName("Bad_/x")[0].rfind("prefix part ", 0) == 0);
  CHECK(labelValue("").empty());
  CHECK(labelValue("v1.2_x").empty());
  CHECK_FALSE(labelValue("-x").empty());
  CHECK(labelValue(std::string(64, 'a')).size() == 1);
  CHECK(configMapKey("key.name").empty());
  CHECK_FALSE(configMapKey("a/b").empty());
  CHECK(configMapKey("..a").back() == "must not start with '..'");
  CHECK(portName("http").empty());
  CHECK(portName("80") == Reasons{"must contain at least one letter (a-z)"});
  CHECK(portName("a--b") == Reasons{"must not contain consecutive hyphens"});
  CHECK(portName("very-long-port-name").size() == 1);
  CHECK(envVarName("MY_VAR").empty());
  CHECK_FALSE(envVarName("A=B").empty());
  CHECK(wildcardDns1123Subdomain("*.example.com").empty());
  CHECK_FALSE(wildcardDns1123Subdomain("*example.com").empty());
}
