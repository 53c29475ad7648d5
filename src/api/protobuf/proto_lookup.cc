#include "api/protobuf/proto_lookup.h"

#include <algorithm>
#include <string>

namespace tug::api::protobuf {

const ProtoMessage* findMessage(std::string_view fullName) {
  const ProtoMessage* end = kProtoMessages + kProtoMessageCount;
  const ProtoMessage* it = std::lower_bound(
      kProtoMessages, end, fullName,
      [](const ProtoMessage& m, std::string_view name) { return std::string_view(m.name) < name; });
  return it != end && std::string_view(it->name) == fullName ? it : nullptr;
}

const ProtoMessage* findKind(std::string_view apiVersion, std::string_view kind) {
  std::string_view group, version = apiVersion;
  if (size_t slash = apiVersion.find('/'); slash != std::string_view::npos) {
    group = apiVersion.substr(0, slash);
    version = apiVersion.substr(slash + 1);
  }
  for (size_t i = 0; i < kProtoGroupCount; ++i) {
    const ProtoGroup& g = kProtoGroups[i];
    if (group == g.group && version == g.version) {
      return findMessage(std::string(g.package) + "." + std::string(kind));
    }
  }
  return nullptr;
}

const ProtoField* findField(const ProtoMessage& message, uint32_t number) {
  const ProtoField* begin = kProtoFields + message.firstField;
  const ProtoField* end = begin + message.fieldCount;
  const ProtoField* it = std::lower_bound(
      begin, end, number, [](const ProtoField& f, uint32_t n) { return f.number < n; });
  return it != end && it->number == number ? it : nullptr;
}

const ProtoMessage& fieldMessage(const ProtoField& field) { return kProtoMessages[field.message]; }

}  // namespace tug::api::protobuf
