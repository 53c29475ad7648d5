#include "apiserver/response_encoding.h"

#include <zlib.h>

#include <limits>

namespace tug::apiserver {

bool acceptsGzip(std::string_view header) {
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view token = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    size_t b = token.find_first_not_of(" \t");
    size_t e = token.find_last_not_of(" \t");
    if (b != std::string_view::npos && token.substr(b, e - b + 1) == "gzip") {
      return true;
    }
  }
  return false;
}

std::optional<std::string> gzipFast(std::string_view body) {
  if (body.size() > std::numeric_limits<uInt>::max()) {
    return std::nullopt;
  }
  z_stream z{};
  // 15 window bits + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return std::nullopt;
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  // Grown a chunk at a time: JSON shrinks to a fraction, so the bound would be mostly unused.
  constexpr size_t kChunk = 256 * 1024;
  std::string out;
  out.reserve(body.size() / 4);
  int rc = Z_OK;
  while (rc == Z_OK) {
    size_t have = out.size();
    out.resize(have + kChunk);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + have);
    z.avail_out = static_cast<uInt>(kChunk);
    rc = deflate(&z, Z_FINISH);
    out.resize(have + kChunk - z.avail_out);
  }
  deflateEnd(&z);
  if (rc != Z_STREAM_END) {
    return std::nullopt;
  }
  return out;
}

}  // namespace tug::apiserver
