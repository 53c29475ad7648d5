#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

// Times as the Table columns show them: ages like "5m" or "3d4h", computed on the server from
// RFC 3339 timestamps and the current time (kubectl prints them as they come).
namespace tug::api::table {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

// Parses an RFC 3339 timestamp ("2024-05-01T10:00:00Z", fractions and offsets allowed), as
// metav1.Time and metav1.MicroTime are written. nullopt when it is not one.
std::optional<TimePoint> parseTimestamp(std::string_view text);

// Upstream's duration.HumanDuration: about two significant figures ("45s", "2m30s", "3h",
// "5d4h", "2y10d"); "<invalid>" for durations more than a second negative (clock skew of up
// to a second reads "0s").
std::string humanDuration(Clock::duration d);

// How long ago `timestamp` was, as humanDuration; "<unknown>" when it is absent or not a
// timestamp (upstream's translateTimestampSince of a zero time).
std::string since(std::string_view timestamp, TimePoint now);
std::string since(const nlohmann::json* timestamp, TimePoint now);

// The age column of every printer: since(metadata.creationTimestamp).
std::string age(const nlohmann::json& obj, TimePoint now);

}  // namespace tug::api::table
