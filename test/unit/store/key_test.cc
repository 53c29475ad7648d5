#include "store/key.h"

#include <catch2/catch.hpp>

using tug::Code;
using namespace tug::store;

TEST_CASE("keys must start with a slash and hold printable ASCII", "[store][key]") {
  CHECK(validateKey("/registry/pods/default/web-1").isOk());
  CHECK(validateKey("/registry/clusterroles/system:admin").isOk());
  CHECK(validateKey("").code() == Code::kInvalid);
  CHECK(validateKey("registry/pods").code() == Code::kInvalid);
  CHECK(validateKey("/registry/pods/a b").code() == Code::kInvalid);
  CHECK(validateKey(std::string("/a\0b", 4)).code() == Code::kInvalid);
  CHECK(validateKey("/caf\xc3\xa9").code() == Code::kInvalid);
  CHECK(validateKey("/x\n").message().find("0x0a") != std::string::npos);
}

TEST_CASE("keys are limited in length", "[store][key]") {
  CHECK(validateKey("/" + std::string(kMaxKeyBytes - 1, 'a')).isOk());
  auto s = validateKey("/" + std::string(kMaxKeyBytes, 'a'));
  CHECK(s.code() == Code::kInvalid);
  CHECK(s.message().find("exceeds the limit") != std::string::npos);
}

TEST_CASE("values are limited to 3 MiB", "[store][key]") {
  CHECK(validateValue("/k", std::string(kMaxValueBytes, 'v')).isOk());
  auto s = validateValue("/k", std::string(kMaxValueBytes + 1, 'v'));
  CHECK(s.code() == Code::kTooLarge);
  CHECK(s.message().find("/k") != std::string::npos);
}

TEST_CASE("a prefix may be empty", "[store][key]") {
  CHECK(validatePrefix("").isOk());
  CHECK(validatePrefix("/registry/").isOk());
  CHECK(validatePrefix("registry").code() == Code::kInvalid);
}

TEST_CASE("prefixEnd bounds every key with the prefix", "[store][key]") {
  CHECK(prefixEnd("/registry/pods/") == "/registry/pods0");
  CHECK(prefixEnd("/a") == "/b");
  CHECK(prefixEnd("") == "");
  CHECK(prefixEnd(std::string("/\xff", 2)) == "0");
}
