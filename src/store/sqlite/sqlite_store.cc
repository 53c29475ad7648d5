#include "store/sqlite/sqlite_store.h"

#include <atomic>
#include <filesystem>
#include <limits>

#include "common/file_lock.h"
#include "common/log.h"
#include "store/continue_token.h"
#include "store/key.h"
#include "store/sqlite/reader.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sql.h"
#include "store/sqlite/writer.h"
#include "store/watch_hub.h"

namespace tug::store {
namespace {

using sqlite::Reader;
using sqlite::ReaderPool;
using sqlite::Writer;

// Keys are printable ASCII, so "\x7f" sorts after every key: the end of an unbounded range.
std::string rangeEnd(std::string_view prefix) {
  std::string end = prefixEnd(prefix);
  return end.empty() ? std::string("\x7f") : end;
}

class SqliteStore final : public Store {
 public:
  SqliteStore(FileLock lock, std::unique_ptr<Writer> writer, std::shared_ptr<WatchHub> hub,
              std::string path)
      : lock_(std::move(lock)),
        writer_(std::move(writer)),
        hub_(std::move(hub)),
        path_(path),
        readers_(std::move(path)) {}
  ~SqliteStore() override { close(); }

  Result<KeyValue> get(std::string_view key, Revision revision) override {
    if (Status s = validateKey(key); !s.isOk()) {
      return s;
    }
    auto rev = readRevision(revision);
    if (!rev.ok()) {
      return rev.status();
    }
    auto r = acquireReader();
    if (!r.ok()) {
      return r.status();
    }
    auto kv = (*r)->get(key, *rev);
    if (!kv.ok()) {
      return kv.status();
    }
    if (Status s = checkNotCompacted(*rev); !s.isOk()) {
      return s;
    }
    if (!kv->has_value()) {
      return notFound("key " + std::string(key) + " not found");
    }
    return std::move(**kv);
  }

  Result<ListResult> list(std::string_view prefix, const ListOptions& options) override {
    if (Status s = validatePrefix(prefix); !s.isOk()) {
      return s;
    }
    if (options.limit < 0) {
      return badRequest("list limit must not be negative");
    }
    std::string from(prefix);
    Revision requested = options.revision;
    if (!options.continueToken.empty()) {
      auto point = decodeContinue(options.continueToken);
      if (!point.ok()) {
        return point.status();
      }
      if (point->lastKey.compare(0, prefix.size(), prefix) != 0) {
        return badRequest("continue token does not belong to prefix " + std::string(prefix));
      }
      requested = point->revision;
      from = point->lastKey + '\0';  // strictly after the last key returned
    }
    auto rev = readRevision(requested);
    if (!rev.ok()) {
      return rev.status().code() == Code::kGone && !options.continueToken.empty()
                 ? gone("continue token expired: revision " + std::to_string(requested) +
                        " was compacted; start the list again")
                 : rev.status();
    }
    std::string to = rangeEnd(prefix);
    auto r = acquireReader();
    if (!r.ok()) {
      return r.status();
    }
    ListResult out;
    out.revision = *rev;
    if (Status s = (*r)->begin(); !s.isOk()) {
      return s;
    }
    // One more than asked tells whether a next page exists without a count.
    auto items = (*r)->list(from, to, *rev, options.limit > 0 ? options.limit + 1 : 0);
    Status s = items.status();
    if (s.isOk() && options.limit > 0 && static_cast<int64_t>(items->size()) > options.limit) {
      items->pop_back();
      auto remaining = (*r)->count(items->back().key + '\0', to, *rev);
      s = remaining.status();
      if (s.isOk()) {
        out.remaining = *remaining;
        out.continueToken = encodeContinue({*rev, items->back().key});
      }
    }
    (*r)->end();
    if (s.isOk()) {
      s = checkNotCompacted(*rev);
    }
    if (!s.isOk()) {
      return s;
    }
    out.items = std::move(*items);
    return out;
  }

  Result<int64_t> count(std::string_view prefix) override {
    if (Status s = validatePrefix(prefix); !s.isOk()) {
      return s;
    }
    auto r = acquireReader();
    if (!r.ok()) {
      return r.status();
    }
    return (*r)->count(prefix, rangeEnd(prefix), writer_->current());
  }

  Result<KeyValue> create(std::string_view key, std::string value) override {
    return write(Writer::Kind::kCreate, key, std::move(value), 0);
  }

  Result<KeyValue> update(std::string_view key, std::string value, Revision expected) override {
    return write(Writer::Kind::kUpdate, key, std::move(value), expected);
  }

  Result<KeyValue> remove(std::string_view key, Revision expected) override {
    return write(Writer::Kind::kDelete, key, std::string(), expected);
  }

