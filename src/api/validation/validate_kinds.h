#pragma once

#include "api/validation/meta_validation.h"
#include "api/validation/validation.h"

// The per-kind validators behind validateCreate() and validateUpdate(). Each validates what is
// specific to its kind; object metadata is checked by the caller. Update validators get the
// old object and report only what may not change.
namespace tug::api::validation {

ErrorList validatePod(const Json& obj);
ErrorList validatePodUpdate(const Json& obj, const Json& old);

ErrorList validateDeployment(const Json& obj);
ErrorList validateReplicaSet(const Json& obj);
ErrorList validateStatefulSet(const Json& obj);
ErrorList validateDaemonSet(const Json& obj);
ErrorList validateJob(const Json& obj);
ErrorList validateCronJob(const Json& obj);
ErrorList validateSelectorUnchanged(const Json& obj, const Json& old);
ErrorList validateStatefulSetUpdate(const Json& obj, const Json& old);
ErrorList validateJobUpdate(const Json& obj, const Json& old);

ErrorList validateService(const Json& obj);
ErrorList validateServiceUpdate(const Json& obj, const Json& old);

ErrorList validateCustomResourceDefinition(const Json& obj);
ErrorList validateCustomResourceDefinitionUpdate(const Json& obj, const Json& old);

ErrorList validateConfigMap(const Json& obj);
ErrorList validateSecret(const Json& obj);
ErrorList validateDataUpdate(const Json& obj, const Json& old);  // ConfigMap and Secret
ErrorList validateSecretUpdate(const Json& obj, const Json& old);
ErrorList validateNamespace(const Json& obj);
ErrorList validatePersistentVolumeClaim(const Json& obj);
ErrorList validatePersistentVolumeClaimSpec(const Json& spec, const Path& p);
ErrorList validatePersistentVolumeClaimUpdate(const Json& obj, const Json& old);
ErrorList validatePersistentVolume(const Json& obj);
ErrorList validatePersistentVolumeUpdate(const Json& obj, const Json& old);

ErrorList validateResourceQuota(const Json& obj);
ErrorList validateLimitRange(const Json& obj);

ErrorList validateStorageClass(const Json& obj);
ErrorList validateStorageClassUpdate(const Json& obj, const Json& old);
ErrorList validateIngress(const Json& obj);
ErrorList validateRole(const Json& obj);
ErrorList validateRoleBinding(const Json& obj, bool clusterScoped);
ErrorList validateRoleBindingUpdate(const Json& obj, const Json& old);

ErrorList validatePodDisruptionBudget(const Json& obj);

// An int-or-string field `key` of obj that is a non-negative count or a percentage of at most
// 100% (absent is fine).
ErrorList validateIntOrPercent(const Json& obj, std::string_view key, const Path& p);
// The field `key` of two objects, or null where absent (for immutability checks).
Json fieldOr(const Json& obj, std::string_view key);
// obj.spec, or an empty object.
const Json& specOf(const Json& obj);

}  // namespace tug::api::validation
