#include "apiserver/object_meta.h"

#include <openssl/rand.h>
#include <pthread.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>

#include "apiserver/resource_path.h"
#include "common/json_text.h"
#include "common/rfc3339.h"

namespace tug::apiserver {
namespace {

// Bumped in a forked child, so that it does not hand out bytes its parent drew as well.
std::atomic<uint64_t> forkGeneration{0};

// OpenSSL's random bytes, drawn a block at a time per thread: every RAND_bytes call checks the
// process id (a system call) and takes locks, which cost more than the 16 bytes of a uid.
class RandomPool {
 public:
  void take(unsigned char* out, size_t n) {
    static const bool registered = [] {
      return pthread_atfork(nullptr, nullptr, [] { forkGeneration.fetch_add(1); }) == 0;
    }();
    (void)registered;
    const uint64_t generation = forkGeneration.load(std::memory_order_relaxed);
    if (used_ + n > block_.size() || generation != generation_) {
      // RAND_bytes only fails when the OS has no entropy at all; nothing sensible is left.
      if (RAND_bytes(block_.data(), static_cast<int>(block_.size())) != 1) {
        std::abort();
      }
      used_ = 0;
      generation_ = generation;
    }
    std::memcpy(out, block_.data() + used_, n);
    std::memset(block_.data() + used_, 0, n);  // handed out once only
    used_ += n;
  }

 private:
  std::array<unsigned char, 1024> block_{};
  size_t used_ = block_.size();
  uint64_t generation_ = 0;
};

template <size_t N>
std::array<unsigned char, N> randomBytes() {
  static_assert(N <= 1024);
  thread_local RandomPool pool;
  std::array<unsigned char, N> b{};
  pool.take(b.data(), N);
  return b;
}

nlohmann::json& metadata(nlohmann::json& obj) {
  nlohmann::json& m = obj["metadata"];
  if (!m.is_object()) {
    m = nlohmann::json::object();
  }
  return m;
}

// "Deployment.apps" or "Pod": how Invalid messages name a kind.
std::string qualifiedKind(const api::ResourceInfo& info) {
  return info.group.empty() ? info.kind : info.kind + "." + info.group;
}

// The object without the parts a generation does not count.
nlohmann::json specPart(const nlohmann::json& obj) {
  nlohmann::json j = obj;
  for (const char* k : {"metadata", "status", "kind", "apiVersion"}) {
    j.erase(k);
  }
  return j;
}

}  // namespace

std::string newUid() {
  auto b = randomBytes<16>();
  b[6] = (b[6] & 0x0f) | 0x40;  // version 4
  b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

std::string nowTimestamp() { return nowRfc3339(); }

std::string generateName(std::string_view prefix) {
  // No vowels: generated names should not spell words.
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  auto b = randomBytes<5>();
  std::string name(prefix);
  for (unsigned char c : b) {
    name += kAlphabet[c % kAlphabet.size()];
  }
  return name;
}

std::string metaString(const nlohmann::json& obj, const char* field) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) {
    return "";
  }
  auto v = m->find(field);
  return v != m->end() && v->is_string() ? v->get<std::string>() : "";
}

std::string storedMetaString(const store::KeyValue& kv, std::string_view field) {
  // The member `key` of the compact object `text` ("" when absent); nullopt when the text is
  // not one, or its keys do not ascend (a duplicate would leave the parser's choice unclear).
  auto member = [](std::string_view text, std::string_view key) -> std::optional<std::string_view> {
    std::string_view found, previous;
    bool first = true;
    bool walked = forEachMember(text, [&](std::string_view k, std::string_view v) {
      if (!first && k <= previous) {
        return false;
      }
      first = false;
      previous = k;
      if (k == key) {
        found = v;
      }
      return true;
    });
    return walked ? std::optional(found) : std::nullopt;
  };
  std::optional<std::string_view> metadata = member(kv.value, "metadata");
  std::optional<std::string_view> value =
      metadata && metadata->starts_with('{') ? member(*metadata, field) : std::nullopt;
  if (!value) {
    auto obj = parseObject(kv.value);  // another shape: the parser decides
    return obj.ok() ? metaString(*obj, std::string(field).c_str()) : "";
  }
  if (!value->starts_with('"')) {
    return "";  // absent, or not a string
  }
  auto text = nlohmann::json::parse(*value, nullptr, false);
  return text.is_string() ? text.get<std::string>() : "";
}

