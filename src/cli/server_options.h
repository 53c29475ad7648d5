#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/flag.h"
#include "cli/invocation.h"

namespace tug::cli {

// Everything `tug server` was asked to do, typed. Validated by the parser, so the server needs
// no checks of its own.
struct ServerOptions {
  std::string dataDir;
  bool debug = false;
  std::string logFile;  // empty: stderr
  std::vector<std::string> configFiles;

  int httpsListenPort = 6443;  // 0: any free port
  std::string bindAddress;
  std::vector<std::string> tlsSans;
  std::string serviceCidr;
  std::string serviceNodePortRange;
  std::string nodeIp;  // empty: found at start
  bool disableScheduler = false;
  bool disableControllerManager = false;
  std::string controllers;  // kube-controller-manager's --controllers syntax
  Duration nodeMonitorGracePeriod{0};
  int64_t terminatedPodGcThreshold = 12500;
  int64_t defaultNotReadyTolerationSeconds = 300;
  int64_t defaultUnreachableTolerationSeconds = 300;
  std::string writeKubeconfig;
  int writeKubeconfigMode = 0600;

  std::string datastoreDurability;  // "full" or "normal"
  Duration datastoreRetention{0};
  int64_t datastoreRetainRevisions = 0;
  int64_t datastoreMaxBytes = 0;  // 0: unlimited
};

// REQUIRES: `invocation` was parsed for the server command.
ServerOptions serverOptions(const Invocation& invocation);

}  // namespace tug::cli
