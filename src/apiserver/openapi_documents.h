#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "api/resource_registry.h"

// The OpenAPI v3 documents the server offers, one per group version, and the index that
// lists them with the hash of each. Documents are rendered on demand; only each one's hash and
// the last one rendered are kept, so an idle server holds none of them.
namespace tug::apiserver {

class OpenApiDocuments {
 public:
  // Renders one group version's document (JSON text). Must give the same text each time for
  // as long as it is registered: the hash in the index stands for it.
  using Renderer = std::function<std::string()>;

  // Offers every group version `registry` serves, which must outlive this object.
  explicit OpenApiDocuments(const api::ResourceRegistry& registry);

  // Adds or replaces the document at `path` ("apis/example.com/v1"): the seam for
  // CustomResourceDefinitions. The index changes with it. Thread-safe.
  void set(const std::string& path, Renderer render);
  // Stops offering `path`. Thread-safe.
  void remove(std::string_view path);

  // {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=<HEX>"},...}}
  std::string index();

  struct Document {
    std::string hash;  // upper-case hex SHA-512 of the text, as upstream's handler uses
    std::shared_ptr<const std::string> text;
  };
  // The document at `path`, or nullopt when no group version has that path.
  std::optional<Document> document(std::string_view path);

 private:
  struct Entry {
    Renderer render;
    std::string hash;  // "" until first rendered
  };
  // Renders (under mu_) and remembers the hash; keeps the text as the last one rendered.
  Document renderLocked(const std::string& path, Entry& e);

  std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
  std::string lastPath_;
  Document last_;
};

// Upper-case hex SHA-512 of `data`.
std::string sha512Hex(std::string_view data);

}  // namespace tug::apiserver
