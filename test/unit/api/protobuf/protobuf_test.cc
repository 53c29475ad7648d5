#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "api/protobuf/go_format.h"
#include "api/protobuf/kubernetes_protobuf.h"
#include "api/protobuf/message_to_json.h"
#include "api/protobuf/proto_lookup.h"
#include "api/protobuf/wire_reader.h"
#include "captured_bodies.h"
#include "proto_encoder.h"

using nlohmann::json;
using tug::Code;
using namespace tug::api::protobuf;

namespace {

json decodeOk(std::string_view body, std::string_view apiVersion = "", std::string_view kind = "") {
  auto r = decodeKubernetesProtobuf(body, apiVersion, kind);
  INFO(r.status().message());
  REQUIRE(r.ok());
  return *r;
}

std::string decodeError(std::string_view body) {
  auto r = decodeKubernetesProtobuf(body, "v1", "ConfigMap");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kBadRequest);
  CHECK_FALSE(r.status().message().empty());
  return r.status().message();
}

// ObjectMeta as kubectl writes it: every non-pointer field present, most of them empty.
ProtoWriter kubectlMeta(std::string_view name) {
  return ProtoWriter()
      .bytes(1, name)
      .bytes(2, "")
      .bytes(3, "")
      .bytes(4, "")
      .bytes(5, "")
      .bytes(6, "")
      .varint(7, 0)
      .message(8, ProtoWriter());  // creationTimestamp: Go's zero time, written as no bytes
}

}  // namespace

