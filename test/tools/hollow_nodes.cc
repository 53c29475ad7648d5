// hollow-nodes: registers fake Nodes with a tug (or any Kubernetes) API server and acts as
// their kubelets without running anything, so that controllers and the scheduler can be tested
// and measured with many nodes on one machine.
//
//   hollow_nodes --kubeconfig FILE [--nodes N] [--prefix P] [options]
//   hollow_nodes --server https://127.0.0.1:6443 --ca CA --cert CERT --key KEY [...]
//
// A pod annotated hollow.tug.dev/exit-after-seconds: "N" finishes N seconds after it started
// (Succeeded, or Failed when hollow.tug.dev/exit-code is not "0"), so Jobs can complete.
//
// Prints "ready <n>" on stdout once every node is registered and the pod cache is filled.
// Reads commands from stdin, one a line, and answers each on stdout:
//   stop <node>    the node's kubelet goes silent (no lease, no status, pods left alone)
//   start <node>   it comes back
// SIGTERM or SIGINT (or "quit") ends it; the nodes stay registered, as a stopped kubelet's do.
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <yaml-cpp/yaml.h>

#include "client/https_client.h"
#include "common/base64.h"
#include "hollow_kubelet.h"

namespace {

using tug::Status;

struct Args {
  std::string server, ca, cert, key, kubeconfig;
  tug::hollow::FleetOptions fleet;
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "hollow_nodes: " << problem << "\n"
            << "usage: hollow_nodes (--kubeconfig FILE | --server URL --ca FILE --cert FILE "
               "--key FILE)\n"
               "       [--nodes N] [--prefix NAME] [--cpu Q] [--memory Q] [--max-pods N]\n"
               "       [--lease-interval-ms MS] [--status-interval-ms MS] [--workers N]\n"
               "A bound pod becomes Running and Ready. One annotated\n"
               "hollow.tug.dev/exit-after-seconds: \"N\" then finishes N seconds after its start:\n"
               "Succeeded, or Failed when hollow.tug.dev/exit-code is not \"0\", with each\n"
               "container terminated with that exit code.\n";
  std::exit(2);
}

int toInt(const std::string& flag, const std::string& v) {
  try {
    size_t used = 0;
    int n = std::stoi(v, &used);
    if (used == v.size() && n >= 0) {
      return n;
    }
  } catch (...) {
  }
  usage("bad value for " + flag + ": " + v);
}

Args parseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) {
      usage("missing value for " + flag);
    }
    std::string v = argv[++i];
    if (flag == "--server") {
      a.server = v;
    } else if (flag == "--ca") {
      a.ca = v;
    } else if (flag == "--cert") {
      a.cert = v;
    } else if (flag == "--key") {
      a.key = v;
    } else if (flag == "--kubeconfig") {
      a.kubeconfig = v;
    } else if (flag == "--nodes") {
      a.fleet.nodes = toInt(flag, v);
    } else if (flag == "--prefix") {
      a.fleet.prefix = v;
    } else if (flag == "--cpu") {
      a.fleet.shape.cpu = v;
    } else if (flag == "--memory") {
      a.fleet.shape.memory = v;
    } else if (flag == "--max-pods") {
      a.fleet.shape.pods = std::to_string(toInt(flag, v));
    } else if (flag == "--lease-interval-ms") {
      a.fleet.leaseInterval = std::chrono::milliseconds(toInt(flag, v));
    } else if (flag == "--status-interval-ms") {
      a.fleet.statusInterval = std::chrono::milliseconds(toInt(flag, v));
    } else if (flag == "--workers") {
      a.fleet.workers = std::max(1, toInt(flag, v));
    } else {
      usage("unknown flag " + flag);
    }
  }
  if (a.kubeconfig.empty() && (a.server.empty() || a.ca.empty() || a.cert.empty() || a.key.empty())) {
    usage("give --kubeconfig, or --server with --ca, --cert and --key");
  }
  return a;
}

// Writes `data` to a private file in `dir` and returns its path.
std::string writePrivate(const std::string& dir, const std::string& name, const std::string& data) {
  std::string path = dir + "/" + name;
  std::ofstream(path) << data;
  return path;
}

