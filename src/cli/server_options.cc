#include "cli/server_options.h"

namespace tug::cli {

ServerOptions serverOptions(const Invocation& invocation) {
  const FlagValues& v = invocation.values;
  return ServerOptions{
      .dataDir = v.string("data-dir"),
      .debug = v.boolean("debug"),
      .logFile = v.string("log"),
      .configFiles = invocation.configFiles,
      .httpsListenPort = static_cast<int>(v.integer("https-listen-port")),
      .bindAddress = v.string("bind-address"),
      .tlsSans = v.list("tls-san"),
      .serviceCidr = v.string("service-cidr"),
      .serviceNodePortRange = v.string("service-node-port-range"),
      .nodeIp = v.string("node-ip"),
      .disableScheduler = v.boolean("disable-scheduler"),
      .disableControllerManager = v.boolean("disable-controller-manager"),
      .controllers = v.string("controllers"),
      .nodeMonitorGracePeriod = v.duration("node-monitor-grace-period"),
      .terminatedPodGcThreshold = v.integer("terminated-pod-gc-threshold"),
      .defaultNotReadyTolerationSeconds = v.integer("default-not-ready-toleration-seconds"),
      .defaultUnreachableTolerationSeconds = v.integer("default-unreachable-toleration-seconds"),
      .writeKubeconfig = v.string("write-kubeconfig"),
      .writeKubeconfigMode = static_cast<int>(v.integer("write-kubeconfig-mode")),
      .datastoreDurability = v.string("datastore-durability"),
      .datastoreRetention = v.duration("datastore-retention"),
      .datastoreRetainRevisions = v.integer("datastore-retain-revisions"),
      .datastoreMaxBytes = v.integer("datastore-max-bytes"),
  };
}

}  // namespace tug::cli
