// Storage: persistent volumes, claims and storage classes.
#include "api/table/builtin_printers.h"
#include "api/table/formatting.h"
#include "api/table/json_fields.h"

namespace tug::api::table {
namespace {

constexpr const char* kClassAnnotation = "volume.beta.kubernetes.io/storage-class";

std::string name(const json& obj) { return str(obj, {"metadata", "name"}); }

// The storage class: the old annotation wins over spec.storageClassName, as upstream reads it.
std::string storageClass(const json& obj) {
  if (const json* a = field(obj, {"metadata", "annotations", kClassAnnotation}); a != nullptr) {
    return str(a);
  }
  return str(obj, {"spec", "storageClassName"});
}

std::string orUnset(const json& obj, std::initializer_list<std::string_view> path) {
  return present(obj, path) ? str(obj, path) : "<unset>";
}

std::string phaseOf(const json& obj) {
  return present(obj, {"metadata", "deletionTimestamp"}) ? "Terminating"
                                                         : str(obj, {"status", "phase"});
}

Row persistentVolumeRow(const json& pv, TimePoint now) {
  std::string claim;
  if (const json* ref = field(pv, {"spec", "claimRef"}); ref != nullptr && ref->is_object()) {
    claim = str(*ref, {"namespace"}) + "/" + str(*ref, {"name"});
  }
  Row row;
  row.cells = {name(pv),
               intOrString(field(pv, {"spec", "capacity", "storage"})),
               accessModes(array(pv, {"spec", "accessModes"})),
               str(pv, {"spec", "persistentVolumeReclaimPolicy"}),
               phaseOf(pv),
               claim,
               storageClass(pv),
               orUnset(pv, {"spec", "volumeAttributesClassName"}),
               str(pv, {"status", "reason"}),
               age(pv, now),
               orUnset(pv, {"spec", "volumeMode"})};
  return row;
}

Row persistentVolumeClaimRow(const json& pvc, TimePoint now) {
  std::string capacity, modes;
  std::string volume = str(pvc, {"spec", "volumeName"});
  if (!volume.empty()) {
    modes = accessModes(array(pvc, {"status", "accessModes"}));
    capacity = intOrString(field(pvc, {"status", "capacity", "storage"}));
  }
  Row row;
  row.cells = {name(pvc),
               phaseOf(pvc),
               volume,
               capacity,
               modes,
               storageClass(pvc),
               orUnset(pvc, {"spec", "volumeAttributesClassName"}),
               age(pvc, now),
               orUnset(pvc, {"spec", "volumeMode"})};
  return row;
}

bool isDefaultClass(const json& sc) {
  for (const char* key : {"storageclass.kubernetes.io/is-default-class",
                          "storageclass.beta.kubernetes.io/is-default-class"}) {
    if (str(sc, {"metadata", "annotations", key}) == "true") {
      return true;
    }
  }
  return false;
}

Row storageClassRow(const json& sc, TimePoint now) {
  std::string reclaim = str(sc, {"reclaimPolicy"});
  std::string binding = str(sc, {"volumeBindingMode"});
  Row row;
  row.cells = {name(sc) + (isDefaultClass(sc) ? " (default)" : ""),
               str(sc, {"provisioner"}),
               reclaim.empty() ? "Delete" : reclaim,
               binding.empty() ? "Immediate" : binding,
               boolean(sc, {"allowVolumeExpansion"}),
               age(sc, now)};
  return row;
}

}  // namespace

void addStoragePrinters(PrinterEntries& out) {
  out.push_back(
      {"", "persistentvolumes",
       makePrinter(
           {nameColumn(), column("Capacity", "string", "The volume's size."),
            column("Access Modes", "string", "How the volume can be mounted."),
            column("Reclaim Policy", "string", "What happens once it is released."),
            column("Status", "string", "The volume's phase."),
            column("Claim", "string", "The claim bound to it."),
            column("StorageClass", "string", "The volume's storage class."),
            column("VolumeAttributesClass", "string", "The volume's attributes class."),
            column("Reason", "string", "Why the volume is in its phase."), ageColumn(),
            column("VolumeMode", "string", "Filesystem or Block.", 1)},
           persistentVolumeRow)});
  out.push_back(
      {"", "persistentvolumeclaims",
       makePrinter({nameColumn(), column("Status", "string", "The claim's phase."),
                    column("Volume", "string", "The volume bound to it."),
                    column("Capacity", "string", "The bound volume's size."),
                    column("Access Modes", "string", "How the volume can be mounted."),
                    column("StorageClass", "string", "The claim's storage class."),
                    column("VolumeAttributesClass", "string", "The claim's attributes class."),
                    ageColumn(), column("VolumeMode", "string", "Filesystem or Block.", 1)},
                   persistentVolumeClaimRow)});
  out.push_back(
      {"storage.k8s.io", "storageclasses",
       makePrinter({nameColumn(), column("Provisioner", "string", "Who makes the volumes."),
                    column("ReclaimPolicy", "string", "What happens to released volumes."),
                    column("VolumeBindingMode", "string", "When claims are bound."),
                    column("AllowVolumeExpansion", "string", "Whether volumes can grow."),
                    ageColumn()},
                   storageClassRow)});
}

}  // namespace tug::api::table
