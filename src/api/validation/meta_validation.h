#pragma once

#include "api/validation/field_error.h"
#include "api/validation/json_access.h"
#include "api/validation/name_rules.h"

// Validation shared by every kind: object metadata, labels, annotations, label selectors and
// the small numeric and enum checks that upstream's validators repeat.
namespace tug::api::validation {

// metadata on create: name (or generateName) by `rule`, namespace required for namespaced
// kinds and forbidden otherwise, labels, annotations, finalizers, generation >= 0.
ErrorList validateObjectMeta(const Json& obj, bool namespaced, NameRule rule);
// metadata on update: the checks above on the new metadata, plus name, namespace, uid and
// creationTimestamp unchanged.
ErrorList validateObjectMetaUpdate(const Json& obj, const Json& old, bool namespaced,
                                   NameRule rule);

ErrorList validateLabels(const Json* labels, const Path& p);
ErrorList validateAnnotations(const Json* annotations, const Path& p);
// A metav1.LabelSelector: matchLabels as labels, matchExpressions with valid operators.
ErrorList validateLabelSelector(const Json& selector, const Path& p);
// Whether the selector selects the labels (an empty selector selects everything).
bool selectorMatches(const Json& selector, const Json* labels);
// Whether the selector has neither matchLabels nor matchExpressions.
bool selectorEmpty(const Json& selector);

// Numeric fields: absent is fine; a present value out of range is an error.
ErrorList nonNegative(const Json& obj, std::string_view key, const Path& p);
ErrorList positive(const Json& obj, std::string_view key, const Path& p);
// An enum string field: absent or empty gives Required when `requiredValue`; an unknown
// value gives Unsupported with the supported values.
ErrorList oneOf(const Json& obj, std::string_view key, const Path& p,
                const std::vector<std::string>& values, bool requiredValue);

// "must be greater than or equal to 0", as upstream says it.
inline constexpr const char* kNonNegativeMsg = "must be greater than or equal to 0";

}  // namespace tug::api::validation
