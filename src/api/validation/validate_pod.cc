// Pods and pod templates (upstream pkg/apis/core/validation: ValidatePodSpec and friends).
#include <set>

#include "api/validation/validate_kinds.h"

namespace tug::api::validation {
namespace {

const std::vector<std::string> kProtocols = {"SCTP", "TCP", "UDP"};

void addReasons(ErrorList& errs, const Path& p, const Json& value, const Reasons& reasons) {
  for (const auto& r : reasons) {
    errs.push_back(invalid(p, value, r));
  }
}

ErrorList validatePortNumber(const Json& obj, std::string_view key, const Path& p,
                             bool requiredValue) {
  auto v = intField(obj, key);
  if (!v || *v == 0) {
    return requiredValue ? ErrorList{required(p)} : ErrorList{};
  }
  if (*v < 1 || *v > 65535) {
    return {invalid(p, *v, inclusiveRangeError(1, 65535))};
  }
  return {};
}

ErrorList validateContainerPorts(const Json& c, const Path& p) {
  ErrorList errs;
  std::set<std::string> names;
  forEachObject(c, "ports", [&](const Json& port, size_t i) {
    const Path pp = p.index(i);
    const std::string name = stringField(port, "name");
    if (!name.empty()) {
      Reasons r = portName(name);
      addReasons(errs, pp.child("name"), name, r);
      if (r.empty() && !names.insert(name).second) {
        errs.push_back(duplicate(pp.child("name"), name));
      }
    }
    append(errs, validatePortNumber(port, "containerPort", pp.child("containerPort"), true));
    append(errs, validatePortNumber(port, "hostPort", pp.child("hostPort"), false));
    append(errs, oneOf(port, "protocol", pp.child("protocol"), kProtocols, true));
  });
  return errs;
}

ErrorList validateEnv(const Json& c, const Path& p) {
  ErrorList errs;
  forEachObject(c, "env", [&](const Json& env, size_t i) {
    const Path ep = p.index(i);
    const std::string name = stringField(env, "name");
    if (name.empty()) {
      errs.push_back(required(ep.child("name")));
    } else {
      addReasons(errs, ep.child("name"), name, envVarName(name));
    }
    if (const Json* from = objectField(env, "valueFrom")) {
      int sources = 0;
      for (const char* s : {"fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"}) {
        sources += has(*from, s) ? 1 : 0;
      }
      if (sources == 0) {
        errs.push_back(invalid(ep.child("valueFrom"), "",
                               "must specify one of: `fieldRef`, `resourceFieldRef`, "
                               "`configMapKeyRef` or `secretKeyRef`"));
      } else if (sources > 1) {
        errs.push_back(invalid(ep.child("valueFrom"), "",
                               "may not have more than one field specified at a time"));
      }
      if (has(env, "value") && !stringField(env, "value").empty()) {
        errs.push_back(invalid(ep.child("valueFrom"), "",
                               "may not be specified when `value` is not empty"));
      }
    }
  });
  return errs;
}

ErrorList validateProbe(const Json& c, const char* key, const Path& p, bool successMustBeOne) {
  ErrorList errs;
  const Json* probe = objectField(c, key);
  if (probe == nullptr) {
    return errs;
  }
  int handlers = 0;
  for (const char* h : {"exec", "httpGet", "tcpSocket", "grpc"}) {
    handlers += has(*probe, h) ? 1 : 0;
  }
  if (handlers == 0) {
    errs.push_back(required(p, "must specify a handler type"));
  } else if (handlers > 1) {
    errs.push_back(forbidden(p, "may not specify more than 1 handler type"));
  }
  for (const char* n : {"initialDelaySeconds", "timeoutSeconds", "periodSeconds",
                        "successThreshold", "failureThreshold"}) {
    append(errs, nonNegative(*probe, n, p.child(n)));
  }
  if (auto s = intField(*probe, "successThreshold"); successMustBeOne && s && *s != 1) {
    errs.push_back(invalid(p.child("successThreshold"), *s, "must be 1"));
  }
  return errs;
}

ErrorList validateVolumeMounts(const Json& c, const Path& p, const std::set<std::string>& vols) {
  ErrorList errs;
  forEachObject(c, "volumeMounts", [&](const Json& m, size_t i) {
    const Path mp = p.index(i);
    const std::string name = stringField(m, "name");
    if (name.empty()) {
      errs.push_back(required(mp.child("name")));
    } else if (!vols.count(name)) {
      errs.push_back(notFound(mp.child("name"), name));
    }
    if (stringField(m, "mountPath").empty()) {
      errs.push_back(required(mp.child("mountPath")));
    }
  });
  return errs;
}

ErrorList validateContainer(const Json& c, const Path& p, const std::set<std::string>& vols,
                            bool regular) {
  ErrorList errs;
  const std::string image = stringField(c, "image");
  if (image.empty()) {
    errs.push_back(required(p.child("image")));
  } else if (image.find_first_not_of(" \t\n") != 0 ||
             image.find_last_not_of(" \t\n") != image.size() - 1) {
    errs.push_back(invalid(p.child("image"), image, "must not have leading or trailing whitespace"));
  }
  append(errs, oneOf(c, "imagePullPolicy", p.child("imagePullPolicy"),
                     {"Always", "IfNotPresent", "Never"}, true));
  append(errs, oneOf(c, "terminationMessagePolicy", p.child("terminationMessagePolicy"),
                     {"File", "FallbackToLogsOnError"}, true));
  append(errs, validateContainerPorts(c, p.child("ports")));
  append(errs, validateEnv(c, p.child("env")));
  append(errs, validateVolumeMounts(c, p.child("volumeMounts"), vols));
  if (regular) {
    append(errs, validateProbe(c, "livenessProbe", p.child("livenessProbe"), true));
    append(errs, validateProbe(c, "readinessProbe", p.child("readinessProbe"), false));
    append(errs, validateProbe(c, "startupProbe", p.child("startupProbe"), true));
  }
  return errs;
}

constexpr const char* kVolumeSources[] = {
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret",
    "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder",
    "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume",
    "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO",
    "storageos", "csi", "ephemeral", "image"};

ErrorList validateVolumes(const Json& spec, const Path& p, std::set<std::string>& names) {
  ErrorList errs;
  forEachObject(spec, "volumes", [&](const Json& v, size_t i) {
    const Path vp = p.index(i);
    const std::string name = stringField(v, "name");
    if (name.empty()) {
      errs.push_back(required(vp.child("name")));
    } else {
      Reasons r = dns1123Label(name);
      addReasons(errs, vp.child("name"), name, r);
      if (r.empty() && !names.insert(name).second) {
        errs.push_back(duplicate(vp.child("name"), name));
      }
    }
    int sources = 0;
    for (const char* s : kVolumeSources) {
      sources += has(v, s) ? 1 : 0;
    }
    if (sources == 0) {
      errs.push_back(required(vp, "must specify a volume type"));
    } else if (sources > 1) {
      errs.push_back(forbidden(vp, "may not specify more than 1 volume type"));
    }
    if (const Json* pvc = objectField(v, "persistentVolumeClaim")) {
      if (stringField(*pvc, "claimName").empty()) {
        errs.push_back(required(vp.child("persistentVolumeClaim", "claimName")));
      }
    }
    if (const Json* hp = objectField(v, "hostPath")) {
      if (stringField(*hp, "path").empty()) {
        errs.push_back(required(vp.child("hostPath", "path")));
      }
    }
  });
  return errs;
}

ErrorList validateContainerList(const Json& spec, const char* key, const Path& p,
                                const std::set<std::string>& vols, std::set<std::string>& names,
                                bool regular) {
  ErrorList errs;
  forEachObject(spec, key, [&](const Json& c, size_t i) {
    const Path cp = p.index(i);
    const std::string name = stringField(c, "name");
    if (name.empty()) {
      errs.push_back(required(cp.child("name")));
    } else {
      Reasons r = dns1123Label(name);
      addReasons(errs, cp.child("name"), name, r);
      if (r.empty() && !names.insert(name).second) {
        errs.push_back(duplicate(cp.child("name"), name));
      }
    }
    append(errs, validateContainer(c, cp, vols, regular));
  });
  return errs;
}

}  // namespace

ErrorList validatePodSpec(const Json& spec, const Path& p) {
  ErrorList errs;
  std::set<std::string> volumes;
  append(errs, validateVolumes(spec, p.child("volumes"), volumes));
  const Json* containers = arrayField(spec, "containers");
  if (containers == nullptr || containers->empty()) {
    errs.push_back(required(p.child("containers")));
  }
  std::set<std::string> names;
  append(errs, validateContainerList(spec, "initContainers", p.child("initContainers"), volumes,
                                     names, false));
  append(errs, validateContainerList(spec, "containers", p.child("containers"), volumes, names,
                                     true));
  append(errs, oneOf(spec, "restartPolicy", p.child("restartPolicy"),
                     {"Always", "OnFailure", "Never"}, true));
  append(errs, oneOf(spec, "dnsPolicy", p.child("dnsPolicy"),
                     {"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"}, true));
  if (auto ads = intField(spec, "activeDeadlineSeconds");
      ads && (*ads < 1 || *ads > 2147483647)) {
    errs.push_back(invalid(p.child("activeDeadlineSeconds"), *ads,
                           inclusiveRangeError(1, 2147483647)));
  }
  if (const Json* selector = objectField(spec, "nodeSelector")) {
    append(errs, validateLabels(selector, p.child("nodeSelector")));
  }
  const std::string sa = stringField(spec, "serviceAccountName");
  addReasons(errs, p.child("serviceAccountName"), sa, sa.empty() ? Reasons{} : dns1123Subdomain(sa));
  const std::string host = stringField(spec, "hostname");
  addReasons(errs, p.child("hostname"), host, host.empty() ? Reasons{} : dns1123Label(host));
  forEachObject(spec, "tolerations", [&](const Json& t, size_t i) {
    const Path tp = p.child("tolerations").index(i);
    append(errs, oneOf(t, "operator", tp.child("operator"), {"Equal", "Exists"}, false));
    append(errs, oneOf(t, "effect", tp.child("effect"),
                       {"NoSchedule", "PreferNoSchedule", "NoExecute"}, false));
    if (stringField(t, "operator") == "Exists" && !stringField(t, "value").empty()) {
      errs.push_back(invalid(tp.child("operator"), stringField(t, "value"),
                             "value must be empty when `operator` is 'Exists'"));
    }
  });
  return errs;
}

ErrorList validatePodTemplateSpec(const Json& tmpl, const Path& p) {
  ErrorList errs;
  const Json* meta = objectField(tmpl, "metadata");
  if (meta != nullptr) {
    append(errs, validateLabels(objectField(*meta, "labels"), p.child("labels")));
    append(errs, validateAnnotations(objectField(*meta, "annotations"), p.child("annotations")));
  }
  static const Json kEmpty = Json::object();
  const Json* spec = objectField(tmpl, "spec");
  append(errs, validatePodSpec(spec ? *spec : kEmpty, p.child("spec")));
  return errs;
}

ErrorList validatePod(const Json& obj) { return validatePodSpec(specOf(obj), Path("spec")); }

ErrorList validatePodUpdate(const Json& obj, const Json& old) {
  ErrorList errs = validatePod(obj);
  const Json& spec = specOf(obj);
  const Json& oldSpec = specOf(old);
  // The spec as it would be if only the mutable fields changed: take those from the old spec,
  // the rest must then be identical.
  Json munged = spec;
  for (const char* list : {"containers", "initContainers"}) {
    const Json* now = arrayField(spec, list);
    const Json* before = arrayField(oldSpec, list);
    if ((now ? now->size() : 0) != (before ? before->size() : 0)) {
      errs.push_back(forbidden(Path("spec").child(list),
                               "pod updates may not add or remove containers"));
      return errs;
    }
    for (size_t i = 0; now != nullptr && i < now->size(); ++i) {
      if (munged[list][i].is_object() && (*before)[i].is_object()) {
        munged[list][i]["image"] = fieldOr((*before)[i], "image");
      }
    }
  }
  munged["activeDeadlineSeconds"] = fieldOr(oldSpec, "activeDeadlineSeconds");
  // Tolerations may only be added to.
  const Json* tolerations = arrayField(spec, "tolerations");
  const Json* oldTolerations = arrayField(oldSpec, "tolerations");
  bool superset = true;
  for (size_t i = 0; oldTolerations != nullptr && i < oldTolerations->size(); ++i) {
    bool found = false;
    for (size_t j = 0; tolerations != nullptr && j < tolerations->size(); ++j) {
      found = found || (*tolerations)[j] == (*oldTolerations)[i];
    }
    superset = superset && found;
  }
  if (superset) {
    munged["tolerations"] = fieldOr(oldSpec, "tolerations");
  }
  auto oldGrace = intField(oldSpec, "terminationGracePeriodSeconds");
  if (oldGrace && *oldGrace < 0 && intField(spec, "terminationGracePeriodSeconds") == 1) {
    munged["terminationGracePeriodSeconds"] = *oldGrace;
  }
  Json oldComparable = oldSpec;
  for (Json* s : {&munged, &oldComparable}) {
    for (auto it = s->begin(); it != s->end();) {
      it = it->is_null() ? s->erase(it) : std::next(it);
    }
  }
  if (munged != oldComparable) {
    errs.push_back(forbidden(
        Path("spec"),
        "pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
        "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be "
        "set to 1 if it was previously negative)"));
  }
  return errs;
}

}  // namespace tug::api::validation