Status checkAndSetIdentity(nlohmann::json& obj, const api::ResourceInfo& info,
                           std::string_view urlNamespace) {
  if (!obj.is_object()) {
    return badRequest("the body of the request was not a JSON object");
  }
  if (obj.contains("metadata") && !obj["metadata"].is_object()) {
    return badRequest("metadata must be an object");
  }
  const std::string gv = info.groupVersion();
  if (auto a = obj.find("apiVersion"); a != obj.end() && !(a->is_string() && *a == gv)) {
    return badRequest("the API version in the data (" +
                      (a->is_string() ? a->get<std::string>() : a->dump()) +
                      ") does not match the expected API version (" + gv + ")");
  }
  if (auto k = obj.find("kind"); k != obj.end() && !(k->is_string() && *k == info.kind)) {
    return badRequest("the kind in the data (" +
                      (k->is_string() ? k->get<std::string>() : k->dump()) +
                      ") does not match the expected kind (" + info.kind + ")");
  }
  obj["apiVersion"] = gv;
  obj["kind"] = info.kind;
  nlohmann::json& m = metadata(obj);
  if (!info.namespaced) {
    m.erase("namespace");
    return Status::ok();
  }
  std::string bodyNs = metaString(obj, "namespace");
  if (!bodyNs.empty() && bodyNs != urlNamespace) {
    return badRequest(
        "the namespace of the provided object does not match the namespace sent on the request");
  }
  m["namespace"] = std::string(urlNamespace);
  return Status::ok();
}

Status prepareForCreate(nlohmann::json& obj, const api::ResourceInfo& info) {
  nlohmann::json& m = metadata(obj);
  std::string name = metaString(obj, "name");
  if (name.empty() && metaString(obj, "generateName").empty()) {
    return invalid(qualifiedKind(info) + " \"\" is invalid: metadata.name: Required value: " +
                   "name or generateName is required");
  }
  if (!name.empty() && !isValidPathSegmentName(name)) {
    return invalid(qualifiedKind(info) + " \"" + name + "\" is invalid: metadata.name: " +
                   "Invalid value: \"" + name + "\": may not contain '/' or '%' or be '.' or '..'");
  }
  m["uid"] = newUid();
  m["creationTimestamp"] = nowTimestamp();
  m["generation"] = 1;
  for (const char* k : {"resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds"}) {
    m.erase(k);
  }
  return Status::ok();
}

bool hasStatusSubresource(const api::ResourceInfo& info) {
  return info.subresource("status") != nullptr;
}

void prepareForUpdate(nlohmann::json& next, const nlohmann::json& current,
                      const api::ResourceInfo& info) {
  nlohmann::json& m = metadata(next);
  const nlohmann::json& old = current.at("metadata");
  for (const char* k : {"uid", "creationTimestamp", "deletionTimestamp",
                        "deletionGracePeriodSeconds", "generation"}) {
    if (auto v = old.find(k); v != old.end()) {
      m[k] = *v;
    } else {
      m.erase(k);
    }
  }
  if (hasStatusSubresource(info)) {
    if (auto s = current.find("status"); s != current.end()) {
      next["status"] = *s;
    } else {
      next.erase("status");
    }
  }
  if (specPart(next) != specPart(current)) {
    m["generation"] = old.value("generation", 0) + 1;
  }
}

void setResourceVersion(nlohmann::json& obj, store::Revision revision) {
  metadata(obj)["resourceVersion"] = std::to_string(revision);
}

void clearResourceVersion(nlohmann::json& obj) {
  if (auto m = obj.find("metadata"); m != obj.end() && m->is_object()) {
    m->erase("resourceVersion");
  }
}

Result<nlohmann::json> parseObject(std::string_view text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return badRequest(kNotJson + e.what());
  }
}

Result<nlohmann::json> decodeStored(const store::KeyValue& kv, const api::ResourceInfo& info) {
  auto obj = parseObject(kv.value);
  if (!obj.ok() || !obj->is_object()) {
    return internalError("stored object " + kv.key + " is damaged");
  }
  (*obj)["apiVersion"] = info.groupVersion();
  (*obj)["kind"] = info.kind;
  setResourceVersion(*obj, kv.modRevision);
  return obj;
}

}  // namespace tug::apiserver
