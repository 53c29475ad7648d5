#include "client/https_watch.h"

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace tug::client {
namespace {

class HttpsWatch : public EventStream {
 public:
  HttpsWatch(std::unique_ptr<httplib::SSLClient> connection, std::string path)
      : connection_(std::move(connection)), path_(std::move(path)) {
    // A watch is quiet for as long as nothing changes: the server's timeoutSeconds, not a
    // read timeout, ends it.
    connection_->set_read_timeout(3600, 0);
    connection_->set_keep_alive(false);
    thread_ = std::thread([this] { read(); });
  }

  ~HttpsWatch() override { close(); }

  Result<std::optional<WatchEvent>> next(std::chrono::milliseconds timeout) override {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return !events_.empty() || ended_; });
    if (!events_.empty()) {
      WatchEvent e = std::move(events_.front());
      events_.pop_front();
      return std::optional<WatchEvent>(std::move(e));
    }
    if (ended_) {
      return end_;
    }
    return std::optional<WatchEvent>();
  }

  void close() override {
    closed_ = true;
    connection_->stop();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

 private:
  void read() {
    int status = 0;
    std::string pending;
    auto res = connection_->Get(
        path_,
        [&](const httplib::Response& r) {
          status = r.status;
          return !closed_;
        },
        [&](const char* data, size_t size) {
          pending.append(data, size);
          if (status != 200) {
            return pending.size() < (1 << 20) && !closed_;
          }
          size_t start = 0;
          for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
            if (!deliver(std::string_view(pending).substr(start, nl - start))) {
              return false;
            }
          }
          pending.erase(0, start);
          return !closed_;
        });
    std::lock_guard<std::mutex> lock(mu_);
    if (!ended_) {
      if (status != 200 && status != 0) {
        json body = json::parse(pending, nullptr, false);
        end_ = statusFromReply(status, body.is_discarded() ? json::object() : body);
      } else if (!res && !closed_) {
        end_ = Status(Code::kUnavailable, "watch " + path_ + ": " + httplib::to_string(res.error()));
      } else {
        end_ = Status(Code::kUnavailable, "watch " + path_ + " ended");
      }
      ended_ = true;
    }
    cv_.notify_all();
  }

  // One event line; false ends the stream (an ERROR event).
  bool deliver(std::string_view line) {
    if (line.empty()) {
      return true;
    }
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      finish(Status(Code::kInternal, "watch " + path_ + ": an event is not JSON"));
      return false;
    }
    WatchEvent e{j.value("type", ""), std::move(j["object"])};
    if (e.type == "ERROR") {
      int code = e.object.is_object() ? e.object.value("code", 500) : 500;
      finish(statusFromReply(code, e.object));
      return false;
    }
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(std::move(e));
    cv_.notify_all();
    return true;
  }

  void finish(Status s) {
    std::lock_guard<std::mutex> lock(mu_);
    end_ = std::move(s);
    ended_ = true;
    cv_.notify_all();
  }

  std::unique_ptr<httplib::SSLClient> connection_;
  const std::string path_;
  std::atomic<bool> closed_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WatchEvent> events_;
  bool ended_ = false;
  Status end_;
  std::thread thread_;
};

}  // namespace

Result<std::unique_ptr<EventStream>> startHttpsWatch(std::unique_ptr<httplib::SSLClient> connection,
                                                     std::string pathAndQuery) {
  return std::unique_ptr<EventStream>(
      std::make_unique<HttpsWatch>(std::move(connection), std::move(pathAndQuery)));
}

}  // namespace tug::client
