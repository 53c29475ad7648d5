#pragma once

#include <chrono>
#include <string>

// Timestamps as metav1.Time serializes them (creationTimestamp, lastTimestamp, ...).
namespace tug {

// `t` in UTC with whole seconds: "2026-01-02T03:04:05Z".
std::string formatRfc3339(std::chrono::system_clock::time_point t);
// The current time so.
std::string nowRfc3339();
// `t` in UTC with microseconds, as metav1.MicroTime serializes (a Lease's renewTime):
// "2026-01-02T03:04:05.123456Z".
std::string formatRfc3339Micro(std::chrono::system_clock::time_point t);

}  // namespace tug
