#pragma once

#include "api/validation/defaults.h"

// The per-kind defaulting functions behind applyDefaults(); one call per kind.
namespace tug::api::validation {

void defaultDeployment(Json& obj);
void defaultCustomResourceDefinition(Json& obj);
void defaultReplicaSet(Json& obj);
void defaultStatefulSet(Json& obj);
void defaultDaemonSet(Json& obj);
void defaultJob(Json& obj);
void defaultCronJob(Json& obj);
void defaultReplicationController(Json& obj);
void defaultPodTemplate(Json& obj);

void defaultService(Json& obj);
void defaultSecret(Json& obj);
void defaultPersistentVolume(Json& obj);
void defaultNamespace(Json& obj);
void defaultNode(Json& obj);
void defaultEndpoints(Json& obj);
void defaultLimitRange(Json& obj);
void defaultResourceQuota(Json& obj);

void defaultStorageClass(Json& obj);
void defaultEndpointSlice(Json& obj);
void defaultNetworkPolicy(Json& obj);
void defaultRoleBinding(Json& obj);

}  // namespace tug::api::validation
