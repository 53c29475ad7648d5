#include "api/managed/managed_fields.h"

#include <algorithm>
#include <tuple>

namespace tug::api::managed {
namespace {

std::string stringField(const nlohmann::json& entry, const char* name) {
  auto it = entry.find(name);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<ManagerEntry> decodeEntry(const nlohmann::json& j) {
  if (!j.is_object()) {
    return badRequest("managedFields entries must be objects");
  }
  ManagerEntry e;
  e.manager = stringField(j, "manager");
  e.operation = stringField(j, "operation");
  e.apiVersion = stringField(j, "apiVersion");
  e.time = stringField(j, "time");
  e.subresource = stringField(j, "subresource");
  std::string type = stringField(j, "fieldsType");
  if (!type.empty() && type != "FieldsV1") {
    return badRequest("managedFields: unsupported fieldsType \"" + type + "\"");
  }
  if (auto f = j.find("fieldsV1"); f != j.end() && !f->is_null()) {
    auto fields = FieldSet::fromFieldsV1(*f);
    if (!fields.ok()) {
      return fields.status();
    }
    e.fields = std::move(*fields);
  }
  return e;
}

}  // namespace

nlohmann::json encodeEntry(const ManagerEntry& e, nlohmann::json fieldsV1) {
  nlohmann::json j = {{"manager", e.manager},
                      {"operation", e.operation},
                      {"apiVersion", e.apiVersion},
                      {"fieldsType", "FieldsV1"},
                      {"fieldsV1", std::move(fieldsV1)}};
  if (!e.time.empty()) {
    j["time"] = e.time;
  }
  if (!e.subresource.empty()) {
    j["subresource"] = e.subresource;
  }
  return j;
}

bool ManagerEntry::sameOwner(const ManagerEntry& other) const {
  return manager == other.manager && operation == other.operation &&
         subresource == other.subresource &&
         (operation == "Apply" || apiVersion == other.apiVersion);
}

std::string ManagerEntry::describe() const {
  std::string name = nlohmann::json(manager).dump();
  if (operation == "Update") {
    return name + " using " + apiVersion;
  }
  if (!subresource.empty()) {
    return name + " with subresource " + nlohmann::json(subresource).dump();
  }
  return name;
}

Result<ManagedFields> decodeManagedFields(const nlohmann::json& list) {
  ManagedFields out;
  if (list.is_null()) {
    return out;
  }
  if (!list.is_array()) {
    return badRequest("metadata.managedFields must be a list");
  }
  for (const nlohmann::json& j : list) {
    auto e = decodeEntry(j);
    if (!e.ok()) {
      return e.status();
    }
    out.push_back(std::move(*e));
  }
  return out;
}

Result<ManagedFields> managedFieldsOf(const nlohmann::json& obj) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) {
    return ManagedFields{};
  }
  auto f = m->find("managedFields");
  return f == m->end() ? Result<ManagedFields>(ManagedFields{}) : decodeManagedFields(*f);
}

void setManagedFields(nlohmann::json& obj, ManagedFields entries) {
  std::erase_if(entries, [](const ManagerEntry& e) { return e.fields.empty(); });
  if (entries.empty()) {
    clearManagedFields(obj);
    return;
  }
  // RFC 3339 UTC to the second sorts as text.
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return std::tie(a.operation, a.time, a.manager, a.apiVersion, a.subresource) <
           std::tie(b.operation, b.time, b.manager, b.apiVersion, b.subresource);
  });
  nlohmann::json list = nlohmann::json::array();
  for (const ManagerEntry& e : entries) {
    list.push_back(encodeEntry(e, e.fields.toFieldsV1()));
  }
  obj["metadata"]["managedFields"] = std::move(list);
}

void clearManagedFields(nlohmann::json& obj) {
  if (auto m = obj.find("metadata"); m != obj.end() && m->is_object()) {
    m->erase("managedFields");
  }
}

}  // namespace tug::api::managed
