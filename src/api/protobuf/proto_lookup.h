#pragma once

#include <string_view>

#include "api/protobuf/proto_table.h"

namespace tug::api::protobuf {

// The message with this full name ("k8s.io.api.core.v1.ConfigMap"), or nullptr.
const ProtoMessage* findMessage(std::string_view fullName);
// The message of a kind in an API group version ("apps/v1", "Deployment"), or nullptr.
const ProtoMessage* findKind(std::string_view apiVersion, std::string_view kind);
// The field of `message` with this number, or nullptr when the table does not know it.
const ProtoField* findField(const ProtoMessage& message, uint32_t number);
// The message a kMessage field holds.
const ProtoMessage& fieldMessage(const ProtoField& field);

}  // namespace tug::api::protobuf
