// RBAC bindings. Roles and cluster roles have no printer upstream (Name, Created At).
#include "api/table/builtin_printers.h"
#include "api/table/formatting.h"
#include "api/table/json_fields.h"

namespace tug::api::table {
namespace {

Row bindingRow(const json& b, TimePoint now) {
  std::vector<std::string> users, groups, serviceAccounts;
  for (const json& s : array(b, {"subjects"})) {
    std::string kind = str(s, {"kind"});
    if (kind == "ServiceAccount") {
      serviceAccounts.push_back(str(s, {"namespace"}) + "/" + str(s, {"name"}));
    } else if (kind == "User") {
      users.push_back(str(s, {"name"}));
    } else if (kind == "Group") {
      groups.push_back(str(s, {"name"}));
    }
  }
  Row row;
  row.cells = {str(b, {"metadata", "name"}),
               str(b, {"roleRef", "kind"}) + "/" + str(b, {"roleRef", "name"}),
               age(b, now),
               join(users, ", "),
               join(groups, ", "),
               join(serviceAccounts, ", ")};
  return row;
}

std::vector<Column> bindingColumns() {
  return {nameColumn(),
          column("Role", "string", "The role granted."),
          ageColumn(),
          column("Users", "string", "Users granted the role.", 1),
          column("Groups", "string", "Groups granted the role.", 1),
          column("ServiceAccounts", "string", "Service accounts granted the role.", 1)};
}

}  // namespace

void addRbacPrinters(PrinterEntries& out) {
  out.push_back({"rbac.authorization.k8s.io", "rolebindings",
                 makePrinter(bindingColumns(), bindingRow)});
  out.push_back({"rbac.authorization.k8s.io", "clusterrolebindings",
                 makePrinter(bindingColumns(), bindingRow)});
}

}  // namespace tug::api::table
