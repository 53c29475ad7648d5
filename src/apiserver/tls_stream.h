// One TLS connection as httplib's Stream, for HttpsServer: reads whole TLS records into a
// buffer, and holds a reply's header block until its body follows so that both go out as one
// record. The socket is non-blocking; waits are polls bounded by the timeouts given.
#pragma once

#include <httplib.h>
#include <openssl/ssl.h>

#include <array>
#include <string>

namespace tug::apiserver {

class TlsStream final : public httplib::Stream {
 public:
  TlsStream(int sock, SSL* ssl, int readTimeoutMs, int writeTimeoutMs);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return sock_; }

  // Waits up to timeoutMs for the next request's first bytes. False when the peer closed,
  // the wait timed out, or wakeFd became readable (the server is stopping).
  bool awaitRequest(int timeoutMs, int wakeFd);
  // Sends what write() holds back. False if the peer cannot take it.
  bool flush();

 private:
  bool buffered() const { return begin_ < end_ || SSL_has_pending(ssl_) == 1; }
  // One SSL_read into the buffer: > 0 bytes read, 0 the peer closed, < 0 an error or timeout.
  ssize_t fill();
  bool sendAll(const char* data, size_t size);
  bool waitFor(short events, int timeoutMs) const;

  int sock_;
  SSL* ssl_;
  int readTimeoutMs_;
  int writeTimeoutMs_;
  // A TLS record's plaintext is at most 16 KiB. Left uninitialised: zeroing it would make
  // every connection (a thousand watches) hold all of its pages.
  std::array<char, 16384> in_;
  size_t begin_ = 0, end_ = 0;
  std::string held_;  // a reply's header block waiting for its body
  mutable std::string remoteIp_, localIp_;
  mutable int remotePort_ = -1, localPort_ = -1;
};

}  // namespace tug::apiserver