// The current context's server and credentials; inline data goes to files in `dir`.
tug::Result<Args> readKubeconfig(Args a, const std::string& dir) {
  try {
    YAML::Node root = YAML::LoadFile(a.kubeconfig);
    std::string context = root["current-context"].as<std::string>("");
    std::string clusterName, userName;
    for (const auto& c : root["contexts"]) {
      if (context.empty() || c["name"].as<std::string>("") == context) {
        clusterName = c["context"]["cluster"].as<std::string>("");
        userName = c["context"]["user"].as<std::string>("");
        break;
      }
    }
    auto field = [&](const YAML::Node& n, const char* file, const char* data,
                     const std::string& out) -> std::string {
      if (n[file]) {
        return n[file].as<std::string>();
      }
      auto decoded = tug::base64Decode(n[data].as<std::string>(""));
      return decoded ? writePrivate(dir, out, *decoded) : "";
    };
    for (const auto& c : root["clusters"]) {
      if (c["name"].as<std::string>("") == clusterName) {
        a.server = c["cluster"]["server"].as<std::string>("");
        a.ca = field(c["cluster"], "certificate-authority", "certificate-authority-data", "ca.crt");
      }
    }
    for (const auto& u : root["users"]) {
      if (u["name"].as<std::string>("") == userName) {
        a.cert = field(u["user"], "client-certificate", "client-certificate-data", "client.crt");
        a.key = field(u["user"], "client-key", "client-key-data", "client.key");
      }
    }
  } catch (const std::exception& e) {
    return tug::badRequest(std::string("reading ") + a.kubeconfig + ": " + e.what());
  }
  if (a.server.empty() || a.ca.empty() || a.cert.empty() || a.key.empty()) {
    return tug::badRequest(a.kubeconfig + " names no server with a CA and a client certificate");
  }
  return a;
}

tug::Result<tug::client::Endpoint> endpointOf(const Args& a) {
  const std::string prefix = "https://";
  if (a.server.rfind(prefix, 0) != 0) {
    return tug::badRequest("the server URL must start with https://: " + a.server);
  }
  std::string hostPort = a.server.substr(prefix.size());
  if (auto slash = hostPort.find('/'); slash != std::string::npos) {
    hostPort = hostPort.substr(0, slash);
  }
  tug::client::Endpoint e;
  auto colon = hostPort.rfind(':');
  if (colon == std::string::npos || hostPort.back() == ']') {
    e.host = hostPort;
  } else {
    e.host = hostPort.substr(0, colon);
    e.port = std::atoi(hostPort.c_str() + colon + 1);
  }
  if (e.host.size() > 2 && e.host.front() == '[') {
    e.host = e.host.substr(1, e.host.size() - 2);
  }
  e.caFile = a.ca;
  e.certFile = a.cert;
  e.keyFile = a.key;
  e.userAgent = "hollow-nodes";
  return e;
}

// Answers stdin commands until EOF or "quit"; then wakes the main thread.
void readCommands(tug::hollow::Fleet& fleet) {
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd, node;
    in >> cmd >> node;
    if (cmd == "quit") {
      break;
    }
    if ((cmd == "stop" || cmd == "start") && !node.empty()) {
      bool ok = fleet.setAlive(node, cmd == "start");
      std::cout << (ok ? "ok " : "error unknown node ") << cmd << " " << node << std::endl;
    } else if (!cmd.empty()) {
      std::cout << "error unknown command " << line << std::endl;
    }
  }
  if (!std::cin) {
    return;  // EOF: keep running until a signal
  }
  kill(getpid(), SIGTERM);
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parseArgs(argc, argv);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // threads started below inherit this

  char tmpl[] = "/tmp/hollow-nodes-XXXXXX";
  std::string dir = mkdtemp(tmpl) != nullptr ? tmpl : "";
  if (!args.kubeconfig.empty()) {
    auto read = readKubeconfig(args, dir);
    if (!read.ok()) {
      std::filesystem::remove_all(dir);
      std::cerr << "hollow_nodes: " << read.status().message() << std::endl;
      return 1;
    }
    args = *read;
  }
  auto endpoint = endpointOf(args);
  if (!endpoint.ok()) {
    std::filesystem::remove_all(dir);
    std::cerr << "hollow_nodes: " << endpoint.status().message() << std::endl;
    return 1;
  }
  tug::client::HttpsClient client(*endpoint);
  tug::hollow::Fleet fleet(client, args.fleet);
  Status started = fleet.start();
  if (!started.isOk() || !fleet.waitForSync(std::chrono::seconds(60))) {
    std::cerr << "hollow_nodes: "
              << (started.isOk() ? "the pod list did not arrive" : started.message()) << std::endl;
    fleet.stop();
    std::filesystem::remove_all(dir);
    return 1;
  }
  std::cout << "ready " << args.fleet.nodes << std::endl;
  std::thread commands([&fleet] { readCommands(fleet); });
  commands.detach();  // blocked in a read of stdin; the process ends under it
  int sig = 0;
  sigwait(&signals, &sig);
  // Before stop(), which may wait on a server that is already gone: a caller that gives up and
  // sends SIGKILL would otherwise leave the credentials behind.
  std::filesystem::remove_all(dir);
  fleet.stop();
  std::cout << "stopped" << std::endl;
  std::_Exit(0);  // the command reader may still be blocked on stdin
}
