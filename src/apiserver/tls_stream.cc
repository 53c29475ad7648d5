#include "apiserver/tls_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace tug::apiserver {
namespace {

// Bodies larger than this go out as they are, after their headers: copying them to join the
// headers would cost more than the extra record.
constexpr size_t kJoinedBodyMax = 64 * 1024;

// A reply's header block whose body httplib writes next, at once: a final status with a
// non-zero Content-Length. Streamed replies (chunked, such as watches) and interim 1xx
// answers go out at once, since what follows them may take a while.
bool bodyFollows(std::string_view data) {
  if (!data.starts_with("HTTP/1.1 ") || data.size() < 12 || data[9] == '1' ||
      !data.ends_with("\r\n\r\n")) {
    return false;
  }
  constexpr std::string_view kLength = "\r\nContent-Length: ";
  size_t at = data.find(kLength);
  return at != std::string_view::npos && data.substr(at + kLength.size(), 1) != "0";
}

// poll(), again when a signal cut it short.
int pollFds(pollfd* fds, nfds_t count, int timeoutMs) {
  int n;
  do {
    n = ::poll(fds, count, timeoutMs);
  } while (n < 0 && errno == EINTR);
  return n;
}

void addressOf(const sockaddr_storage& addr, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(addr);
    inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
    port = ntohs(a.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
    inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof text);
    port = ntohs(a.sin6_port);
  } else {
    port = 0;
  }
  ip = text;
}

// The address `query` (getpeername or getsockname) gives, read once and kept in ip and port
// (port < 0: not read yet).
void cachedAddress(int sock, int (*query)(int, sockaddr*, socklen_t*), std::string& ip,
                   int& port) {
  if (port >= 0) {
    return;
  }
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (query(sock, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    addressOf(addr, ip, port);
  }
}

}  // namespace

TlsStream::TlsStream(int sock, SSL* ssl, int readTimeoutMs, int writeTimeoutMs)
    : sock_(sock), ssl_(ssl), readTimeoutMs_(readTimeoutMs), writeTimeoutMs_(writeTimeoutMs) {}

bool TlsStream::waitFor(short events, int timeoutMs) const {
  pollfd p{sock_, events, 0};
  return pollFds(&p, 1, timeoutMs) > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
}

bool TlsStream::is_readable() const { return buffered() || waitFor(POLLIN, readTimeoutMs_); }

// Writable, and the peer has not hung up: a watch learns so that its client is gone.
bool TlsStream::is_writable() const {
  pollfd p{sock_, POLLOUT | POLLRDHUP, 0};
  return pollFds(&p, 1, writeTimeoutMs_) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) == 0 &&
         (p.revents & POLLOUT) != 0;
}

ssize_t TlsStream::fill() {
  for (;;) {
    int n = SSL_read(ssl_, in_.data(), static_cast<int>(in_.size()));
    if (n > 0) {
      begin_ = 0;
      end_ = static_cast<size_t>(n);
      return n;
    }
    int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_WANT_READ && waitFor(POLLIN, readTimeoutMs_)) {
      continue;
    }
    if (err == SSL_ERROR_WANT_WRITE && waitFor(POLLOUT, writeTimeoutMs_)) {
      continue;
    }
    ERR_clear_error();
    return err == SSL_ERROR_ZERO_RETURN ? 0 : -1;
  }
}

ssize_t TlsStream::read(char* ptr, size_t size) {
  if (begin_ == end_) {
    ssize_t n = fill();
    if (n <= 0) {
      return n;
    }
  }
  size_t k = std::min(size, end_ - begin_);
  std::memcpy(ptr, in_.data() + begin_, k);
  begin_ += k;
  return static_cast<ssize_t>(k);
}

bool TlsStream::sendAll(const char* data, size_t size) {
  while (size > 0) {
    // SSL_write sends all of a buffer or nothing; after WANT_WRITE it is called again with
    // the same arguments.
    int chunk = static_cast<int>(std::min<size_t>(size, 1 << 30));
    int n = SSL_write(ssl_, data, chunk);
    if (n > 0) {
      data += n;
      size -= static_cast<size_t>(n);
      continue;
    }
    int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_WANT_WRITE && waitFor(POLLOUT, writeTimeoutMs_)) {
      continue;
    }
    if (err == SSL_ERROR_WANT_READ && waitFor(POLLIN, readTimeoutMs_)) {
      continue;
    }
    ERR_clear_error();
    return false;
  }
  return true;
}

ssize_t TlsStream::write(const char* ptr, size_t size) {
  std::string_view data(ptr, size);
  if (held_.empty() && bodyFollows(data)) {
    held_.assign(data);
    return static_cast<ssize_t>(size);
  }
  if (!held_.empty() && size <= kJoinedBodyMax) {
    held_.append(data);
    return flush() ? static_cast<ssize_t>(size) : -1;
  }
  return flush() && sendAll(ptr, size) ? static_cast<ssize_t>(size) : -1;
}

bool TlsStream::flush() {
  if (held_.empty()) {
    return true;
  }
  bool sent = sendAll(held_.data(), held_.size());
  held_.clear();
  return sent;
}

bool TlsStream::awaitRequest(int timeoutMs, int wakeFd) {
  if (buffered()) {
    return true;
  }
  pollfd p[2] = {{sock_, POLLIN, 0}, {wakeFd, POLLIN, 0}};
  return pollFds(p, 2, timeoutMs) > 0 && p[1].revents == 0 && p[0].revents != 0;
}

void TlsStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  cachedAddress(sock_, ::getpeername, remoteIp_, remotePort_);
  ip = remoteIp_;
  port = remotePort_;
}

void TlsStream::get_local_ip_and_port(std::string& ip, int& port) const {
  cachedAddress(sock_, ::getsockname, localIp_, localPort_);
  ip = localIp_;
  port = localPort_;
}

}  // namespace tug::apiserver
