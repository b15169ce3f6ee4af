// TLS for the curl-based schemes: the config's certificateAuthorities added
// to the system trust store, and what the OpenSSL verify callback saw, so a
// refused certificate can be explained (unknown authority, expired or not
// yet valid with its validity window, wrong name). Verification itself is
// never disabled or overridden.
#pragma once

#include <curl/curl.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace flint::agent {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

struct CertInfo {
  std::string subject;     // RFC 2253: "CN=api-int.example,O=openshift"
  std::string issuer;
  std::string not_before;  // "2026-11-22 05:57:59 UTC"
  std::string not_after;
  std::string names;       // subjectAltNames: "DNS:a.example, IP:10.0.0.1"
};

struct TlsFacts {
  int verify_error = 0;  // the first X509_V_ERR_* the callback saw; 0: none
  std::string verify_error_text;
  int error_depth = 0;
  CertInfo failing;      // the certificate verification failed on
  bool saw_leaf = false;
  CertInfo leaf;         // the server's own certificate
};

// What one transfer's TLS connections use and record.
struct TlsSession {
  const std::vector<X509Ptr>* extra_cas = nullptr;
  TlsFacts facts;
};

// Every certificate of a PEM bundle. Throws std::runtime_error saying what
// is wrong when there is none or one does not parse.
std::vector<X509Ptr> ParsePemCertificates(std::string_view pem);

// For CURLOPT_SSL_CTX_FUNCTION with CURLOPT_SSL_CTX_DATA = TlsSession*:
// adds the extra CAs to the context's store and installs the recording
// verify callback (which returns OpenSSL's verdict unchanged).
CURLcode ConfigureSslContext(CURL* curl, void* ssl_ctx, void* session);

// The subject, issuer, validity and names of `cert`.
CertInfo DescribeCert(X509* cert);

// "2026-11-22 05:57:59 UTC".
std::string FormatUtc(std::time_t t);

}  // namespace flint::agent
