#include "apiserver/openapi_documents.h"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "apiserver/openapi_document.h"

namespace tug::apiserver {

std::string sha512Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha512(), nullptr);
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

OpenApiDocuments::OpenApiDocuments(const api::ResourceRegistry& registry) {
  const api::ResourceRegistry* reg = &registry;
  for (const api::GroupInfo& g : registry.groups()) {
    for (const api::GroupVersionInfo& v : g.versions) {
      std::string group = g.name, version = v.version;
      entries_[openApiPath(group, version)].render = [reg, group, version] {
        return renderBuiltinDocument(*reg, group, version);
      };
    }
  }
}

void OpenApiDocuments::set(const std::string& path, Renderer render) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_[path] = Entry{std::move(render), ""};
  if (lastPath_ == path) {
    lastPath_.clear();
    last_ = Document{};
  }
}

void OpenApiDocuments::remove(std::string_view path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = entries_.find(path); it != entries_.end()) {
    entries_.erase(it);
  }
  if (lastPath_ == path) {
    lastPath_.clear();
    last_ = Document{};
  }
}

OpenApiDocuments::Document OpenApiDocuments::renderLocked(const std::string& path, Entry& e) {
  auto text = std::make_shared<const std::string>(e.render());
  e.hash = sha512Hex(*text);
  lastPath_ = path;
  last_ = Document{e.hash, text};
  return last_;
}

std::string OpenApiDocuments::index() {
  std::lock_guard<std::mutex> lock(mu_);
  nlohmann::json paths = nlohmann::json::object();
  for (auto& [path, e] : entries_) {
    if (e.hash.empty()) {
      renderLocked(path, e);
    }
    paths[path] = {{"serverRelativeURL", "/openapi/v3/" + path + "?hash=" + e.hash}};
  }
  // The documents rendered for their hashes need not stay; the last one is dropped too.
  lastPath_.clear();
  last_ = Document{};
  return nlohmann::json{{"paths", paths}}.dump();
}

std::optional<OpenApiDocuments::Document> OpenApiDocuments::document(std::string_view path) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(path);
  if (it == entries_.end()) {
    return std::nullopt;
  }
  if (lastPath_ == path && last_.text) {
    return last_;
  }
  return renderLocked(it->first, it->second);
}

}  // namespace tug::apiserver
