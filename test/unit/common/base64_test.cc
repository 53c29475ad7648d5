#include "common/base64.h"

#include <catch2/catch.hpp>

TEST_CASE("base64 encodes the RFC 4648 test vectors", "[base64]") {
  CHECK(tug::base64Encode("") == "");
  CHECK(tug::base64Encode("f") == "Zg==");
  CHECK(tug::base64Encode("fo") == "Zm8=");
  CHECK(tug::base64Encode("foo") == "Zm9v");
  CHECK(tug::base64Encode("foob") == "Zm9vYg==");
  CHECK(tug::base64Encode("fooba") == "Zm9vYmE=");
  CHECK(tug::base64Encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64 round-trips binary data in both alphabets", "[base64]") {
  std::string all;
  for (int i = 0; i < 256; ++i) {
    all += static_cast<char>(i);
  }
  for (bool url : {false, true}) {
    auto enc = tug::base64Encode(all, url);
    CHECK((enc.find_first_of(url ? "+/" : "-_") == std::string::npos));
    auto dec = tug::base64Decode(enc, url);
    REQUIRE(dec.has_value());
    CHECK(*dec == all);
  }
}

TEST_CASE("base64 decoding rejects malformed input", "[base64]") {
  CHECK_FALSE(tug::base64Decode("Zm9v!").has_value());
  CHECK_FALSE(tug::base64Decode("Z").has_value());
  CHECK_FALSE(tug::base64Decode("Zm-_", /*urlSafe=*/false).has_value());
  CHECK(tug::base64Decode("Zm8").value() == "fo");  // padding is optional
}
