#include "pki/kubeconfig.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "common/base64.h"
#include "pki/file_io.h"

namespace tug::pki {

std::string renderKubeconfig(const Kubeconfig& config) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << "v1";
  out << YAML::Key << "kind" << YAML::Value << "Config";
  out << YAML::Key << "clusters" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << config.name;
  out << YAML::Key << "cluster" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "server" << YAML::Value << config.server;
  out << YAML::Key << "certificate-authority-data" << YAML::Value << base64Encode(config.caPem);
  out << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "contexts" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << config.name;
  out << YAML::Key << "context" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "cluster" << YAML::Value << config.name;
  out << YAML::Key << "user" << YAML::Value << config.name;
  out << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "current-context" << YAML::Value << config.name;
  out << YAML::Key << "preferences" << YAML::Value << YAML::BeginMap << YAML::EndMap;
  out << YAML::Key << "users" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << config.name;
  out << YAML::Key << "user" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "client-certificate-data" << YAML::Value
      << base64Encode(config.clientCertPem);
  out << YAML::Key << "client-key-data" << YAML::Value << base64Encode(config.clientKeyPem);
  out << YAML::EndMap << YAML::EndMap << YAML::EndSeq;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

Status writeKubeconfig(const std::string& path, mode_t mode, const Kubeconfig& config) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty() && !fileExists(parent.string())) {
    if (Status s = makeDirWithMode(parent.string(), 0755); !s.isOk()) {
      return s.wrap("writing kubeconfig " + path);
    }
  }
  return writeFileAtomic(path, renderKubeconfig(config), mode);
}

}  // namespace tug::pki
