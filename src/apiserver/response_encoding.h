#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// Content-Encoding of API responses, as the upstream API server decides it: gzip, at its
// fastest level, when the client accepts gzip and the body is larger than 128 KiB. Smaller
// bodies go as they are: compressing them costs more time than it saves on the wire.
namespace tug::apiserver {

inline constexpr size_t kGzipThresholdBytes = 128 * 1024;

// True when an Accept-Encoding header lists the token "gzip" (upstream reads it the same way:
// comma-separated tokens, no q values).
bool acceptsGzip(std::string_view acceptEncoding);

// `body` as a gzip stream at level 1; nullopt if zlib fails (the body then goes uncompressed).
std::optional<std::string> gzipFast(std::string_view body);

}  // namespace tug::apiserver
