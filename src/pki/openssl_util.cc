#include "pki/openssl_util.h"

#include <openssl/err.h>

namespace tug::pki {

Status opensslError(std::string_view what) {
  std::string detail;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!detail.empty()) {
      detail += "; ";
    }
    detail += buf;
  }
  if (detail.empty()) {
    detail = "unknown OpenSSL error";
  }
  return internalError(std::string(what) + ": " + detail);
}

std::string bioContents(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

}  // namespace tug::pki