TEST_CASE("the table knows the kinds kubectl sends", "[protobuf]") {
  for (auto [gv, kind] : std::vector<std::pair<const char*, const char*>>{
           {"v1", "ConfigMap"},
           {"v1", "Secret"},
           {"v1", "Namespace"},
           {"v1", "ServiceAccount"},
           {"v1", "Service"},
           {"v1", "ResourceQuota"},
           {"apps/v1", "Deployment"},
           {"batch/v1", "Job"},
           {"batch/v1", "CronJob"},
           {"rbac.authorization.k8s.io/v1", "Role"},
           {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
           {"scheduling.k8s.io/v1", "PriorityClass"},
           {"authentication.k8s.io/v1", "TokenRequest"},
           {"authentication.k8s.io/v1", "SelfSubjectReview"},
           {"authorization.k8s.io/v1", "SelfSubjectAccessReview"},
       }) {
    INFO(gv << " " << kind);
    CHECK(findKind(gv, kind) != nullptr);
  }
  CHECK(findKind("v1", "NoSuchKind") == nullptr);
  CHECK(findKind("nosuch.group/v1", "ConfigMap") == nullptr);
  CHECK(findMessage("k8s.io.api.core.v1.Pod") != nullptr);
  CHECK(findMessage("k8s.io.api.core.v1.Po") == nullptr);
}

TEST_CASE("captured kubectl bodies decode to the objects kubectl meant", "[protobuf]") {
  SECTION("configmap: data map, empty metadata fields left out") {
    CHECK(decodeOk(captured::kConfigMap) == json::parse(R"({"apiVersion":"v1","kind":"ConfigMap",
      "metadata":{"name":"cm1"},"data":{"a":"b"}})"));
  }
  SECTION("secret: map<string, bytes> values become base64") {
    CHECK(decodeOk(captured::kSecret) == json::parse(R"({"apiVersion":"v1","kind":"Secret",
      "metadata":{"name":"s1"},"data":{"a":"Yg=="}})"));
  }
  SECTION("namespace: empty spec and status structs stay, as Go writes them") {
    CHECK(decodeOk(captured::kNamespace) == json::parse(R"({"apiVersion":"v1","kind":"Namespace",
      "metadata":{"name":"foo"},"spec":{},"status":{}})"));
  }
  SECTION("serviceaccount") {
    CHECK(decodeOk(captured::kServiceAccount) == json::parse(R"({"apiVersion":"v1",
      "kind":"ServiceAccount","metadata":{"name":"sa1"}})"));
  }
  SECTION("role: repeated strings") {
    CHECK(decodeOk(captured::kRole) == json::parse(R"({"apiVersion":"rbac.authorization.k8s.io/v1",
      "kind":"Role","metadata":{"name":"r1"},"rules":[{"verbs":["get"],"apiGroups":[""],
      "resources":["pods"]}]})"));
  }
  SECTION("priorityclass: omitempty false dropped, pointer string kept") {
    CHECK(decodeOk(captured::kPriorityClass) == json::parse(R"({"apiVersion":"scheduling.k8s.io/v1",
      "kind":"PriorityClass","metadata":{"name":"pc1"},"value":1,
      "preemptionPolicy":"PreemptLowerPriority"})"));
  }
  SECTION("token request without a duration: empty spec; token has no omitempty in Go") {
    CHECK(decodeOk(captured::kTokenRequest) ==
          json::parse(R"({"apiVersion":"authentication.k8s.io/v1",
      "kind":"TokenRequest","metadata":{},"spec":{},"status":{"token":""}})"));
  }
  SECTION("self subject access review: nested attributes, false pointer bools absent") {
    json j = decodeOk(captured::kSelfSubjectAccessReview);
    CHECK(j["kind"] == "SelfSubjectAccessReview");
    CHECK(j["spec"]["resourceAttributes"]["namespace"] == "default");
    CHECK(j["spec"]["resourceAttributes"]["verb"] == "create");
    CHECK(j["spec"]["resourceAttributes"]["resource"] == "pods");
    CHECK_FALSE(j["spec"]["resourceAttributes"].contains("group"));
    CHECK(j["status"] == json::parse(R"({"allowed":false})"));
  }
  SECTION("self subject review") {
    json j = decodeOk(captured::kSelfSubjectReview);
    CHECK(j["kind"] == "SelfSubjectReview");
    CHECK(j["apiVersion"] == "authentication.k8s.io/v1");
  }
}

TEST_CASE("metav1.Time and MicroTime become RFC 3339", "[protobuf]") {
  ProtoWriter meta;
  meta.bytes(1, "x")
      .message(8, ProtoWriter().varint(1, 1714557600).varint(2, 999))  // nanos dropped
      .message(9, ProtoWriter().varint(1, 0));                         // the Unix epoch is real
  ProtoWriter lease;
  lease.message(1, meta).message(
      2, ProtoWriter()
             .bytes(1, "holder")
             .message(3, ProtoWriter().varint(1, 1714557600).varint(2, 123456789))
             .message(4, ProtoWriter()));  // zero MicroTime: null in Go, left out here
  json j = decodeOk(ProtoWriter::body("coordination.k8s.io/v1", "Lease", lease));
  CHECK(j["metadata"]["creationTimestamp"] == "2024-05-01T10:00:00Z");
  CHECK(j["metadata"]["deletionTimestamp"] == "1970-01-01T00:00:00Z");
  CHECK(j["spec"]["acquireTime"] == "2024-05-01T10:00:00.123456Z");
  CHECK_FALSE(j["spec"].contains("renewTime"));

  SECTION("Go's zero time spelled out is null too") {
    ProtoWriter m;
    m.bytes(1, "x").message(8, ProtoWriter().int64(1, -62135596800));
    json z = decodeOk(ProtoWriter::body("v1", "ConfigMap", ProtoWriter().message(1, m)));
    CHECK_FALSE(z["metadata"].contains("creationTimestamp"));
  }
  SECTION("before 1970 and far ahead") {
    CHECK(formatRfc3339(-1, 0, false) == "1969-12-31T23:59:59Z");
    CHECK(formatRfc3339(253402300799, 0, false) == "9999-12-31T23:59:59Z");
    CHECK(formatRfc3339(951782400, 5000, true) == "2000-02-29T00:00:00.000005Z");
    CHECK_FALSE(formatRfc3339(253402300800, 0, false).has_value());
  }
  SECTION("a time past year 9999 is refused") {
    ProtoWriter m;
    m.bytes(1, "x").message(8, ProtoWriter().int64(1, 400000000000));
    std::string e = decodeError(ProtoWriter::body("v1", "ConfigMap", ProtoWriter().message(1, m)));
    CHECK(e.find("outside years") != std::string::npos);
  }
}

TEST_CASE("metav1.Duration becomes a Go duration string", "[protobuf]") {
  CHECK(formatGoDuration(0) == "0s");
  CHECK(formatGoDuration(1) == "1ns");
  CHECK(formatGoDuration(1500) == "1.5\u00b5s");
  CHECK(formatGoDuration(1500000) == "1.5ms");
  CHECK(formatGoDuration(3600000000000) == "1h0m0s");
  CHECK(formatGoDuration(3723500000000) == "1h2m3.5s");
  CHECK(formatGoDuration(-240000000000) == "-4m0s");
  CHECK(formatGoDuration(INT64_MIN) == "-2562047h47m16.854775808s");
  const ProtoMessage* d = findMessage("k8s.io.apimachinery.pkg.apis.meta.v1.Duration");
  REQUIRE(d != nullptr);
  auto j = messageToJson(*d, ProtoWriter().varint(1, 90000000000).str());
  REQUIRE(j.ok());
  CHECK(*j == "1m30s");
}

TEST_CASE("a deployment: int32 pointers, IntOrString, quantities, inline and packed fields",
          "[protobuf]") {
  ProtoWriter container;
  container.bytes(1, "nginx")
      .bytes(2, "nginx:1.25")
      .bytes(5, "")
      .message(6, ProtoWriter().varint(3, 80).bytes(4, "TCP"))
      .message(8, ProtoWriter()
                      .entry(1, "cpu", ProtoWriter().bytes(1, "500m"))
                      .entry(1, "memory", ProtoWriter().bytes(1, "128Mi")));
  ProtoWriter volume;
  volume.bytes(1, "scratch")
      .message(2,
               ProtoWriter().message(
                   2, ProtoWriter().bytes(1, "Memory").message(2, ProtoWriter().bytes(1, "1Gi"))));
  ProtoWriter podSpec;
  podSpec.message(1, volume)
      .message(2, container)
      .bytes(3, "Always")
      .message(14 /* securityContext */,
               ProtoWriter()
                   .bytes(4, std::string("\x01\x02\xe8\x07", 4))
                   .varint(4, 5));  // packed 1, 2, 1000 then one unpacked 5
  ProtoWriter spec;
  spec.varint(1, 0)  // replicas is a pointer: an explicit 0 stays
      .message(2, ProtoWriter().entry(1, "app", "web"))
      .message(3,
               ProtoWriter().message(1, ProtoWriter().entry(11, "app", "web")).message(2, podSpec))
      .message(4, ProtoWriter()
                      .bytes(1, "RollingUpdate")
                      .message(2, ProtoWriter()
                                      .message(1, ProtoWriter().varint(1, 1).bytes(3, "25%"))
                                      .message(2, ProtoWriter().varint(1, 0).varint(2, 2))))
      .varint(5, 0);  // minReadySeconds: omitempty, so left out
  ProtoWriter deployment;
  deployment.message(1, kubectlMeta("web")).message(2, spec).message(3, ProtoWriter());
  json j = decodeOk(ProtoWriter::body("apps/v1", "Deployment", deployment));
  INFO(j.dump(2));
  CHECK(j["metadata"] == json::parse(R"({"name":"web"})"));
  CHECK(j["spec"]["replicas"] == 0);
  CHECK_FALSE(j["spec"].contains("minReadySeconds"));
  CHECK(j["spec"]["selector"] == json::parse(R"({"matchLabels":{"app":"web"}})"));
  CHECK(j["spec"]["strategy"]["rollingUpdate"] ==
        json::parse(R"({"maxUnavailable":"25%","maxSurge":2})"));
  const json& pod = j["spec"]["template"]["spec"];
  CHECK(pod["containers"] == json::parse(R"([{"name":"nginx","image":"nginx:1.25",
    "ports":[{"containerPort":80,"protocol":"TCP"}],
    "resources":{"limits":{"cpu":"500m","memory":"128Mi"}}}])"));
  CHECK(pod["volumes"] ==
        json::parse(R"([{"name":"scratch","emptyDir":{"medium":"Memory","sizeLimit":"1Gi"}}])"));
  CHECK(pod["securityContext"]["supplementalGroups"] == json::parse("[1,2,1000,5]"));
  CHECK(j["status"] == json::object());
}

