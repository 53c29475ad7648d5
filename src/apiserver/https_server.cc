#include "apiserver/https_server.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>

#include "apiserver/tls_stream.h"

namespace tug::apiserver {
namespace {

using Clock = std::chrono::steady_clock;

int millis(time_t sec, time_t usec) { return static_cast<int>(sec * 1000 + usec / 1000); }

// The handshake on the non-blocking socket, bounded as a whole by timeoutMs.
SSL* acceptTls(SSL_CTX* ctx, int sock, int timeoutMs) {
  SSL* ssl = SSL_new(ctx);
  if (ssl == nullptr) {
    ERR_clear_error();
    return nullptr;
  }
  SSL_set_fd(ssl, sock);
  SSL_set_mode(ssl, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // One read takes what the peer has sent, not a record header and then its body.
  SSL_set_read_ahead(ssl, 1);
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
  int r;
  while ((r = SSL_accept(ssl)) != 1) {
    int err = SSL_get_error(ssl, r);
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{sock, 0, 0};
    if (err == SSL_ERROR_WANT_READ) {
      p.events = POLLIN;
    } else if (err == SSL_ERROR_WANT_WRITE) {
      p.events = POLLOUT;
    }
    if (p.events == 0 || left.count() <= 0 ||
        ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      ERR_clear_error();
      SSL_free(ssl);
      return nullptr;
    }
  }
  return ssl;
}

}  // namespace

HttpsServer::HttpsServer(const std::function<bool(SSL_CTX&)>& setUpTls)
    : httplib::SSLServer(setUpTls), wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

HttpsServer::~HttpsServer() {
  if (wake_ >= 0) {
    ::close(wake_);
  }
}

void HttpsServer::raiseListenBacklog(int backlog) { ::listen(svr_sock_, backlog); }

void HttpsServer::stopServing() {
  if (wake_ >= 0) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_, &one, sizeof one);
  }
  stop();
}

bool HttpsServer::process_and_close_socket(socket_t sock) {
  bool ok = false;
  int flags = ::fcntl(sock, F_GETFL);
  SSL* ssl = flags >= 0 && ::fcntl(sock, F_SETFL, flags | O_NONBLOCK) == 0 && wake_ >= 0
                 ? acceptTls(ssl_context(), sock, millis(read_timeout_sec_, read_timeout_usec_))
                 : nullptr;
  if (ssl != nullptr) {
    {
      TlsStream stream(sock, ssl, millis(read_timeout_sec_, read_timeout_usec_),
                       millis(write_timeout_sec_, write_timeout_usec_));
      auto setUp = [ssl](httplib::Request& req) { req.ssl = ssl; };
      const int idleMs = millis(keep_alive_timeout_sec_, 0);
      for (size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET;
           --left) {
        if (!stream.awaitRequest(idleMs, wake_)) {
          break;
        }
        bool closed = false;
        ok = process_request(stream, left == 1, closed, setUp);
        ok = stream.flush() && ok;
        if (!ok || closed) {
          break;
        }
      }
    }
    // A close_notify only to a peer that is still there.
    if (ok) {
      SSL_shutdown(ssl);
    }
    ERR_clear_error();
    SSL_free(ssl);
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace tug::apiserver
