#pragma once

#include <cstdint>
#include <optional>
#include <string>

// Text forms of Go values as Kubernetes' JSON encoding writes them, for the protobuf decoder.
namespace tug::api::protobuf {

// time.Unix(seconds, nanos) in UTC as RFC 3339: metav1.Time to the second
// ("2024-05-01T10:00:00Z"), metav1.MicroTime with six fraction digits
// ("2024-05-01T10:00:00.123456Z"). nullopt outside years 0..9999, which Go refuses to write.
std::optional<std::string> formatRfc3339(int64_t seconds, int64_t nanos, bool micro);

// time.Duration(nanoseconds).String(): "1h2m3.5s", "1.5ms", "2µs", "0s", "-4m0s".
std::string formatGoDuration(int64_t nanoseconds);

}  // namespace tug::api::protobuf
