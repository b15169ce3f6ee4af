#include "agent/fetch/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <mutex>
#include <stdexcept>

namespace flint::agent {
namespace {

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

std::string NameText(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || name == nullptr) return "";
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  return BioText(bio.get());
}

std::string TimeText(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return "?";
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string AltNames(X509* cert) {
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return "";
  std::string out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    std::string item;
    if (n->type == GEN_DNS) {
      const ASN1_STRING* s = n->d.dNSName;
      item = "DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                  static_cast<size_t>(ASN1_STRING_length(s)));
    } else if (n->type == GEN_IPADD) {
      BioPtr bio(BIO_new(BIO_s_mem()));
      GENERAL_NAME_print(bio.get(), const_cast<GENERAL_NAME*>(n));
      item = BioText(bio.get());
      if (item.rfind("IP Address:", 0) == 0) item = "IP:" + item.substr(11);
    } else {
      continue;
    }
    out += (out.empty() ? "" : ", ") + item;
  }
  GENERAL_NAMES_free(names);
  return out;
}

int SessionIndex() {
  static int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

int VerifyCallback(int ok, X509_STORE_CTX* store) {
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  if (ssl == nullptr) return ok;
  auto* session = static_cast<TlsSession*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), SessionIndex()));
  if (session == nullptr) return ok;
  X509* cert = X509_STORE_CTX_get_current_cert(store);
  int depth = X509_STORE_CTX_get_error_depth(store);
  TlsFacts& facts = session->facts;
  if (depth == 0 && cert != nullptr && !facts.saw_leaf) {
    facts.saw_leaf = true;
    facts.leaf = DescribeCert(cert);
  }
  if (!ok && facts.verify_error == 0) {
    facts.verify_error = X509_STORE_CTX_get_error(store);
    facts.verify_error_text = X509_verify_cert_error_string(facts.verify_error);
    facts.error_depth = depth;
    if (cert != nullptr) facts.failing = DescribeCert(cert);
  }
  return ok;
}

}  // namespace

std::string FormatUtc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

CertInfo DescribeCert(X509* cert) {
  CertInfo info;
  info.subject = NameText(X509_get_subject_name(cert));
  info.issuer = NameText(X509_get_issuer_name(cert));
  info.not_before = TimeText(X509_get0_notBefore(cert));
  info.not_after = TimeText(X509_get0_notAfter(cert));
  info.names = AltNames(cert);
  return info;
}

std::vector<X509Ptr> ParsePemCertificates(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw std::bad_alloc();
  std::vector<X509Ptr> certs;
  for (;;) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    certs.push_back(std::move(cert));
  }
  unsigned long err = ERR_peek_last_error();
  bool clean_end = ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
  ERR_clear_error();
  if (err != 0 && !clean_end) {
    throw std::runtime_error("the PEM bundle has a broken certificate after " + std::to_string(certs.size()) +
                             " good one(s)");
  }
  if (certs.empty()) throw std::runtime_error("no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
  return certs;
}

CURLcode ConfigureSslContext(CURL*, void* ssl_ctx, void* data) {
  auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  auto* session = static_cast<TlsSession*>(data);
  if (session->extra_cas != nullptr && !session->extra_cas->empty()) {
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    for (const X509Ptr& ca : *session->extra_cas) {
      if (X509_STORE_add_cert(store, ca.get()) != 1) {
        // Already present (the same CA in the system store) is fine.
        unsigned long err = ERR_peek_last_error();
        if (ERR_GET_REASON(err) != X509_R_CERT_ALREADY_IN_HASH_TABLE) {
          ERR_clear_error();
          return CURLE_SSL_CERTPROBLEM;
        }
        ERR_clear_error();
      }
    }
  }
  SSL_CTX_set_ex_data(ctx, SessionIndex(), session);
  SSL_CTX_set_verify(ctx, SSL_CTX_get_verify_mode(ctx), VerifyCallback);
  return CURLE_OK;
}

}  // namespace flint::agent
