// Defaults of the apps and batch kinds (upstream pkg/apis/apps/v1 and batch/v1 defaults.go).
#include "api/validation/defaults_kinds.h"

namespace tug::api::validation {

void defaultDeployment(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (spec == nullptr) {
    return;
  }
  setDefault(*spec, "replicas", 1);
  if (Json* strategy = ensureObject(*spec, "strategy")) {
    setDefault(*strategy, "type", "RollingUpdate");
    if (stringField(*strategy, "type") == "RollingUpdate") {
      if (Json* ru = ensureObject(*strategy, "rollingUpdate")) {
        setDefault(*ru, "maxUnavailable", "25%");
        setDefault(*ru, "maxSurge", "25%");
      }
    }
  }
  setDefault(*spec, "revisionHistoryLimit", 10);
  setDefault(*spec, "progressDeadlineSeconds", 600);
  if (Json* tmpl = objectField(*spec, "template")) {
    defaultPodTemplateSpec(*tmpl);
  }
}

void defaultReplicaSet(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (spec == nullptr) {
    return;
  }
  setDefault(*spec, "replicas", 1);
  if (Json* tmpl = objectField(*spec, "template")) {
    defaultPodTemplateSpec(*tmpl);
  }
}

void defaultStatefulSet(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (spec == nullptr) {
    return;
  }
  setDefault(*spec, "podManagementPolicy", "OrderedReady");
  if (Json* strategy = ensureObject(*spec, "updateStrategy")) {
    if (stringField(*strategy, "type").empty() && !has(*strategy, "type")) {
      (*strategy)["type"] = "RollingUpdate";
      ensureObject(*strategy, "rollingUpdate");
    }
    if (stringField(*strategy, "type") == "RollingUpdate") {
      if (Json* ru = objectField(*strategy, "rollingUpdate")) {
        setDefault(*ru, "partition", 0);
      }
    }
  }
  if (Json* policy = ensureObject(*spec, "persistentVolumeClaimRetentionPolicy")) {
    setDefault(*policy, "whenDeleted", "Retain");
    setDefault(*policy, "whenScaled", "Retain");
  }
  setDefault(*spec, "replicas", 1);
  setDefault(*spec, "revisionHistoryLimit", 10);
  if (Json* tmpl = objectField(*spec, "template")) {
    defaultPodTemplateSpec(*tmpl);
  }
  forEachObject(*spec, "volumeClaimTemplates",
                [](Json& pvc, size_t) { defaultPersistentVolumeClaim(pvc); });
}

void defaultDaemonSet(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (spec == nullptr) {
    return;
  }
  if (Json* strategy = ensureObject(*spec, "updateStrategy")) {
    setDefault(*strategy, "type", "RollingUpdate");
    if (stringField(*strategy, "type") == "RollingUpdate") {
      if (Json* ru = ensureObject(*strategy, "rollingUpdate")) {
        setDefault(*ru, "maxUnavailable", 1);
        setDefault(*ru, "maxSurge", 0);
      }
    }
  }
  setDefault(*spec, "revisionHistoryLimit", 10);
  if (Json* tmpl = objectField(*spec, "template")) {
    defaultPodTemplateSpec(*tmpl);
  }
}

void defaultJob(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (spec == nullptr) {
    return;
  }
  if (!has(*spec, "completions") && !has(*spec, "parallelism")) {
    (*spec)["completions"] = 1;
    (*spec)["parallelism"] = 1;
  }
  setDefault(*spec, "parallelism", 1);
  // With a per-index backoff limit the global one is effectively unlimited.
  setDefault(*spec, "backoffLimit", has(*spec, "backoffLimitPerIndex") ? 2147483647 : 6);
  setDefault(*spec, "completionMode", "NonIndexed");
  setDefault(*spec, "suspend", false);
  setDefault(*spec, "podReplacementPolicy",
             has(*spec, "podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
  if (Json* tmpl = objectField(*spec, "template")) {
    defaultPodTemplateSpec(*tmpl);
  }
}

void defaultCronJob(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (spec == nullptr) {
    return;
  }
  setDefault(*spec, "concurrencyPolicy", "Allow");
  setDefault(*spec, "suspend", false);
  setDefault(*spec, "successfulJobsHistoryLimit", 3);
  setDefault(*spec, "failedJobsHistoryLimit", 1);
  // Only the pod template inside the job template is defaulted, as upstream does.
  if (Json* jt = objectField(*spec, "jobTemplate")) {
    if (Json* js = objectField(*jt, "spec")) {
      if (Json* tmpl = objectField(*js, "template")) {
        defaultPodTemplateSpec(*tmpl);
      }
    }
  }
}

void defaultReplicationController(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (spec == nullptr) {
    return;
  }
  Json* tmpl = objectField(*spec, "template");
  const Json* labels = nullptr;
  if (tmpl != nullptr) {
    if (const Json* meta = objectField(*tmpl, "metadata")) {
      labels = objectField(*meta, "labels");
    }
  }
  if (labels != nullptr && !labels->empty()) {
    const Json* selector = objectField(*spec, "selector");
    if (selector == nullptr || selector->empty()) {
      (*spec)["selector"] = *labels;
    }
    if (Json* meta = ensureObject(obj, "metadata")) {
      const Json* own = objectField(*meta, "labels");
      if (own == nullptr || own->empty()) {
        (*meta)["labels"] = *labels;
      }
    }
  }
  setDefault(*spec, "replicas", 1);
  if (tmpl != nullptr) {
    defaultPodTemplateSpec(*tmpl);
  }
}

}  // namespace tug::api::validation