TEST_CASE("service ports: IntOrString zero left out, int and string kept", "[protobuf]") {
  ProtoWriter spec;
  spec.message(1, ProtoWriter().bytes(2, "TCP").varint(3, 80).message(4, ProtoWriter()))
      .message(
          1, ProtoWriter().varint(3, 443).message(4, ProtoWriter().varint(1, 1).bytes(3, "https")))
      .message(1, ProtoWriter().varint(3, 8080).message(4, ProtoWriter().varint(2, 9090)))
      .bytes(4, "ClusterIP");
  json j = decodeOk(ProtoWriter::body("v1", "Service",
                                      ProtoWriter().message(1, kubectlMeta("s")).message(2, spec)));
  CHECK(j["spec"]["ports"] == json::parse(R"([{"protocol":"TCP","port":80},
    {"port":443,"targetPort":"https"},{"port":8080,"targetPort":9090}])"));
  CHECK(j["spec"]["type"] == "ClusterIP");
}

TEST_CASE("int64, negative int32, booleans and renamed JSON fields", "[protobuf]") {
  ProtoWriter spec;
  spec.bytes(1, "api")
      .bytes(1, "vault")
      .message(3, ProtoWriter().bytes(1, "Pod").bytes(2, "v1").bytes(3, "p").bytes(4, "uid-1"))
      .varint(4, 9007199254740993ULL);  // above 2^53: stays exact
  json j = decodeOk(ProtoWriter::body("authentication.k8s.io/v1", "TokenRequest",
                                      ProtoWriter().message(1, kubectlMeta("t")).message(2, spec)));
  CHECK(j["spec"]["audiences"] == json::parse(R"(["api","vault"])"));
  // The proto field is "uID"; Go's JSON name is "uid".
  CHECK(j["spec"]["boundObjectRef"] ==
        json::parse(R"({"kind":"Pod","apiVersion":"v1","name":"p","uid":"uid-1"})"));
  CHECK(j["spec"]["expirationSeconds"].get<int64_t>() == 9007199254740993LL);

  ProtoWriter pc;
  pc.message(1, kubectlMeta("neg")).int64(2, -5).varint(3, 1);
  json p = decodeOk(ProtoWriter::body("scheduling.k8s.io/v1", "PriorityClass", pc));
  CHECK(p["value"] == -5);
  CHECK(p["globalDefault"] == true);

  SECTION("value has no omitempty in Go: zero is written") {
    ProtoWriter zero;
    zero.message(1, kubectlMeta("zero")).varint(2, 0).varint(3, 0);
    json z = decodeOk(ProtoWriter::body("scheduling.k8s.io/v1", "PriorityClass", zero));
    CHECK(z["value"] == 0);
    CHECK_FALSE(z.contains("globalDefault"));
  }
}

