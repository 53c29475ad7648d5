#include "apiserver/in_process_transport.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>

#include "apiserver/response.h"
#include "client/watch_lines.h"

namespace tug::apiserver {
namespace {

using Clock = std::chrono::steady_clock;

// A watch answer read by calling its content provider, which waits a short while for events
// on each call, on the reader's thread.
class InProcessWatch : public client::EventStream {
 public:
  InProcessWatch(std::unique_ptr<httplib::Response> res, const std::string& path,
                 bool omitManagedFields)
      : res_(std::move(res)), lines_(path, omitManagedFields) {}

  ~InProcessWatch() override {
    std::lock_guard<std::mutex> lock(mu_);
    res_.reset();
  }

  Result<std::optional<client::WatchEvent>> next(std::chrono::milliseconds timeout) override {
    const auto deadline = Clock::now() + timeout;
    std::lock_guard<std::mutex> lock(mu_);
    while (true) {
      if (!events_.empty()) {
        client::WatchEvent e = std::move(events_.front());
        events_.pop_front();
        return std::optional<client::WatchEvent>(std::move(e));
      }
      if (end_) {
        return *end_;
      }
      if (closed_) {
        res_.reset();  // ends the server side: its store watch and the count of open watches
        return Status(Code::kUnavailable, "watch closed");
      }
      if (Clock::now() >= deadline) {
        return std::optional<client::WatchEvent>();
      }
      pump();
    }
  }

  // Does not wait for a read under way (it ends within the provider's short wait and lets
  // the server side go); otherwise lets it go now.
  void close() override {
    closed_ = true;
    std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
    if (lock.owns_lock()) {
      res_.reset();
    }
  }

 private:
  // One call of the content provider (under mu_).
  void pump() {
    bool finished = false;
    httplib::DataSink sink;
    sink.write = [&](const char* data, size_t size) {
      offset_ += size;
      if (auto end = lines_.feed(std::string_view(data, size), [&](client::WatchEvent&& e) {
            events_.push_back(std::move(e));
          })) {
        end_ = std::move(*end);
      }
      return true;
    };
    sink.done = [&] { finished = true; };
    sink.is_writable = [&] { return !closed_.load(); };
    bool more = res_->content_provider_(offset_, 0, sink);
    if (!end_ && (finished || !more)) {
      res_->content_provider_success_ = finished;
      end_ = Status(Code::kUnavailable, "watch ended");
    }
  }

  std::unique_ptr<httplib::Response> res_;  // under mu_
  std::atomic<bool> closed_{false};
  std::mutex mu_;  // held while reading; close() waits for a read under way
  client::WatchLineDecoder lines_;
  std::deque<client::WatchEvent> events_;
  std::optional<Status> end_;
  size_t offset_ = 0;
};

}  // namespace

InProcessTransport::InProcessTransport(const RouteTable& routes, UserInfo user,
                                       std::string userAgent)
    : routes_(routes), user_(std::move(user)), userAgent_(std::move(userAgent)) {}

std::unique_ptr<httplib::Response> InProcessTransport::serve(const char* method,
                                                             const std::string& pathAndQuery,
                                                             std::string body,
                                                             std::string contentType) const {
  auto res = std::make_unique<httplib::Response>();
  httplib::Request req;
  req.method = method;
  req.target = pathAndQuery;
  size_t q = pathAndQuery.find('?');
  req.path = httplib::detail::decode_url(pathAndQuery.substr(0, q), false);
  if (q != std::string::npos) {
    httplib::detail::parse_query_text(pathAndQuery.substr(q + 1), req.params);
  }
  req.body = std::move(body);
  req.headers.emplace("User-Agent", userAgent_);
  req.headers.emplace("Accept", "application/json");
  if (!req.body.empty()) {
    req.headers.emplace("Content-Type",
                        contentType.empty() ? "application/json" : std::move(contentType));
  }
  const AuthenticatingHandler* handler = routes_.find(req);
  if (handler == nullptr) {
    sendStatus(*res, notFound("the server could not find the requested resource"));
    return res;
  }
  try {
    (*handler)(req, *res, &user_);
  } catch (const std::exception&) {
    *res = httplib::Response();
    sendStatus(*res, internalError("internal error"));
  }
  return res;
}

Result<client::TransportReply> InProcessTransport::roundTrip(
    const client::TransportRequest& request) {
  auto res = serve(request.method, request.pathAndQuery, request.body, request.contentType);
  if (res->content_provider_) {
    // A body served from the handler's own buffer, with its length, or one written piece by
    // piece until done: read it whole.
    std::string body;
    const size_t length = res->content_length_;
    bool finished = false;
    httplib::DataSink sink;
    sink.write = [&](const char* data, size_t size) {
      body.append(data, size);
      return true;
    };
    sink.done = [&] { finished = true; };
    sink.is_writable = [] { return true; };
    while (length > 0 ? body.size() < length : !finished) {
      size_t offset = body.size();
      if (!res->content_provider_(offset, length - std::min(offset, length), sink)) {
        return Status(Code::kUnavailable,
                      std::string(request.method) + " " + request.pathAndQuery + ": cut short");
      }
    }
    res->content_provider_success_ = true;
    return client::TransportReply{res->status, std::move(body)};
  }
  return client::TransportReply{res->status, std::move(res->body)};
}

Result<std::unique_ptr<client::EventStream>> InProcessTransport::watch(
    const std::string& pathAndQuery, bool omitManagedFields) {
  auto res = serve("GET", pathAndQuery, "", "");
  if (!res->content_provider_) {
    if (res->status >= 200 && res->status < 300) {
      return Status(Code::kInternal, "watch " + pathAndQuery + ": the answer is not a stream");
    }
    auto body = nlohmann::json::parse(res->body, nullptr, false);
    return client::statusFromReply(res->status,
                                   body.is_discarded() ? nlohmann::json::object() : body);
  }
  return std::unique_ptr<client::EventStream>(
      std::make_unique<InProcessWatch>(std::move(res), pathAndQuery, omitManagedFields));
}

}  // namespace tug::apiserver
