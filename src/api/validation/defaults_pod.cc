// Pod and pod template defaults (upstream pkg/apis/core/v1/defaults.go and the generated
// defaulters that walk containers, probes and volumes).
#include "api/validation/defaults.h"

namespace tug::api::validation {
namespace {

constexpr int kDefaultFileMode = 0644;  // 420, as volumes' defaultMode shows it

// The tag of an image reference, "latest" when it has neither tag nor digest, "" when the
// reference does not parse (upstream then pulls IfNotPresent).
std::string imageTag(const std::string& image) {
  if (image.empty()) {
    return "";
  }
  std::string name = image;
  bool digested = false;
  if (size_t at = name.find('@'); at != std::string::npos) {
    name = name.substr(0, at);
    digested = true;
  }
  size_t slash = name.rfind('/');
  size_t colon = name.rfind(':');
  std::string path = name;
  std::string tag;
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    path = name.substr(0, colon);
    tag = name.substr(colon + 1);
  }
  // Repository paths are lower case after the registry host; upper case fails to parse.
  std::string repo = slash == std::string::npos ? path : path.substr(path.find('/') + 1);
  for (char c : repo) {
    if (c >= 'A' && c <= 'Z') {
      return "";
    }
  }
  if (tag.empty() && !digested) {
    return "latest";
  }
  return tag;
}

void defaultFieldRef(Json& holder) {
  if (Json* ref = objectField(holder, "fieldRef")) {
    setDefault(*ref, "apiVersion", "v1");
  }
}

void defaultHttpGet(Json& handler) {
  if (Json* get = objectField(handler, "httpGet")) {
    setDefault(*get, "path", "/");
    setDefault(*get, "scheme", "HTTP");
  }
}

void defaultProbe(Json& container, std::string_view key) {
  Json* probe = objectField(container, key);
  if (probe == nullptr) {
    return;
  }
  setDefault(*probe, "timeoutSeconds", 1);
  setDefault(*probe, "periodSeconds", 10);
  setDefault(*probe, "successThreshold", 1);
  setDefault(*probe, "failureThreshold", 3);
  defaultHttpGet(*probe);
  if (Json* grpc = objectField(*probe, "grpc")) {
    setDefault(*grpc, "service", "");
  }
}

void defaultContainer(Json& c, bool hostNetwork) {
  setDefault(c, "terminationMessagePath", "/dev/termination-log");
  setDefault(c, "terminationMessagePolicy", "File");
  // Go always prints this struct, so upstream objects show `resources: {}`.
  setDefault(c, "resources", emptyObject());
  if (stringField(c, "imagePullPolicy").empty() && !(has(c, "imagePullPolicy") &&
                                                     !c["imagePullPolicy"].is_string())) {
    c["imagePullPolicy"] = imageTag(stringField(c, "image")) == "latest" ? "Always"
                                                                         : "IfNotPresent";
  }
  forEachObject(c, "ports", [&](Json& port, size_t) {
    setDefault(port, "protocol", "TCP");
    if (hostNetwork && !has(port, "hostPort") && has(port, "containerPort")) {
      port["hostPort"] = port["containerPort"];
    }
  });
  forEachObject(c, "env", [](Json& env, size_t) {
    if (Json* from = objectField(env, "valueFrom")) {
      defaultFieldRef(*from);
    }
  });
  for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
    defaultProbe(c, probe);
  }
  if (Json* lifecycle = objectField(c, "lifecycle")) {
    for (const char* hook : {"postStart", "preStop"}) {
      if (Json* h = objectField(*lifecycle, hook)) {
        defaultHttpGet(*h);
      }
    }
  }
}

// A volume names exactly one source; upstream makes a volume with none an emptyDir.
constexpr const char* kVolumeSources[] = {
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret",
    "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder",
    "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume",
    "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO",
    "storageos", "csi", "ephemeral", "image"};

void defaultDownwardItems(Json& source) {
  forEachObject(source, "items", [](Json& item, size_t) { defaultFieldRef(item); });
}

void defaultVolume(Json& v) {
  bool any = false;
  for (const char* s : kVolumeSources) {
    any = any || has(v, s);
  }
  if (!any) {
    v["emptyDir"] = emptyObject();
  }
  for (const char* s : {"secret", "configMap", "downwardAPI", "projected"}) {
    if (Json* src = objectField(v, s)) {
      setDefault(*src, "defaultMode", kDefaultFileMode);
    }
  }
  if (Json* d = objectField(v, "downwardAPI")) {
    defaultDownwardItems(*d);
  }
  if (Json* p = objectField(v, "projected")) {
    forEachObject(*p, "sources", [](Json& src, size_t) {
      if (Json* token = objectField(src, "serviceAccountToken")) {
        setDefault(*token, "expirationSeconds", 3600);
      }
      if (Json* d = objectField(src, "downwardAPI")) {
        defaultDownwardItems(*d);
      }
    });
  }
  if (Json* hp = objectField(v, "hostPath")) {
    setDefault(*hp, "type", "");
  }
  if (Json* iscsi = objectField(v, "iscsi")) {
    setDefault(*iscsi, "iscsiInterface", "default");
  }
  if (Json* eph = objectField(v, "ephemeral")) {
    if (Json* tmpl = objectField(*eph, "volumeClaimTemplate")) {
      if (Json* spec = objectField(*tmpl, "spec")) {
        setDefault(*spec, "volumeMode", "Filesystem");
      }
    }
  }
}

// A Pod's requests default to its limits, container by container.
void defaultRequestsFromLimits(Json& c) {
  Json* resources = objectField(c, "resources");
  Json* limits = resources ? objectField(*resources, "limits") : nullptr;
  if (limits == nullptr || limits->empty()) {
    return;
  }
  Json* requests = ensureObject(*resources, "requests");
  if (requests == nullptr) {
    return;
  }
  for (const auto& [name, q] : limits->items()) {
    if (!requests->contains(name)) {
      (*requests)[name] = q;
    }
  }
}

}  // namespace

void defaultPodSpec(Json& spec) {
  if (!spec.is_object()) {
    return;
  }
  setDefault(spec, "dnsPolicy", "ClusterFirst");
  setDefault(spec, "restartPolicy", "Always");
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefault(spec, "securityContext", emptyObject());
  setDefault(spec, "schedulerName", "default-scheduler");
  const Json* hn = field(spec, "hostNetwork");
  bool hostNetwork = hn != nullptr && hn->is_boolean() && hn->get<bool>();
  for (const char* list : {"initContainers", "containers", "ephemeralContainers"}) {
    forEachObject(spec, list, [&](Json& c, size_t) { defaultContainer(c, hostNetwork); });
  }
  forEachObject(spec, "volumes", [](Json& v, size_t) { defaultVolume(v); });
}

void defaultPodTemplateSpec(Json& tmpl) {
  if (Json* spec = objectField(tmpl, "spec")) {
    defaultPodSpec(*spec);
  }
}

void defaultPod(Json& pod) {
  Json* spec = objectField(pod, "spec");
  if (spec == nullptr) {
    return;
  }
  defaultPodSpec(*spec);
  setDefault(*spec, "enableServiceLinks", true);
  for (const char* list : {"initContainers", "containers"}) {
    forEachObject(*spec, list, [](Json& c, size_t) { defaultRequestsFromLimits(c); });
  }
}

}  // namespace tug::api::validation
