#include "cli/flag_table.h"

#include <vector>

namespace tug::cli {

std::span<const FlagSpec> flagTable() {
  static const std::vector<FlagSpec> kTable = {
      // Shared by the server and (later) the agent.
      {.name = kConfigFlag,
       .shortName = 'c',
       .defaultValue = kDefaultConfigFile,
       .usage = "Config file; FILE.d/*.yaml are merged after it in name order",
       .metavar = "FILE",
       .subcommands = kServer | kAgent,
       .env = "TUG_CONFIG_FILE",
       .allowEmpty = false,
       .commandLineOnly = true},
      {.name = "data-dir",
       .shortName = 'd',
       .defaultValue = "/var/lib/tug",
       .usage = "Folder to hold state",
       .metavar = "DIR",
       .subcommands = kServer | kAgent,
       .allowEmpty = false},
      {.name = "debug",
       .kind = FlagKind::kBool,
       .defaultValue = "false",
       .usage = "Turn on debug logs",
       .subcommands = kServer | kAgent},
      {.name = "log",
       .shortName = 'l',
       .usage = "Log to a file instead of stderr",
       .metavar = "FILE",
       .subcommands = kServer | kAgent},

      // API server (server only).
      {.name = "https-listen-port",
       .kind = FlagKind::kInt,
       .defaultValue = "6443",
       .usage = "HTTPS port of the API server; 0 picks a free port and logs it",
       .metavar = "PORT",
       .subcommands = kServer,
       .minimum = 0,
       .maximum = 65535},
      {.name = "bind-address",
       .defaultValue = "0.0.0.0",
       .usage = "Address the API server listens on",
       .metavar = "ADDRESS",
       .subcommands = kServer,
       .allowEmpty = false},
      {.name = "service-cidr",
       .defaultValue = "10.43.0.0/16",
       .usage = "IPv4 network Service cluster IPs come from (the first is the API server's)",
       .metavar = "CIDR",
       .subcommands = kServer,
       .allowEmpty = false},
      {.name = "service-node-port-range",
       .defaultValue = "30000-32767",
       .usage = "Ports NodePort Services may use",
       .metavar = "FIRST-LAST",
       .subcommands = kServer,
       .allowEmpty = false},
      {.name = "node-ip",
       .usage = "IPv4 address of this node, advertised as the kubernetes Service's endpoint "
                "(default: the bind address, else the first non-loopback address)",
       .metavar = "IP",
       .subcommands = kServer},
      {.name = "disable-scheduler",
       .kind = FlagKind::kBool,
       .defaultValue = "false",
       .usage = "Do not run the scheduler: pods stay pending unless something else binds them",
       .subcommands = kServer},
      {.name = "disable-controller-manager",
       .kind = FlagKind::kBool,
       .defaultValue = "false",
       .usage = "Do not run the controllers (namespaces, workloads, endpoints, nodes, garbage "
                "collection): the API server alone",
       .subcommands = kServer},
      {.name = "controllers",
       .defaultValue = "*",
       .usage = "Controllers to run, comma-separated: * for all, NAME to add, -NAME to leave out "
                "(namespace, serviceaccount, endpoint, endpointslice, nodelifecycle, "
                "garbagecollector, podgc, replicaset, deployment, daemonset, statefulset, job, "
                "cronjob, ttl-after-finished, disruption, resourcequota)",
       .metavar = "LIST",
       .subcommands = kServer,
       .allowEmpty = false},
      {.name = "node-monitor-grace-period",
       .kind = FlagKind::kDuration,
       .defaultValue = "40s",
       .usage = "How long a node may stay silent before it is marked unreachable",
       .metavar = "DURATION",
       .subcommands = kServer},
      {.name = "terminated-pod-gc-threshold",
       .kind = FlagKind::kInt,
       .defaultValue = "12500",
       .usage = "How many finished pods are kept before the oldest are deleted (0: keep all)",
       .metavar = "COUNT",
       .subcommands = kServer},
      {.name = "default-not-ready-toleration-seconds",
       .kind = FlagKind::kInt,
       .defaultValue = "300",
       .usage = "How long new pods stay on a not-ready node before eviction",
       .metavar = "SECONDS",
       .subcommands = kServer,
       .minimum = 0},
      {.name = "default-unreachable-toleration-seconds",
       .kind = FlagKind::kInt,
       .defaultValue = "300",
       .usage = "How long new pods stay on an unreachable node before eviction",
       .metavar = "SECONDS",
       .subcommands = kServer,
       .minimum = 0},
      {.name = "tls-san",
       .kind = FlagKind::kList,
       .usage = "Extra host name or IP in the serving certificate",
       .metavar = "NAME",
       .subcommands = kServer},
      {.name = "write-kubeconfig",
       .shortName = 'o',
       .defaultValue = "/etc/tug/tug.yaml",
       .usage = "Write the admin kubeconfig to this file",
       .metavar = "FILE",
       .subcommands = kServer,
       .env = "TUG_KUBECONFIG_OUTPUT",
       .allowEmpty = false},
      {.name = "write-kubeconfig-mode",
       .kind = FlagKind::kFileMode,
       .defaultValue = "0600",
       .usage = "File mode of the admin kubeconfig, in octal",
       .metavar = "MODE",
       .subcommands = kServer,
       .env = "TUG_KUBECONFIG_MODE",
       .allowEmpty = false},

      // Datastore (server only).
      {.name = "datastore-durability",
       .kind = FlagKind::kEnum,
       .defaultValue = "full",
       .usage = "full: fsync every commit (survives power loss); normal: survives a crash only",
       .metavar = "MODE",
       .subcommands = kServer,
       .choices = {"full", "normal"}},
      {.name = "datastore-retention",
       .kind = FlagKind::kDuration,
       .defaultValue = "5m",
       .usage = "Keep the history of writes younger than this for watches",
       .metavar = "DURATION",
       .subcommands = kServer},
      {.name = "datastore-retain-revisions",
       .kind = FlagKind::kInt,
       .defaultValue = "1000",
       .usage = "Keep at least this many revisions of history",
       .metavar = "N",
       .subcommands = kServer,
       .minimum = 0},
      {.name = "datastore-max-bytes",
       .kind = FlagKind::kSize,
       .defaultValue = "0",
       .usage = "Largest datastore size (e.g. 2Gi); writes beyond it fail; 0 is unlimited",
       .metavar = "SIZE",
       .subcommands = kServer,
       .minimum = 0},
  };
  return kTable;
}

const FlagSpec* findFlag(std::span<const FlagSpec> table, std::string_view name,
                         SubcommandMask subcommands) {
  for (const FlagSpec& spec : table) {
    if (spec.name == name && (spec.subcommands & subcommands) != 0) {
      return &spec;
    }
  }
  return nullptr;
}

const FlagSpec* findShortFlag(std::span<const FlagSpec> table, char shortName,
                              SubcommandMask subcommands) {
  for (const FlagSpec& spec : table) {
    if (spec.shortName != 0 && spec.shortName == shortName &&
        (spec.subcommands & subcommands) != 0) {
      return &spec;
    }
  }
  return nullptr;
}

}  // namespace tug::cli
