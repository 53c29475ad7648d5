#include "client/https_watch.h"

#include "client/watch_lines.h"

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
  HttpsWatch(std::unique_ptr<httplib::SSLClient> connection, std::string path,
             bool omitManagedFields)
      : connection_(std::move(connection)),
        path_(std::move(path)),
        lines_(path_, omitManagedFields) {
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
          if (status != 200) {
            // The Status body of a refused watch.
            pending.append(data, size);
            return pending.size() < (1 << 20) && !closed_;
          }
          auto end = lines_.feed(std::string_view(data, size), [&](WatchEvent&& e) {
            std::lock_guard<std::mutex> lock(mu_);
            events_.push_back(std::move(e));
            cv_.notify_all();
          });
          if (end) {
            finish(std::move(*end));
            return false;
          }
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

  void finish(Status s) {
    std::lock_guard<std::mutex> lock(mu_);
    end_ = std::move(s);
    ended_ = true;
    cv_.notify_all();
  }

  std::unique_ptr<httplib::SSLClient> connection_;
  const std::string path_;
  WatchLineDecoder lines_;  // on the reading thread
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
                                                     std::string pathAndQuery,
                                                     bool omitManagedFields) {
  return std::unique_ptr<EventStream>(std::make_unique<HttpsWatch>(
      std::move(connection), std::move(pathAndQuery), omitManagedFields));
}

}  // namespace tug::client
