#pragma once

#include <string_view>

// JSON member names of service-account token claims, shared by the signer and the validator so
// that the two cannot drift apart. Spelled as kube-apiserver spells them.
namespace tug::pki::claim {

// Bound tokens: the private claim "kubernetes.io" and its members.
inline constexpr std::string_view kKubernetes = "kubernetes.io";
inline constexpr std::string_view kNamespace = "namespace";
inline constexpr std::string_view kServiceAccount = "serviceaccount";
inline constexpr std::string_view kPod = "pod";
inline constexpr std::string_view kSecret = "secret";
inline constexpr std::string_view kNode = "node";
inline constexpr std::string_view kWarnAfter = "warnafter";
inline constexpr std::string_view kName = "name";
inline constexpr std::string_view kUid = "uid";

// Legacy tokens: flat private claims.
inline constexpr std::string_view kLegacyNamespace = "kubernetes.io/serviceaccount/namespace";
inline constexpr std::string_view kLegacySecretName = "kubernetes.io/serviceaccount/secret.name";
inline constexpr std::string_view kLegacyServiceAccountName =
    "kubernetes.io/serviceaccount/service-account.name";
inline constexpr std::string_view kLegacyServiceAccountUid =
    "kubernetes.io/serviceaccount/service-account.uid";

}  // namespace tug::pki::claim
