// Networking: services, endpoints, endpoint slices, ingresses, ingress classes and network
// policies.
#include <algorithm>

#include "api/table/builtin_printers.h"
#include "api/table/formatting.h"
#include "api/table/json_fields.h"

namespace tug::api::table {
namespace {

std::string name(const json& obj) { return str(obj, {"metadata", "name"}); }

std::vector<std::string> strings(const json& list) {
  std::vector<std::string> out;
  for (const json& s : list) {
    out.push_back(str(&s));
  }
  return out;
}

// Load balancer ingress points (IP, else hostname), each once, in the order given.
std::string loadBalancerAddresses(const json& ingress) {
  std::vector<std::string> out;
  for (const json& i : ingress) {
    std::string a = str(i, {"ip"});
    if (a.empty()) {
      a = str(i, {"hostname"});
    }
    if (!a.empty() && std::find(out.begin(), out.end(), a) == out.end()) {
      out.push_back(a);
    }
  }
  return join(out, ",");
}

std::string serviceType(const json& svc) {
  std::string type = str(svc, {"spec", "type"});
  return type.empty() ? "ClusterIP" : type;  // the API's default
}

std::string externalIP(const json& svc) {
  std::string type = serviceType(svc);
  std::vector<std::string> external = strings(array(svc, {"spec", "externalIPs"}));
  if (type == "ClusterIP" || type == "NodePort") {
    return orNone(join(external, ","));
  }
  if (type == "LoadBalancer") {
    std::string lb = loadBalancerAddresses(array(svc, {"status", "loadBalancer", "ingress"}));
    if (!external.empty()) {
      return lb.empty() ? join(external, ",") : lb + "," + join(external, ",");
    }
    return lb.empty() ? "<pending>" : lb;
  }
  if (type == "ExternalName") {
    return str(svc, {"spec", "externalName"});
  }
  return "<unknown>";
}

std::string servicePorts(const json& svc) {
  std::vector<std::string> out;
  for (const json& p : array(svc, {"spec", "ports"})) {
    std::string protocol = str(p, {"protocol"});
    if (protocol.empty()) {
      protocol = "TCP";
    }
    std::string port = std::to_string(integer(p, {"port"}));
    int64_t nodePort = integer(p, {"nodePort"});
    out.push_back(nodePort > 0 ? port + ":" + std::to_string(nodePort) + "/" + protocol
                               : port + "/" + protocol);
  }
  return orNone(join(out, ","));
}

Row serviceRow(const json& svc, TimePoint now) {
  std::string clusterIP;
  if (const json& ips = array(svc, {"spec", "clusterIPs"}); !ips.empty()) {
    clusterIP = str(&ips[0]);
  } else {
    clusterIP = str(svc, {"spec", "clusterIP"});
  }
  Row row;
  row.cells = {name(svc),       serviceType(svc), orNone(clusterIP),
               externalIP(svc), servicePorts(svc), age(svc, now),
               formatLabels(object(svc, {"spec", "selector"}))};
  return row;
}

// Up to three "ip:port" (or bare IPs for port-less subsets), then how many more.
std::string endpointAddresses(const json& ep) {
  const json& subsets = array(ep, {"subsets"});
  if (subsets.empty()) {
    return "<none>";
  }
  const size_t max = 3;
  std::vector<std::string> shown;
  size_t count = 0;
  bool more = false;
  for (const json& ss : subsets) {
    const json& addresses = array(ss, {"addresses"});
    const json& ports = array(ss, {"ports"});
    if (ports.empty()) {
      count += addresses.size();
      for (const json& a : addresses) {
        if (shown.size() == max) {
          more = true;
          break;
        }
        shown.push_back(str(a, {"ip"}));
      }
      continue;
    }
    for (const json& p : ports) {
      count += addresses.size();
      for (const json& a : addresses) {
        if (shown.size() == max) {
          more = true;
          break;
        }
        std::string ip = str(a, {"ip"});
        if (ip.find(':') != std::string::npos) {
          ip = "[" + ip + "]";  // an IPv6 host, as net.JoinHostPort writes it
        }
        shown.push_back(ip + ":" + std::to_string(integer(p, {"port"})));
      }
    }
  }
  std::string joined = join(shown, ",");
  return more ? joined + " + " + std::to_string(count - max) + " more..." : joined;
}

Row endpointsRow(const json& ep, TimePoint now) {
  Row row;
  row.cells = {name(ep), endpointAddresses(ep), age(ep, now)};
  return row;
}

Row endpointSliceRow(const json& s, TimePoint now) {
  const size_t max = 3;
  std::vector<std::string> ports, addresses;
  size_t portCount = 0, addressCount = 0;
  for (const json& p : array(s, {"ports"})) {
    if (ports.size() < max) {
      if (present(p, {"port"})) {
        ports.push_back(std::to_string(integer(p, {"port"})));
      } else if (present(p, {"name"})) {
        ports.push_back(str(p, {"name"}));
      } else {
        ports.push_back("*");
      }
    }
    ++portCount;
  }
  for (const json& e : array(s, {"endpoints"})) {
    for (const json& a : array(e, {"addresses"})) {
      if (addresses.size() < max) {
        addresses.push_back(str(&a));
      }
      ++addressCount;
    }
  }
  Row row;
  row.cells = {name(s), str(s, {"addressType"}), listWithMore(ports, portCount, max, "<unset>"),
               listWithMore(addresses, addressCount, max, "<unset>"), age(s, now)};
  return row;
}

std::string ingressHosts(const json& ing) {
  const json& rules = array(ing, {"spec", "rules"});
  const size_t max = 3;
  std::vector<std::string> hosts;
  bool more = false;
  for (const json& r : rules) {
    if (hosts.size() == max) {
      more = true;
    }
    if (!more && !str(r, {"host"}).empty()) {
      hosts.push_back(str(r, {"host"}));
    }
  }
  if (hosts.empty()) {
    return "*";
  }
  std::string joined = join(hosts, ",");
  return more ? joined + " + " + std::to_string(rules.size() - max) + " more..." : joined;
}

Row ingressRow(const json& ing, TimePoint now) {
  std::string className = "<none>";
  if (present(ing, {"spec", "ingressClassName"})) {
    className = str(ing, {"spec", "ingressClassName"});
  }
  Row row;
  row.cells = {name(ing),
               className,
               ingressHosts(ing),
               loadBalancerAddresses(array(ing, {"status", "loadBalancer", "ingress"})),
               array(ing, {"spec", "tls"}).empty() ? "80" : "80, 443",
               age(ing, now)};
  return row;
}

Row ingressClassRow(const json& ic, TimePoint now) {
  std::string parameters = "<none>";
  if (const json* p = field(ic, {"spec", "parameters"}); p != nullptr && p->is_object()) {
    parameters = str(*p, {"kind"});
    if (present(*p, {"apiGroup"})) {
      parameters += "." + str(*p, {"apiGroup"});
    }
    parameters += "/" + str(*p, {"name"});
  }
  Row row;
  row.cells = {name(ic), str(ic, {"spec", "controller"}), parameters, age(ic, now)};
  return row;
}

Row networkPolicyRow(const json& np, TimePoint now) {
  Row row;
  const json* selector = field(np, {"spec", "podSelector"});
  static const json kEmpty = json::object();
  row.cells = {name(np), formatLabelSelector(selector != nullptr ? selector : &kEmpty),
               age(np, now)};
  return row;
}

}  // namespace

void addNetworkPrinters(PrinterEntries& out) {
  out.push_back(
      {"", "services",
       makePrinter({nameColumn(), column("Type", "string", "How the service is exposed."),
                    column("Cluster-IP", "string", "The service's address in the cluster."),
                    column("External-IP", "string", "Addresses outside the cluster."),
                    column("Port(s)", "string", "The ports the service serves."), ageColumn(),
                    column("Selector", "string", "Labels of the pods behind the service.", 1)},
                   serviceRow)});
  out.push_back({"", "endpoints",
                 makePrinter({nameColumn(),
                              column("Endpoints", "string", "Addresses behind the service."),
                              ageColumn()},
                             endpointsRow)});
  out.push_back(
      {"discovery.k8s.io", "endpointslices",
       makePrinter({nameColumn(), column("AddressType", "string", "The kind of addresses."),
                    column("Ports", "string", "The ports of the slice."),
                    column("Endpoints", "string", "Addresses in the slice."), ageColumn()},
                   endpointSliceRow)});
  out.push_back(
      {"networking.k8s.io", "ingresses",
       makePrinter({nameColumn(), column("Class", "string", "The ingress class."),
                    column("Hosts", "string", "Host names the rules match."),
                    column("Address", "string", "Where the load balancer listens."),
                    column("Ports", "string", "Ports opened for the ingress."), ageColumn()},
                   ingressRow)});
  out.push_back(
      {"networking.k8s.io", "ingressclasses",
       makePrinter({nameColumn(), column("Controller", "string", "The controller of the class."),
                    column("Parameters", "string", "The object holding more settings."),
                    ageColumn()},
                   ingressClassRow)});
  out.push_back({"networking.k8s.io", "networkpolicies",
                 makePrinter({nameColumn(),
                              column("Pod-Selector", "string", "The pods the policy applies to."),
                              ageColumn()},
                             networkPolicyRow)});
}

}  // namespace tug::api::table
