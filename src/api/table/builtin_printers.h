#pragma once

#include <string>
#include <vector>

#include "api/table/printer.h"

// The built-in printers, one function per area (pods, workloads, network, ...), each listing
// the resources it prints. Used only by printer_registry.cc; kept apart so every area is a
// small file of its own.
namespace tug::api::table {

struct PrinterEntry {
  std::string group;
  std::string resource;
  PrinterPtr printer;
};
using PrinterEntries = std::vector<PrinterEntry>;

void addPodPrinters(PrinterEntries& out);
void addWorkloadPrinters(PrinterEntries& out);
void addNetworkPrinters(PrinterEntries& out);
void addClusterPrinters(PrinterEntries& out);
void addStoragePrinters(PrinterEntries& out);
void addRbacPrinters(PrinterEntries& out);
void addPolicyPrinters(PrinterEntries& out);
void addEventPrinters(PrinterEntries& out);

// Column helpers shared by the areas: the name column and the age column every kind has.
Column nameColumn();
Column ageColumn();
Column column(std::string name, std::string type, std::string description, int priority = 0);

}  // namespace tug::api::table
