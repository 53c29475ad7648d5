#include "pki/san.h"

#include <catch2/catch.hpp>

using tug::pki::SubjectAltNames;

TEST_CASE("IP addresses are compared in canonical form", "[pki][san]") {
  CHECK(tug::pki::canonicalIp("0:0::1") == "::1");
  CHECK(tug::pki::canonicalIp("10.0.0.1") == "10.0.0.1");
  CHECK_FALSE(tug::pki::canonicalIp("example.com").has_value());
  CHECK_FALSE(tug::pki::canonicalIp("10.0.0.256").has_value());
}

TEST_CASE("the first service IP is the network address plus one", "[pki][san]") {
  auto v4 = tug::pki::firstServiceIps("10.43.0.0/16");
  REQUIRE(v4.ok());
  CHECK(*v4 == std::vector<std::string>{"10.43.0.1"});

  SECTION("host bits in the CIDR are ignored") {
    auto ips = tug::pki::firstServiceIps("10.43.7.9/16");
    REQUIRE(ips.ok());
    CHECK(*ips == std::vector<std::string>{"10.43.0.1"});
  }
  SECTION("dual stack gives one per family") {
    auto ips = tug::pki::firstServiceIps("10.43.0.0/16, fd00:43::/112");
    REQUIRE(ips.ok());
    CHECK(*ips == std::vector<std::string>{"10.43.0.1", "fd00:43::1"});
  }
  SECTION("a malformed CIDR is Invalid") {
    for (const char* bad : {"10.43.0.0", "10.43.0.0/33", "10.43.0.0/x", "nope/16", ""}) {
      auto ips = tug::pki::firstServiceIps(bad);
      CHECK_FALSE(ips.ok());
      CHECK(ips.status().code() == tug::Code::kInvalid);
    }
  }
}

TEST_CASE("names are sorted into DNS and IP without duplicates", "[pki][san]") {
  SubjectAltNames names;
  names.add("Example.COM");
  names.add("example.com");
  names.add("192.168.1.5");
  names.add("0:0::1");
  names.add("::1");
  names.add("  ");
  CHECK(names.dnsNames == std::vector<std::string>{"example.com"});
  CHECK(names.ipAddresses == std::vector<std::string>{"192.168.1.5", "::1"});
  CHECK_FALSE(names.addIp("not-an-ip").isOk());
}

TEST_CASE("covers reports the first missing name", "[pki][san]") {
  SubjectAltNames have;
  have.add("a.example");
  have.add("10.0.0.1");
  SubjectAltNames want = have;
  CHECK(have.covers(want));
  want.add("10.0.0.2");
  std::string missing;
  CHECK_FALSE(have.covers(want, &missing));
  CHECK(missing == "10.0.0.2");
}