TEST_CASE("raw extensions embed JSON, named slices become arrays", "[protobuf]") {
  ProtoWriter rev;
  rev.message(1, kubectlMeta("r1"))
      .message(2, ProtoWriter().bytes(1, R"({"spec":{"template":{"x":1}}})"))
      .varint(3, 7);
  json j = decodeOk(ProtoWriter::body("apps/v1", "ControllerRevision", rev));
  CHECK(j["data"] == json::parse(R"({"spec":{"template":{"x":1}}})"));
  CHECK(j["revision"] == 7);

  ProtoWriter sar;
  sar.message(1, kubectlMeta("sar"))
      .message(2, ProtoWriter()
                      .bytes(3, "alice")
                      .bytes(4, "devs")
                      .entry(5, "scopes", ProtoWriter().bytes(1, "a").bytes(1, "b")));
  json s = decodeOk(ProtoWriter::body("authorization.k8s.io/v1", "SubjectAccessReview", sar));
  CHECK(s["spec"] ==
        json::parse(R"({"user":"alice","groups":["devs"],"extra":{"scopes":["a","b"]}})"));

  SECTION("bytes that are not JSON are refused") {
    ProtoWriter bad;
    bad.message(2, ProtoWriter().bytes(1, "{not json"));
    std::string e = decodeError(ProtoWriter::body("apps/v1", "ControllerRevision", bad));
    CHECK(e.find("does not hold JSON") != std::string::npos);
  }
}

TEST_CASE("the URL's kind fills an empty typeMeta; unknown kinds are refused", "[protobuf]") {
  ProtoWriter unknown;
  unknown.message(1, ProtoWriter()).message(2, ProtoWriter().message(1, kubectlMeta("c")));
  std::string body = std::string("k8s\0", 4) + unknown.str();
  json j = decodeOk(body, "v1", "ConfigMap");
  CHECK(j == json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}})"));
  CHECK(decodeError(ProtoWriter::body("v1", "Nope", ProtoWriter())).find("no kind \"Nope\"") !=
        std::string::npos);
}

