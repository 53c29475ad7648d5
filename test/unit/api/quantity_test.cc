#include "api/quantity.h"

#include <catch2/catch.hpp>

using namespace tug;
using namespace tug::api;

namespace {

int64_t milli(std::string_view s) {
  auto q = parseQuantity(s);
  INFO(s << ": " << q.status().toString());
  REQUIRE(q.ok());
  return q->milliValue();
}

int64_t units(std::string_view s) {
  auto q = parseQuantity(s);
  INFO(s << ": " << q.status().toString());
  REQUIRE(q.ok());
  return q->value();
}

}  // namespace

TEST_CASE("decimal quantities read as milli-units", "[quantity]") {
  CHECK(milli("500m") == 500);
  CHECK(milli("1") == 1000);
  CHECK(milli("1.5") == 1500);
  CHECK(milli("0.1") == 100);
  CHECK(milli(".5") == 500);
  CHECK(milli("2.") == 2000);
  CHECK(milli("+3") == 3000);
  CHECK(milli("-250m") == -250);
  CHECK(milli("0") == 0);
  CHECK(milli("000012") == 12000);
  CHECK(milli("100000000n") == 100);
  CHECK(milli("1500u") == 2);  // 1.5m rounds up
  CHECK(milli("0.1m") == 1);
}

TEST_CASE("SI, binary and exponent suffixes scale the number", "[quantity]") {
  CHECK(units("2k") == 2000);
  CHECK(units("3M") == 3000000);
  CHECK(units("1G") == 1000000000);
  CHECK(units("1T") == 1000000000000);
  CHECK(units("1P") == 1000000000000000);
  CHECK(units("1E") == 1000000000000000000);
  CHECK(units("1Ki") == 1024);
  CHECK(units("128Mi") == 128 * 1024 * 1024);
  CHECK(units("1Gi") == 1073741824);
  CHECK(units("1.5Gi") == 1610612736);
  CHECK(units("1Ti") == 1099511627776);
  CHECK(units("1Pi") == 1125899906842624);
  CHECK(units("1Ei") == 1152921504606846976);
  CHECK(units("1e3") == 1000);
  CHECK(units("1E3") == 1000);
  CHECK(units("12e+2") == 1200);
  CHECK(milli("5e-3") == 5);
  CHECK(units("500m") == 1);  // whole units round up
  CHECK(units("1.2") == 2);
}

TEST_CASE("quantities compare and add exactly", "[quantity]") {
  CHECK(*parseQuantity("1") == *parseQuantity("1000m"));
  CHECK(*parseQuantity("1Ki") == *parseQuantity("1024"));
  CHECK(*parseQuantity("1k") < *parseQuantity("1Ki"));
  Quantity sum = *parseQuantity("250m");
  sum += *parseQuantity("1.75");
  CHECK(sum == Quantity::fromValue(2));
  sum -= Quantity::fromMilli(500);
  CHECK(sum.milliValue() == 1500);
  CHECK(Quantity().isZero());
}

TEST_CASE("malformed quantities are refused with upstream's reasons", "[quantity]") {
  const std::string format =
      "quantities must match the regular expression "
      "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  for (const char* bad : {"", "abc", "Mi", "-", "1..2", "1.2.3", "1 Gi", "1Gi ", "0x10", "1/2"}) {
    INFO(bad);
    auto q = parseQuantity(bad);
    REQUIRE_FALSE(q.ok());
    CHECK(q.status().code() == Code::kBadRequest);
    CHECK(q.status().message() == format);
  }
  for (const char* bad : {"1Ki1", "1kk", "1MiB", "1mi", "1K", "1e", "1e-"}) {
    INFO(bad);
    auto q = parseQuantity(bad);
    REQUIRE_FALSE(q.ok());
    CHECK(q.status().code() == Code::kBadRequest);
  }
  CHECK(parseQuantity("1K").status().message() == "unable to parse quantity's suffix");
  CHECK(parseQuantity("1e400").status().message() == "quantity is too large");
  CHECK(parseQuantity("99999999999999999999999999999999999999999").status().message() ==
        "quantity is too large");
}

TEST_CASE("quantities in objects may be strings or numbers", "[quantity]") {
  CHECK(quantityFromJson("250m")->milliValue() == 250);
  CHECK(quantityFromJson(2)->milliValue() == 2000);
  CHECK(quantityFromJson(0.5)->milliValue() == 500);
  CHECK(quantityFromJson(nlohmann::json::array()).status().code() == Code::kBadRequest);
  CHECK(quantityFromJson(nullptr).status().code() == Code::kBadRequest);
}
