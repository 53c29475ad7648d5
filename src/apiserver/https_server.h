// httplib's SSLServer with a connection loop of its own.
//
// httplib 0.11 (Debian's compiled library) reads a request's line and headers with one TLS
// read per byte, polls the socket before every read and write (and peeks it before every
// write), sends a reply's headers and body as two TLS records, and wakes every idle
// keep-alive connection about ninety times a second. At a few thousand requests a second
// that was a fifth of the server's CPU. Here each connection reads TLS records into a buffer,
// sends a reply's headers with its body in one record and waits for the next request in one
// poll. Request parsing, routing and writing replies stay httplib's (process_request).
#pragma once

#include <httplib.h>

namespace tug::apiserver {

class HttpsServer : public httplib::SSLServer {
 public:
  explicit HttpsServer(const std::function<bool(SSL_CTX&)>& setUpTls);
  ~HttpsServer() override;

  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  // httplib listens with a backlog of 5, fixed inside the compiled library: a burst of
  // connections would be refused. Listening again on the bound socket raises it.
  void raiseListenBacklog(int backlog);

  // Ends the connections that wait for their next request, then httplib's stop(): the
  // worker threads can only be joined once every connection has ended.
  void stopServing();

 private:
  bool process_and_close_socket(socket_t sock) override;

  int wake_ = -1;  // an eventfd, readable once stopServing() has been called
};

}  // namespace tug::apiserver
