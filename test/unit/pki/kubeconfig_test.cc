#include "pki/kubeconfig.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "common/base64.h"
#include "pki/cert.h"
#include "pki/file_io.h"
#include "pki/key.h"
#include "pki/pem.h"
#include "pki/pki.h"
#include "pki_test_util.h"
#include "support/temp_dir.h"

using namespace tug::pki;
using tug::pki::testing::fileMode;
using tug::pki::testing::runCommand;

extern char** environ;

namespace {

constexpr const char* kKubectl = "/usr/bin/kubectl";

Kubeconfig adminKubeconfig(const PkiFiles& f, const std::string& server) {
  return Kubeconfig{.server = server,
                    .caPem = *readWholeFile(f.serverCaCert),
                    .clientCertPem = *readWholeFile(f.adminCert),
                    .clientKeyPem = *readWholeFile(f.adminKey)};
}

std::string kubectl(const std::string& kubeconfig, const std::string& args) {
  return std::string(kKubectl) + " --kubeconfig " + kubeconfig + " " + args;
}

// A port that was free a moment ago.
int freePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool canConnect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

TEST_CASE("the kubeconfig inlines the CA and the client credentials", "[pki][kubeconfig]") {
  Kubeconfig config{.server = "https://127.0.0.1:6443",
                    .caPem = "CA PEM\n",
                    .clientCertPem = "CERT PEM\n",
                    .clientKeyPem = "KEY PEM\n"};
  std::string yaml = renderKubeconfig(config);
  CHECK(yaml.find("certificate-authority-data: " + tug::base64Encode("CA PEM\n")) !=
        std::string::npos);
  CHECK(yaml.find("client-certificate-data: " + tug::base64Encode("CERT PEM\n")) !=
        std::string::npos);
  CHECK(yaml.find("client-key-data: " + tug::base64Encode("KEY PEM\n")) != std::string::npos);
  CHECK(yaml.find("current-context: default") != std::string::npos);
  CHECK(yaml.find("server: https://127.0.0.1:6443") != std::string::npos);
}

TEST_CASE("kubectl accepts the written kubeconfig", "[pki][kubeconfig]") {
  if (!tug::pki::testing::executableExists(kKubectl)) {
    WARN("no kubectl; skipped");
    return;
  }
  tug::testing::TempDir dir;
  auto files = ensurePki(PkiOptions{.dataDir = dir.file("data"), .hostname = "node"});
  REQUIRE(files.ok());
  std::string path = dir.file("etc/tug/tug.yaml");  // the parent does not exist yet
  Kubeconfig config = adminKubeconfig(*files, "https://127.0.0.1:6443");
  REQUIRE(writeKubeconfig(path, 0600, config).isOk());
  CHECK(fileMode(path) == 0600);

  auto view = runCommand(kubectl(path, "config view --raw"));
  INFO(view.output);
  REQUIRE(view.exitCode == 0);
  CHECK(view.output.find("certificate-authority-data: " + tug::base64Encode(config.caPem)) !=
        std::string::npos);
  CHECK(view.output.find("client-key-data: " + tug::base64Encode(config.clientKeyPem)) !=
        std::string::npos);
  CHECK(view.output.find("current-context: default") != std::string::npos);

  auto key = runCommand(
      kubectl(path, "config view --raw -o jsonpath={.users[0].user.client-certificate-data}"));
  CHECK(key.output == tug::base64Encode(config.clientCertPem));

  auto contexts = runCommand(kubectl(path, "config get-contexts --no-headers"));
  INFO(contexts.output);
  REQUIRE(contexts.exitCode == 0);
  CHECK(contexts.output.find("*") != std::string::npos);
  CHECK(contexts.output.find("default   default   default") != std::string::npos);

  SECTION("rewriting with another mode replaces the file and its mode") {
    REQUIRE(writeKubeconfig(path, 0644, config).isOk());
    CHECK(fileMode(path) == 0644);
    CHECK(runCommand(kubectl(path, "config current-context")).output == "default\n");
  }
}

// The whole chain end to end: kubectl (Go's TLS) must accept the serving certificate for
// 127.0.0.1 under the kubeconfig's CA, and OpenSSL, told to demand a client certificate from the
// client CA, must accept the admin certificate kubectl presents.
TEST_CASE("kubectl and an OpenSSL server complete a mutual TLS handshake", "[pki][interop]") {
  const char* openssl = "/usr/bin/openssl";
  if (!tug::pki::testing::executableExists(kKubectl) ||
      !tug::pki::testing::executableExists(openssl)) {
    WARN("no kubectl or openssl; skipped");
    return;
  }
  tug::testing::TempDir dir;
  auto files = ensurePki(PkiOptions{.dataDir = dir.file("data"), .hostname = "node"});
  REQUIRE(files.ok());
  int port = freePort();
  std::string accept = "127.0.0.1:" + std::to_string(port);
  std::vector<std::string> args = {openssl,
                                   "s_server",
                                   "-quiet",
                                   "-www",
                                   "-accept",
                                   accept,
                                   "-cert",
                                   files->servingCert,
                                   "-key",
                                   files->servingKey,
                                   "-CAfile",
                                   files->clientCaCert,
                                   "-Verify",
                                   "1",
                                   "-verify_return_error"};
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, openssl, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  for (int i = 0; i < 100 && !canConnect(port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  std::string path = dir.file("admin.yaml");
  REQUIRE(writeKubeconfig(path, 0600, adminKubeconfig(*files, "https://" + accept)).isOk());
  auto get = runCommand(kubectl(path, "get --raw / --request-timeout=10s"));

  SECTION("and a client certificate from another CA is refused") {
    auto caCert = readCertFile(files->serverCaCert);
    auto caKey = readPrivateKeyFile(files->serverCaKey);
    auto key = generateEcKey();
    REQUIRE((caCert.ok() && caKey.ok() && key.ok()));
    auto cert = issueCert(
        key->get(),
        LeafSpec{
            .commonName = "system:admin", .organizations = {"system:masters"}, .clientAuth = true},
        caCert->get(), caKey->get());
    REQUIRE(cert.ok());
    Kubeconfig forged = adminKubeconfig(*files, "https://" + accept);
    forged.clientCertPem = *certToPem(cert->get());
    forged.clientKeyPem = *privateKeyToPem(key->get());
    REQUIRE(writeKubeconfig(path, 0600, forged).isOk());
    auto refused = runCommand(kubectl(path, "get --raw / --request-timeout=10s </dev/null"));
    INFO(refused.output);
    CHECK(refused.exitCode != 0);
    CHECK(refused.output.find("tls: unknown certificate") != std::string::npos);
  }
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
  INFO(get.output);
  CHECK(get.exitCode == 0);
  CHECK(get.output.find("s_server") != std::string::npos);
}
