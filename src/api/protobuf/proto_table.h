#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

// The Kubernetes protobuf messages as constant tables, generated at build time from
// embedded/proto-types.txt (see scripts/dev/gen-proto-types.py). They hold what the decoder needs
// and the .proto files alone cannot say: JSON names, inlined fields and which zero values Go's
// JSON encoding keeps.
namespace tug::api::protobuf {

enum class FieldKind : uint8_t { kString, kBytes, kBool, kInt32, kInt64, kMessage };

// Field flags.
inline constexpr uint8_t kRepeated = 1;  // repeated: a JSON array
inline constexpr uint8_t kMap = 2;       // map<string, value>: a JSON object
inline constexpr uint8_t kKeepZero = 4;  // a Go pointer or a field without omitempty
inline constexpr uint8_t kInline = 8;    // the message's fields join the parent's JSON object

// Messages whose JSON form is not an object of their fields.
enum class Special : uint8_t {
  kNone,
  kTime,         // metav1.Time {seconds, nanos}: RFC 3339 to the second
  kMicroTime,    // metav1.MicroTime: RFC 3339 with microseconds
  kDuration,     // metav1.Duration {duration (ns)}: a Go duration string
  kQuantity,     // resource.Quantity {string}: the string
  kIntOrString,  // intstr.IntOrString {type, intVal, strVal}: a number or a string
  kRawJson,      // runtime.RawExtension and metav1.FieldsV1 {raw}: embedded JSON
  kArray,        // a Go named slice (ExtraValue) {repeated items}: the array
};

struct ProtoField {
  uint32_t number;
  const char* jsonName;  // "" for inline fields
  FieldKind kind;        // for maps: the value's kind
  uint8_t flags;
  int32_t message;  // index into kProtoMessages for kMessage, else -1
};

struct ProtoMessage {
  const char* name;  // full name: k8s.io.api.core.v1.ConfigMap
  Special special;
  uint32_t firstField;  // index into kProtoFields
  uint32_t fieldCount;  // fields are sorted by number
};

// An API group version and the proto package of its types ("" is the core group).
struct ProtoGroup {
  const char* group;
  const char* version;
  const char* package;
};

extern const ProtoField kProtoFields[];
extern const ProtoMessage kProtoMessages[];  // sorted by name
extern const size_t kProtoMessageCount;
extern const ProtoGroup kProtoGroups[];
extern const size_t kProtoGroupCount;

}  // namespace tug::api::protobuf
