#pragma once

#include <nlohmann/json.hpp>

#include "api/validation/field_error.h"

// Custom resources checked against the structural schema of their CRD version, as upstream's
// apiextensions server does it: defaults filled in, then value validation (types, formats,
// enums, bounds, lengths, patterns, required fields, list uniqueness and the oneOf / anyOf /
// allOf / not junctors) reported as field errors in upstream's wording. CEL rules
// (x-kubernetes-validations) are kept in the schema but not evaluated.
namespace tug::api::validation {

// Every value-validation problem of `value` (a whole object) under `schema` (its
// openAPIV3Schema). apiVersion, kind and metadata are the server's: they are not checked here.
ErrorList validateAgainstSchema(const nlohmann::json& schema, const nlohmann::json& value);

// Fills in the schema's defaults where `value` lacks a field (recursively, defaults included),
// and drops nulls the schema does not allow (a nullable field keeps its null; a null with a
// default becomes the default), as upstream's structural defaulting does.
void applySchemaDefaults(const nlohmann::json& schema, nlohmann::json& value);

// The schema without `description` texts: what validation and defaulting need, at a fraction
// of the memory. Property names that happen to be "description" are kept.
nlohmann::json withoutDescriptions(const nlohmann::json& schema);

}  // namespace tug::api::validation
