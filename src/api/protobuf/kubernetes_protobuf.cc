#include "api/protobuf/kubernetes_protobuf.h"

#include <string>

#include "api/protobuf/message_to_json.h"
#include "api/protobuf/proto_lookup.h"
#include "api/protobuf/wire_reader.h"

namespace tug::api::protobuf {
namespace {

// The parts of runtime.Unknown the decoder uses.
struct Envelope {
  std::string apiVersion, kind, contentEncoding;
  std::string_view raw;
};

Status readString(WireReader& r, WireType type, const char* what, std::string& out) {
  std::string_view bytes;
  if (type != WireType::kLengthDelimited) {
    return badRequest(std::string("wrong wire type for ") + what);
  }
  if (!r.readLengthDelimited(bytes)) {
    return badRequest(r.error());
  }
  out = std::string(bytes);
  return Status::ok();
}

Status readTypeMeta(std::string_view bytes, size_t base, Envelope& env) {
  WireReader r(bytes, base);
  while (!r.atEnd()) {
    uint32_t number = 0;
    WireType type{};
    if (!r.readTag(number, type)) {
      return badRequest(r.error());
    }
    Status s = number == 1    ? readString(r, type, "typeMeta.apiVersion", env.apiVersion)
               : number == 2  ? readString(r, type, "typeMeta.kind", env.kind)
               : r.skip(type) ? Status::ok()
                              : badRequest(r.error());
    if (!s.isOk()) {
      return s;
    }
  }
  return Status::ok();
}

Result<Envelope> readEnvelope(std::string_view data) {
  Envelope env;
  const size_t base = kProtobufMagic.size();
  WireReader r(data, base);
  while (!r.atEnd()) {
    uint32_t number = 0;
    WireType type{};
    if (!r.readTag(number, type)) {
      return badRequest(r.error());
    }
    std::string ignored;
    Status s;
    if (number == 1 || number == 2) {
      std::string_view bytes;
      if (type != WireType::kLengthDelimited) {
        return badRequest(number == 1 ? "wrong wire type for typeMeta" : "wrong wire type for raw");
      }
      if (!r.readLengthDelimited(bytes)) {
        return badRequest(r.error());
      }
      if (number == 1) {
        s = readTypeMeta(bytes, r.offset() - bytes.size(), env);
      } else {
        env.raw = bytes;
      }
    } else if (number == 3) {
      s = readString(r, type, "contentEncoding", env.contentEncoding);
    } else if (number == 4) {
      s = readString(r, type, "contentType", ignored);
    } else if (!r.skip(type)) {
      s = badRequest(r.error());
    }
    if (!s.isOk()) {
      return s;
    }
  }
  return env;
}

}  // namespace

Result<nlohmann::json> decodeKubernetesProtobuf(std::string_view body,
                                                std::string_view defaultApiVersion,
                                                std::string_view defaultKind) {
  if (body.substr(0, kProtobufMagic.size()) != kProtobufMagic) {
    return badRequest(
        "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
  }
  auto env = readEnvelope(body.substr(kProtobufMagic.size()));
  if (!env.ok()) {
    return env.status();
  }
  if (!env->contentEncoding.empty()) {
    return badRequest("unsupported content encoding \"" + env->contentEncoding + "\"");
  }
  std::string apiVersion =
      env->apiVersion.empty() ? std::string(defaultApiVersion) : env->apiVersion;
  std::string kind = env->kind.empty() ? std::string(defaultKind) : env->kind;
  const ProtoMessage* message = findKind(apiVersion, kind);
  if (message == nullptr) {
    return badRequest("no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\"");
  }
  // The raw message's offsets are reported relative to the raw bytes.
  auto obj = messageToJson(*message, env->raw);
  if (!obj.ok()) {
    return badRequest(kind + " in version \"" + apiVersion +
                      "\" cannot be decoded: " + obj.status().message());
  }
  (*obj)["apiVersion"] = apiVersion;
  (*obj)["kind"] = kind;
  return obj;
}

}  // namespace tug::api::protobuf
