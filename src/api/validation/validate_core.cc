// ConfigMaps, Secrets, Namespaces and persistent volumes (upstream pkg/apis/core/validation).
#include <algorithm>

#include "api/validation/validate_kinds.h"

namespace tug::api::validation {
namespace {

constexpr size_t kMaxDataSize = 1024 * 1024;  // what fits in one etcd value, as upstream says

void addReasons(ErrorList& errs, const Path& p, const Json& value, const Reasons& reasons) {
  for (const auto& r : reasons) {
    errs.push_back(invalid(p, value, r));
  }
}

// data and binaryData keys; the two maps may not share a key; their values fit in 1 MiB.
ErrorList validateDataMaps(const Json& obj, const std::vector<const char*>& maps) {
  ErrorList errs;
  size_t total = 0;
  for (const char* m : maps) {
    const Json* data = objectField(obj, m);
    if (data == nullptr) {
      continue;
    }
    for (const auto& [key, value] : data->items()) {
      addReasons(errs, Path(m).key(key), key, configMapKey(key));
      total += value.is_string() ? value.get_ref<const std::string&>().size() : 0;
      if (std::string_view(m) == "binaryData") {
        if (const Json* d = objectField(obj, "data"); d && d->contains(key)) {
          errs.push_back(invalid(Path("data").key(key), key,
                                 "duplicate of key present in binaryData"));
        }
      }
    }
  }
  if (total > kMaxDataSize) {
    errs.push_back(tooLong(Path(""), kMaxDataSize));
  }
  return errs;
}

bool isTrue(const Json& obj, std::string_view key) {
  const Json* v = field(obj, key);
  return v != nullptr && v->is_boolean() && v->get<bool>();
}

bool dataHas(const Json& obj, const char* key) {
  const Json* data = objectField(obj, "data");
  return data != nullptr && data->contains(key);
}

const std::vector<std::string> kAccessModes = {"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce",
                                               "ReadWriteOncePod"};

ErrorList validateAccessModes(const Json& spec, const Path& p) {
  ErrorList errs;
  const Json* modes = arrayField(spec, "accessModes");
  if (modes == nullptr || modes->empty()) {
    errs.push_back(required(p, "at least 1 access mode is required"));
    return errs;
  }
  for (const auto& m : *modes) {
    if (!m.is_string() || std::find(kAccessModes.begin(), kAccessModes.end(),
                                     m.get<std::string>()) == kAccessModes.end()) {
      errs.push_back(notSupported(p, m, kAccessModes));
    }
  }
  return errs;
}

constexpr const char* kPersistentVolumeSources[] = {
    "gcePersistentDisk", "awsElasticBlockStore", "hostPath", "glusterfs", "nfs", "rbd",
    "quobyte", "cinder", "cephfs", "iscsi", "fc", "flexVolume", "azureFile", "vsphereVolume",
    "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "local", "storageos",
    "csi", "flocker"};

Json volumeSource(const Json& spec) {
  Json source = Json::object();
  for (const char* s : kPersistentVolumeSources) {
    if (const Json* v = field(spec, s)) {
      source[s] = *v;
    }
  }
  return source;
}

}  // namespace

ErrorList validateConfigMap(const Json& obj) { return validateDataMaps(obj, {"data", "binaryData"}); }

ErrorList validateSecret(const Json& obj) {
  ErrorList errs = validateDataMaps(obj, {"data"});
  const std::string type = stringField(obj, "type");
  const Path data("data");
  if (type == "kubernetes.io/service-account-token") {
    const Json* meta = objectField(obj, "metadata");
    const Json* ann = meta ? objectField(*meta, "annotations") : nullptr;
    if (ann == nullptr || stringField(*ann, "kubernetes.io/service-account.name").empty()) {
      errs.push_back(required(
          Path("metadata").child("annotations").key("kubernetes.io/service-account.name")));
    }
  } else if (type == "kubernetes.io/dockercfg" && !dataHas(obj, ".dockercfg")) {
    errs.push_back(required(data.key(".dockercfg")));
  } else if (type == "kubernetes.io/dockerconfigjson" && !dataHas(obj, ".dockerconfigjson")) {
    errs.push_back(required(data.key(".dockerconfigjson")));
  } else if (type == "kubernetes.io/basic-auth" && !dataHas(obj, "username") &&
             !dataHas(obj, "password")) {
    errs.push_back(required(data.key("username")));
    errs.push_back(required(data.key("password")));
  } else if (type == "kubernetes.io/ssh-auth" && !dataHas(obj, "ssh-privatekey")) {
    errs.push_back(required(data.key("ssh-privatekey")));
  } else if (type == "kubernetes.io/tls") {
    for (const char* key : {"tls.crt", "tls.key"}) {
      if (!dataHas(obj, key)) {
        errs.push_back(required(data.key(key)));
      }
    }
  }
  return errs;
}

ErrorList validateDataUpdate(const Json& obj, const Json& old) {
  ErrorList errs;
  if (!isTrue(old, "immutable")) {
    return errs;
  }
  const std::string msg = "field is immutable when `immutable` is set";
  if (!isTrue(obj, "immutable")) {
    errs.push_back(forbidden(Path("immutable"), msg));
  }
  for (const char* key : {"data", "binaryData"}) {
    if (fieldOr(obj, key) != fieldOr(old, key)) {
      errs.push_back(forbidden(Path(key), msg));
    }
  }
  return errs;
}

ErrorList validateSecretUpdate(const Json& obj, const Json& old) {
  ErrorList errs;
  if (stringField(obj, "type") != stringField(old, "type")) {
    errs.push_back(immutable(Path("type"), stringField(obj, "type")));
  }
  append(errs, validateDataUpdate(obj, old));
  return errs;
}

ErrorList validateNamespace(const Json& obj) {
  ErrorList errs;
  const Json* finalizers = arrayField(specOf(obj), "finalizers");
  for (size_t i = 0; finalizers != nullptr && i < finalizers->size(); ++i) {
    const Json& f = (*finalizers)[i];
    std::string name = f.is_string() ? f.get<std::string>() : "";
    const Path p = Path("spec").child("finalizers");
    Reasons r = qualifiedName(name);
    addReasons(errs, p, f, r);
    if (r.empty() && name.find('/') == std::string::npos && name != "kubernetes") {
      errs.push_back(invalid(p, f, "name is neither a standard finalizer name nor is it fully "
                                   "qualified"));
    }
  }
  return errs;
}

ErrorList validatePersistentVolumeClaimSpec(const Json& spec, const Path& p) {
  ErrorList errs = validateAccessModes(spec, p.child("accessModes"));
  const Json* resources = objectField(spec, "resources");
  const Json* requests = resources ? objectField(*resources, "requests") : nullptr;
  if (requests == nullptr || !requests->contains("storage")) {
    errs.push_back(required(p.child("resources").key("storage")));
  }
  append(errs, oneOf(spec, "volumeMode", p.child("volumeMode"), {"Block", "Filesystem"}, false));
  const std::string sc = stringField(spec, "storageClassName");
  if (!sc.empty()) {
    addReasons(errs, p.child("storageClassName"), sc, dns1123Subdomain(sc));
  }
  return errs;
}

ErrorList validatePersistentVolumeClaim(const Json& obj) {
  return validatePersistentVolumeClaimSpec(specOf(obj), Path("spec"));
}

ErrorList validatePersistentVolumeClaimUpdate(const Json& obj, const Json& old) {
  ErrorList errs;
  Json spec = specOf(obj);
  Json before = specOf(old);
  // The volume name may be set once (binding); a bound claim may grow.
  if (stringField(before, "volumeName").empty()) {
    before["volumeName"] = fieldOr(spec, "volumeName");
  }
  const Json* status = objectField(old, "status");
  bool bound = status != nullptr && stringField(*status, "phase") == "Bound";
  if (bound) {
    if (spec.contains("resources") && before.contains("resources")) {
      spec["resources"]["requests"] = fieldOr(before["resources"], "requests");
    }
  }
  for (Json* s : {&spec, &before}) {
    for (auto it = s->begin(); it != s->end();) {
      it = it->is_null() ? s->erase(it) : std::next(it);
    }
  }
  if (spec != before) {
    errs.push_back(forbidden(Path("spec"), "spec is immutable after creation except "
                                           "resources.requests and volumeAttributesClassName "
                                           "for bound claims"));
  }
  return errs;
}

ErrorList validatePersistentVolume(const Json& obj) {
  ErrorList errs;
  const Json& spec = specOf(obj);
  const Path p("spec");
  const Json* capacity = objectField(spec, "capacity");
  if (capacity == nullptr || capacity->empty()) {
    errs.push_back(required(p.child("capacity")));
  } else if (!capacity->contains("storage") || capacity->size() > 1) {
    errs.push_back(notSupported(p.child("capacity"), *capacity, {"storage"}));
  }
  append(errs, validateAccessModes(spec, p.child("accessModes")));
  append(errs, oneOf(spec, "persistentVolumeReclaimPolicy", p.child("persistentVolumeReclaimPolicy"),
                     {"Delete", "Recycle", "Retain"}, false));
  append(errs, oneOf(spec, "volumeMode", p.child("volumeMode"), {"Block", "Filesystem"}, false));
  size_t sources = volumeSource(spec).size();
  if (sources == 0) {
    errs.push_back(required(p, "must specify a volume type"));
  } else if (sources > 1) {
    errs.push_back(forbidden(p, "may not specify more than 1 volume type"));
  }
  const std::string sc = stringField(spec, "storageClassName");
  if (!sc.empty()) {
    addReasons(errs, p.child("storageClassName"), sc, dns1123Subdomain(sc));
  }
  return errs;
}

ErrorList validatePersistentVolumeUpdate(const Json& obj, const Json& old) {
  ErrorList errs;
  const Json& spec = specOf(obj);
  const Json& before = specOf(old);
  if (volumeSource(spec) != volumeSource(before)) {
    errs.push_back(forbidden(Path("spec").child("persistentvolumesource"),
                             "spec.persistentvolumesource is immutable after creation"));
  }
  if (fieldOr(spec, "volumeMode") != fieldOr(before, "volumeMode")) {
    errs.push_back(immutable(Path("volumeMode"), fieldOr(spec, "volumeMode")));
  }
  if (has(before, "nodeAffinity") && fieldOr(spec, "nodeAffinity") != fieldOr(before, "nodeAffinity")) {
    errs.push_back(immutable(Path("spec").child("nodeAffinity"), fieldOr(spec, "nodeAffinity")));
  }
  return errs;
}

}  // namespace tug::api::validation
