#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/managed/field_set.h"
#include "common/status.h"

// metadata.managedFields: who owns which fields of an object, one entry per manager,
// operation (Apply or Update), subresource and, for Update, API version.
namespace tug::api::managed {

struct ManagerEntry {
  std::string manager;
  std::string operation;  // "Apply" or "Update"
  std::string apiVersion;
  std::string time;  // RFC 3339; empty when unknown
  std::string subresource;
  FieldSet fields;

  // Same manager, operation and subresource; Update entries also the same API version (an
  // applier keeps one entry whatever version it applies with).
  bool sameOwner(const ManagerEntry& other) const;
  // How conflict messages name the owner: "\"kubectl\"", "\"kubectl\" with subresource
  // \"status\"", "\"kube-controller-manager\" using apps/v1".
  std::string describe() const;
};

using ManagedFields = std::vector<ManagerEntry>;

// The entries in a managedFields list (a JSON array; null or absent gives none). BadRequest
// when an entry is not an object, has a fieldsType other than FieldsV1 or bad FieldsV1.
Result<ManagedFields> decodeManagedFields(const nlohmann::json& list);
// The object's metadata.managedFields, decoded.
Result<ManagedFields> managedFieldsOf(const nlohmann::json& obj);

// One managedFields entry, with `fieldsV1` for e.fields (which it does not read).
nlohmann::json encodeEntry(const ManagerEntry& e, nlohmann::json fieldsV1);
// Writes `entries` into obj.metadata.managedFields in upstream's order (Apply before Update,
// then by time, manager, API version and subresource), leaving out entries that own nothing;
// removes the field when none is left.
void setManagedFields(nlohmann::json& obj, ManagedFields entries);
// Removes metadata.managedFields.
void clearManagedFields(nlohmann::json& obj);

}  // namespace tug::api::managed