TEST_CASE("malformed bodies are BadRequest with a readable reason", "[protobuf]") {
  CHECK(decodeError("").find("expected prefix") != std::string::npos);
  CHECK(decodeError("{\"kind\":\"ConfigMap\"}").find("expected prefix") != std::string::npos);
  std::string cm(captured::kConfigMap);
  SECTION("truncated") {
    std::string e = decodeError(cm.substr(0, cm.size() - 3));
    CHECK(e.find("byte") != std::string::npos);
  }
  SECTION("a length past the end") {
    std::string bad = cm;
    bad[5] = '\x7f';
    CHECK(decodeError(bad).find("runs past the end") != std::string::npos);
  }
  SECTION("a varint that never ends") {
    CHECK_FALSE(decodeError(std::string("k8s\0", 4) + std::string(20, '\xff')).empty());
  }
  SECTION("a wire type that does not fit the field") {
    ProtoWriter cmWrong;
    cmWrong.varint(1, 5);  // metadata as a varint
    std::string e = decodeError(ProtoWriter::body("v1", "ConfigMap", cmWrong));
    CHECK(e.find("wrong wire type") != std::string::npos);
  }
  SECTION("field number zero and groups") {
    decodeError(
        ProtoWriter::body("v1", "ConfigMap", ProtoWriter().raw(std::string("\x00\x01", 2))));
    decodeError(ProtoWriter::body("v1", "ConfigMap", ProtoWriter().raw("\x0b")));
  }
  SECTION("a content encoding") {
    ProtoWriter u;
    u.message(1, ProtoWriter().bytes(1, "v1").bytes(2, "ConfigMap")).bytes(3, "gzip");
    CHECK(decodeError(std::string("k8s\0", 4) + u.str()).find("content encoding") !=
          std::string::npos);
  }
  SECTION("unknown fields are skipped, as Go's unmarshallers skip them") {
    ProtoWriter extra;
    extra.message(1, kubectlMeta("x"))
        .varint(99, 1)
        .bytes(100, "zz")
        .raw("\x9d\x06\x01\x02\x03\x04");
    json j = decodeOk(ProtoWriter::body("v1", "ConfigMap", extra));
    CHECK(j["metadata"]["name"] == "x");
  }
}

TEST_CASE("random truncations and byte flips never crash the decoder", "[protobuf][fuzz]") {
  std::mt19937 rng(20240501);
  const std::string_view corpus[] = {captured::kConfigMap,
                                     captured::kSecret,
                                     captured::kRole,
                                     captured::kPriorityClass,
                                     captured::kSelfSubjectAccessReview,
                                     captured::kTokenRequest,
                                     captured::kNamespace};
  int decoded = 0, refused = 0;
  for (std::string_view original : corpus) {
    for (int i = 0; i < 3000; ++i) {
      std::string body(original);
      switch (rng() % 3) {
        case 0:
          body.resize(rng() % body.size());
          break;
        case 1:
          for (int flips = 1 + rng() % 3; flips > 0; --flips) {
            body[rng() % body.size()] ^= static_cast<char>(1 + rng() % 255);
          }
          break;
        default:
          body.insert(body.begin() + 4 + rng() % (body.size() - 4), static_cast<char>(rng()));
      }
      auto r = decodeKubernetesProtobuf(body, "v1", "ConfigMap");
      if (r.ok()) {
        ++decoded;
        CHECK(r->is_object());
        // The result must be writable as JSON even when strings hold stray bytes.
        (void)r->dump(-1, ' ', false, json::error_handler_t::replace);
      } else {
        ++refused;
        CHECK(r.status().code() == Code::kBadRequest);
      }
    }
  }
  CHECK(decoded > 0);
  CHECK(refused > 0);
}

TEST_CASE("the wire reader checks every bound", "[protobuf]") {
  uint64_t v = 0;
  uint32_t f32 = 0;
  std::string_view bytes;
  CHECK_FALSE(WireReader("").readVarint(v));
  CHECK_FALSE(WireReader("\x80").readVarint(v));
  CHECK(WireReader(std::string_view("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10)).readVarint(v));
  CHECK(v == UINT64_MAX);
  CHECK_FALSE(WireReader("\x01\x02\x03").readFixed32(f32));
  CHECK(WireReader("\x01\x02\x03\x04").readFixed32(f32));
  CHECK(f32 == 0x04030201);
  CHECK_FALSE(WireReader("\x05"
                         "abc")
                  .readLengthDelimited(bytes));
  WireReader r(
      "\x03"
      "abc");
  CHECK(r.readLengthDelimited(bytes));
  CHECK(bytes == "abc");
  CHECK(r.atEnd());
  WireReader tooLong(std::string_view("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 11));
  CHECK_FALSE(tooLong.readVarint(v));
  CHECK(tooLong.error().find("varint") != std::string::npos);
}

TEST_CASE("kubectl 1.32 create bodies decode to what Go's JSON encoding writes", "[protobuf]") {
  for (const auto& sample : kubectl132::kSamples) {
    INFO(sample.command);
    CHECK(decodeOk(sample.body) == json::parse(sample.json));
  }
}
