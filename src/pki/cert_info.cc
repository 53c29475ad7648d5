#include "pki/cert_info.h"

#include <arpa/inet.h>
#include <openssl/err.h>

#include <cstring>
#include <ctime>

#include "pki/key.h"

namespace tug::pki {
namespace {

std::vector<std::string> nameEntries(const X509* cert, int nid) {
  std::vector<std::string> out;
  const X509_NAME* name = X509_get_subject_name(cert);
  for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, nid, i)) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    int n = ASN1_STRING_to_UTF8(&utf8, data);
    if (n >= 0) {
      out.emplace_back(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
      OPENSSL_free(utf8);
    }
  }
  return out;
}

}  // namespace

std::string commonName(const X509* cert) {
  auto names = nameEntries(cert, NID_commonName);
  return names.empty() ? std::string() : names.back();
}

std::vector<std::string> organizations(const X509* cert) {
  return nameEntries(cert, NID_organizationName);
}

SubjectAltNames subjectAltNames(const X509* cert) {
  SubjectAltNames out;
  GeneralNamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type == GEN_DNS) {
      const ASN1_IA5STRING* s = gn->d.dNSName;
      out.addDns(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                             static_cast<size_t>(ASN1_STRING_length(s))));
    } else if (gn->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* s = gn->d.iPAddress;
      int len = ASN1_STRING_length(s);
      char text[INET6_ADDRSTRLEN] = {};
      if ((len == 4 || len == 16) &&
          inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(s), text, sizeof text)) {
        (void)out.addIp(text);
      }
    }
  }
  return out;
}

std::chrono::system_clock::time_point notAfter(const X509* cert) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) {
    return {};  // unreadable: treat as long expired
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

bool isIssuedBy(X509* cert, X509* ca) {
  EVP_PKEY* caKey = X509_get0_pubkey(ca);
  bool ok =
      X509_check_issued(ca, cert) == X509_V_OK && caKey != nullptr && X509_verify(cert, caKey) == 1;
  ERR_clear_error();  // a failed check is an answer here, not an error to report later
  return ok;
}

bool certMatchesKey(const X509* cert, const EVP_PKEY* key) {
  const EVP_PKEY* certKey = X509_get0_pubkey(cert);
  return certKey != nullptr && samePublicKey(certKey, key);
}

bool isCa(X509* cert) { return X509_check_ca(cert) == 1; }

}  // namespace tug::pki
