#include "pki/cert.h"

#include <openssl/rand.h>

#include <algorithm>
#include <ctime>

namespace tug::pki {
namespace {

constexpr int kSerialBytes = 16;

Status addExtension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return opensslError("adding the " + std::string(OBJ_nid2sn(nid)) + " extension '" + value +
                        "'");
  }
  return Status::ok();
}

Status setSubject(X509* cert, const std::string& commonName,
                  const std::vector<std::string>& organizations) {
  X509_NAME* name = X509_get_subject_name(cert);
  auto add = [name](const char* field, const std::string& value) {
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.c_str()),
                                      static_cast<int>(value.size()), -1, 0) == 1;
  };
  for (const auto& o : organizations) {
    if (!add("O", o)) {
      return opensslError("setting the subject organization '" + o + "'");
    }
  }
  if (!add("CN", commonName)) {
    return opensslError("setting the subject common name '" + commonName + "'");
  }
  return Status::ok();
}

// Version, serial, validity and public key: what every certificate needs before extensions.
Status setBasics(X509* cert, const EVP_PKEY* key, Days validity) {
  auto serial = randomSerial();
  if (!serial.ok()) {
    return serial.status();
  }
  std::time_t now = std::time(nullptr);
  long backdate = std::chrono::duration_cast<std::chrono::seconds>(kBackdate).count();
  if (X509_set_version(cert, X509_VERSION_3) != 1 ||
      BN_to_ASN1_INTEGER(serial->get(), X509_get_serialNumber(cert)) == nullptr ||
      ASN1_TIME_adj(X509_getm_notBefore(cert), now, 0, -backdate) == nullptr ||
      ASN1_TIME_adj(X509_getm_notAfter(cert), now, static_cast<int>(validity.count()), 0) ==
          nullptr ||
      X509_set_pubkey(cert, const_cast<EVP_PKEY*>(key)) != 1) {  // only reads the key
    return opensslError("filling in a certificate");
  }
  return Status::ok();
}

Result<GeneralNamesPtr> toGeneralNames(const SubjectAltNames& altNames) {
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (!names) {
    return opensslError("allocating subject alternative names");
  }
  auto push = [&names](int type, ASN1_STRING* value) {
    GENERAL_NAME* gn = value != nullptr ? GENERAL_NAME_new() : nullptr;
    if (gn == nullptr) {
      ASN1_STRING_free(value);
      return false;
    }
    GENERAL_NAME_set0_value(gn, type, value);
    if (sk_GENERAL_NAME_push(names.get(), gn) == 0) {
      GENERAL_NAME_free(gn);
      return false;
    }
    return true;
  };
  for (const auto& dns : altNames.dnsNames) {
    ASN1_IA5STRING* s = ASN1_IA5STRING_new();
    if (s != nullptr && ASN1_STRING_set(s, dns.data(), static_cast<int>(dns.size())) != 1) {
      ASN1_IA5STRING_free(s);
      s = nullptr;
    }
    if (!push(GEN_DNS, s)) {
      return opensslError("adding the DNS name '" + dns + "'");
    }
  }
  for (const auto& ip : altNames.ipAddresses) {
    if (!push(GEN_IPADD, a2i_IPADDRESS(ip.c_str()))) {
      return opensslError("adding the IP address '" + ip + "'");
    }
  }
  return names;
}

Status sign(X509* cert, EVP_PKEY* signer) {
  if (X509_sign(cert, signer, EVP_sha256()) <= 0) {
    return opensslError("signing a certificate");
  }
  return Status::ok();
}

}  // namespace

Result<BignumPtr> randomSerial() {
  unsigned char bytes[kSerialBytes];
  do {
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
      return opensslError("generating a serial number");
    }
  } while (std::all_of(std::begin(bytes), std::end(bytes), [](unsigned char b) { return !b; }));
  BignumPtr serial(BN_bin2bn(bytes, sizeof bytes, nullptr));
  if (!serial) {
    return opensslError("generating a serial number");
  }
  return serial;
}

Result<CertPtr> createCaCert(EVP_PKEY* key, const CaSpec& spec) {
  CertPtr cert(X509_new());
  if (!cert) {
    return opensslError("allocating a certificate");
  }
  Status s = setBasics(cert.get(), key, spec.validity);
  if (s.isOk()) {
    s = setSubject(cert.get(), spec.commonName, {});
  }
  if (s.isOk() && X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1) {
    s = opensslError("setting the issuer of " + spec.commonName);
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] :
       {std::pair{NID_basic_constraints, "critical,CA:TRUE"},
        std::pair{NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign"},
        std::pair{NID_subject_key_identifier, "hash"}}) {
    if (s.isOk()) {
      s = addExtension(cert.get(), &ctx, nid, value);
    }
  }
  if (s.isOk()) {
    s = sign(cert.get(), key);
  }
  if (!s.isOk()) {
    return s.wrap("creating CA certificate " + spec.commonName);
  }
  return cert;
}

Result<CertPtr> issueCert(const EVP_PKEY* subjectKey, const LeafSpec& spec, X509* caCert,
                          EVP_PKEY* caKey) {
  if (!spec.serverAuth && !spec.clientAuth) {
    return invalid("certificate " + spec.commonName + " is for neither server nor client auth");
  }
  CertPtr cert(X509_new());
  if (!cert) {
    return opensslError("allocating a certificate");
  }
  Status s = setBasics(cert.get(), subjectKey, spec.validity);
  if (s.isOk()) {
    s = setSubject(cert.get(), spec.commonName, spec.organizations);
  }
  if (s.isOk() && X509_set_issuer_name(cert.get(), X509_get_subject_name(caCert)) != 1) {
    s = opensslError("setting the issuer of " + spec.commonName);
  }
  // keyEncipherment only means something for RSA key transport; ECDSA keys only sign.
  std::string keyUsage = "critical,digitalSignature";
  if (EVP_PKEY_is_a(subjectKey, "RSA") == 1) {
    keyUsage += ",keyEncipherment";
  }
  std::string extKeyUsage = spec.serverAuth && spec.clientAuth ? "serverAuth,clientAuth"
                            : spec.serverAuth                  ? "serverAuth"
                                                               : "clientAuth";
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, caCert, cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] :
       {std::pair{NID_basic_constraints, std::string("critical,CA:FALSE")},
        std::pair{NID_key_usage, keyUsage}, std::pair{NID_ext_key_usage, extKeyUsage},
        std::pair{NID_subject_key_identifier, std::string("hash")},
        std::pair{NID_authority_key_identifier, std::string("keyid")}}) {
    if (s.isOk()) {
      s = addExtension(cert.get(), &ctx, nid, value);
    }
  }
  if (s.isOk() && (!spec.altNames.dnsNames.empty() || !spec.altNames.ipAddresses.empty())) {
    auto names = toGeneralNames(spec.altNames);
    if (!names.ok()) {
      s = names.status();
    } else if (X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names->get(), 0,
                                 X509V3_ADD_DEFAULT) != 1) {
      s = opensslError("adding subject alternative names");
    }
  }
  if (s.isOk()) {
    s = sign(cert.get(), caKey);
  }
  if (!s.isOk()) {
    return s.wrap("issuing certificate " + spec.commonName);
  }
  return cert;
}

}  // namespace tug::pki