  Result<WatchPtr> watch(std::string_view prefix, Revision from) override {
    if (Status s = validatePrefix(prefix); !s.isOk()) {
      return s;
    }
    if (from < 0) {
      return badRequest("watch revision must not be negative");
    }
    if (Status s = checkNotCompacted(from); from != 0 && !s.isOk()) {
      return s;
    }
    std::string to = rangeEnd(prefix);
    auto load = [&](std::string_view p, Revision after,
                    Revision upTo) -> Result<std::vector<EventPtr>> {
      auto r = acquireReader();
      if (!r.ok()) {
        return r.status();
      }
      auto events = (*r)->history(p, to, after, upTo);
      if (events.ok()) {
        if (Status s = checkNotCompacted(after); !s.isOk()) {
          return s;
        }
      }
      return events;
    };
    return hub_->watch(prefix, from, load);
  }

  Status compact(Revision revision) override { return writer_->compact(revision); }

  Revision currentRevision() const override { return writer_->current(); }
  Revision compactedRevision() const override { return writer_->compacted(); }

  StoreFigures figures() const override {
    StoreFigures f;
    f.current = writer_->current();
    f.compacted = writer_->compacted();
    std::error_code ec;
    auto main = std::filesystem::file_size(path_, ec);
    if (!ec) {
      auto wal = std::filesystem::file_size(path_ + "-wal", ec);
      f.databaseBytes = static_cast<int64_t>(main + (ec ? 0 : wal));
    }
    f.watchers = hub_->watcherCount();
    f.windowEvents = hub_->windowEventCount();
    return f;
  }

  void close() override {
    if (closed_.exchange(true)) {
      return;
    }
    writer_->close();
    hub_->closeAll(unavailable("datastore closed"));
    readers_.clear();
    lock_.release();
  }

 private:
  Result<KeyValue> write(Writer::Kind kind, std::string_view key, std::string value,
                         Revision expected) {
    if (Status s = validateKey(key); !s.isOk()) {
      return s;
    }
    if (Status s = validateValue(key, value); !s.isOk()) {
      return s;
    }
    if (expected < 0) {
      return badRequest("expected revision must not be negative");
    }
    // After close() the writer refuses the write with Unavailable.
    return writer_->write(kind, key, std::move(value), expected);
  }

  Result<ReaderPool::Lease> acquireReader() {
    if (closed_.load()) {
      return unavailable("datastore is closed");
    }
    return readers_.acquire();
  }

  // The revision a read happens at: `requested`, or the current one for 0.
  Result<Revision> readRevision(Revision requested) {
    Revision current = writer_->current();
    if (requested == 0) {
      return current;
    }
    if (requested < 0) {
      return badRequest("revision must not be negative");
    }
    if (requested > current) {
      return Status(Code::kTimeout, "too large revision " + std::to_string(requested) +
                                        ": the current revision is " + std::to_string(current));
    }
    if (Status s = checkNotCompacted(requested); !s.isOk()) {
      return s;
    }
    return requested;
  }

  Status checkNotCompacted(Revision rev) const {
    Revision compacted = writer_->compacted();
    if (rev < compacted) {
      return gone("revision " + std::to_string(rev) + " has been compacted (oldest available is " +
                  std::to_string(compacted) + ")");
    }
    return Status::ok();
  }

  FileLock lock_;
  std::unique_ptr<Writer> writer_;
  std::shared_ptr<WatchHub> hub_;
  const std::string path_;
  ReaderPool readers_;
  std::atomic<bool> closed_{false};
};

}  // namespace

Result<StorePtr> openSqlite(const SqliteOptions& options) {
  if (options.path.empty()) {
    return invalid("datastore path is empty");
  }
  auto lock = FileLock::acquire(options.path + ".lock");
  if (!lock.ok()) {
    return lock.status().wrap("datastore " + options.path + " is in use (is another tug server "
                                                            "running on this data dir?)");
  }
  auto db = sqlite::openWriter(options);
  if (!db.ok()) {
    return db.status();
  }
  auto current = (*db)->queryInt(sqlite::sql::kCurrentRevision);
  auto compacted = (*db)->queryInt(sqlite::sql::kCompactedRevision);
  for (auto* r : {&current, &compacted}) {
    if (!r->ok()) {
      return r->status().wrap("reading datastore " + options.path);
    }
  }
  WatchHub::Options hubOptions{options.watchWindowEvents, options.watchWindowBytes,
                               options.watcherQueueEvents};
  auto hub = std::make_shared<WatchHub>(hubOptions, *current);
  auto writer = std::make_unique<Writer>(std::move(*db), options, *current, *compacted, hub);
  if (Status s = writer->start(); !s.isOk()) {
    return s;
  }
  TUG_LOG(kInfo, "store") << "opened " << options.path << " at revision " << *current
                          << " (compacted " << *compacted << ")";
  return StorePtr(
      std::make_unique<SqliteStore>(std::move(*lock), std::move(writer), hub, options.path));
}

}  // namespace tug::store
