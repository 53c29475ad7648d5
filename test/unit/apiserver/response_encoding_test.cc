#include "apiserver/response_encoding.h"

#include <zlib.h>

#include <optional>
#include <string>

#include <catch2/catch.hpp>

using namespace tug::apiserver;

namespace {

// Inflates a gzip stream; nullopt when it is not one.
std::optional<std::string> gunzip(const std::string& in) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) {
    return std::nullopt;
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    char buf[4096];
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

TEST_CASE("gzip is accepted when Accept-Encoding lists the token", "[encoding]") {
  CHECK(acceptsGzip("gzip"));
  CHECK(acceptsGzip("deflate, gzip"));
  CHECK(acceptsGzip(" gzip ,br"));
  CHECK_FALSE(acceptsGzip(""));
  CHECK_FALSE(acceptsGzip("br"));
  CHECK_FALSE(acceptsGzip("x-gzip"));
  // Upstream reads plain tokens only; a weighted entry does not count.
  CHECK_FALSE(acceptsGzip("gzip;q=1.0"));
}

TEST_CASE("gzipFast writes a gzip stream of the body", "[encoding]") {
  std::string body;
  for (int i = 0; i < 20000; ++i) {
    body += R"({"metadata":{"name":"pod-)" + std::to_string(i) + R"("}},)";
  }
  REQUIRE(body.size() > 2 * 256 * 1024);  // more than one output chunk of input
  auto packed = gzipFast(body);
  REQUIRE(packed.has_value());
  CHECK(packed->size() < body.size() / 4);
  CHECK(gunzip(*packed) == body);
  auto empty = gzipFast("");
  REQUIRE(empty.has_value());
  CHECK(gunzip(*empty) == std::string());
}
