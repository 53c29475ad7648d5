#include "common/time_zone.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

namespace tug {
namespace {

int64_t bigEndian(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v = (v << 8) | p[i];
  }
  if (bytes == 4) {
    return static_cast<int32_t>(static_cast<uint32_t>(v));
  }
  return static_cast<int64_t>(v);
}

// Zone names are paths of plain parts, as upstream's validation allows: no "." or "..", no part
// starting with '-', only letters, digits and ".-_+", at most 14 characters a part.
bool plainZoneName(std::string_view name) {
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) {
      end = name.size();
    }
    std::string_view part = name.substr(start, end - start);
    if (part.empty() || part.size() > 14 || part == "." || part == ".." || part[0] == '-') {
      return false;
    }
    for (char c : part) {
      if (!std::isalnum(static_cast<unsigned char>(c)) &&
          std::string_view(".-_+").find(c) == std::string_view::npos) {
        return false;
      }
    }
    start = end + 1;
  }
  return true;
}

struct Header {
  int64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

Header readHeader(const unsigned char* p) {
  return Header{bigEndian(p + 20, 4), bigEndian(p + 24, 4), bigEndian(p + 28, 4),
                bigEndian(p + 32, 4), bigEndian(p + 36, 4), bigEndian(p + 40, 4)};
}

int64_t blockSize(const Header& h, int timeBytes) {
  return h.timecnt * timeBytes + h.timecnt + h.typecnt * 6 + h.charcnt +
         h.leapcnt * (timeBytes + 4) + h.isstdcnt + h.isutcnt;
}

}  // namespace

TimeZone::TimeZone() : transitions_(std::make_shared<std::vector<Transition>>()) {}

Result<TimeZone> TimeZone::load(std::string_view name, const std::string& root) {
  TimeZone zone;
  if (name.empty() || name == "UTC") {
    return zone;
  }
  const std::string unknown = "unknown time zone " + std::string(name);
  if (!plainZoneName(name)) {
    return notFound(unknown);
  }
  std::ifstream in(root + "/" + std::string(name), std::ios::binary);
  if (!in) {
    return notFound(unknown);
  }
  std::vector<unsigned char> data((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (data.size() < 44 || std::string(data.begin(), data.begin() + 4) != "TZif") {
    return notFound(unknown);
  }
  // Version 2 and later files repeat the data with 64-bit times after the 32-bit block.
  Header h = readHeader(data.data());
  size_t pos = 44;
  int timeBytes = 4;
  if (data[4] >= '2') {
    pos += blockSize(h, 4);
    if (data.size() < pos + 44) {
      return notFound(unknown);
    }
    h = readHeader(data.data() + pos);
    pos += 44;
    timeBytes = 8;
  }
  if (data.size() < pos + blockSize(h, timeBytes) || h.typecnt == 0) {
    return notFound(unknown);
  }
  const unsigned char* times = data.data() + pos;
  const unsigned char* indexes = times + h.timecnt * timeBytes;
  const unsigned char* types = indexes + h.timecnt;
  auto offsetOfType = [&](int64_t type) {
    return type < h.typecnt ? bigEndian(types + type * 6, 4) : 0;
  };
  auto transitions = std::make_shared<std::vector<Transition>>();
  for (int64_t i = 0; i < h.timecnt; ++i) {
    transitions->push_back(
        Transition{bigEndian(times + i * timeBytes, timeBytes), offsetOfType(indexes[i])});
  }
  zone.name_ = std::string(name);
  zone.initialOffset_ = offsetOfType(0);
  zone.transitions_ = std::move(transitions);
  return zone;
}

int64_t TimeZone::offsetAt(Seconds t) const {
  const int64_t s = t.time_since_epoch().count();
  auto it = std::upper_bound(transitions_->begin(), transitions_->end(), s,
                             [](int64_t v, const Transition& tr) { return v < tr.at; });
  return it == transitions_->begin() ? initialOffset_ : std::prev(it)->offset;
}

std::vector<TimeZone::Seconds> TimeZone::instantsOf(int64_t local) const {
  const int64_t before = offsetAt(Seconds(std::chrono::seconds(local - 86400)));
  const int64_t after = offsetAt(Seconds(std::chrono::seconds(local + 86400)));
  std::vector<Seconds> out;
  for (int64_t offset : {before, after}) {
    const Seconds u{std::chrono::seconds(local - offset)};
    if (offsetAt(u) == offset && std::find(out.begin(), out.end(), u) == out.end()) {
      out.push_back(u);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string formatRfc3339In(std::chrono::sys_seconds t, const TimeZone& zone) {
  const int64_t offset = zone.offsetAt(t);
  const auto local = std::chrono::sys_seconds(std::chrono::seconds(zone.toLocal(t)));
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{local - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  std::string out = buf;
  if (offset == 0) {
    return out + "Z";
  }
  const int64_t a = offset < 0 ? -offset : offset;
  std::snprintf(buf, sizeof buf, "%c%02ld:%02ld", offset < 0 ? '-' : '+',
                static_cast<long>(a / 3600), static_cast<long>((a % 3600) / 60));
  return out + buf;
}

}  // namespace tug
