#include "agent/ca_inline.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "agent/digest.h"
#include "agent/error.h"
#include "schema/data_url.h"
#include "agent/fetched_config.h"
#include "agent/render.h"

namespace flint::agent {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

// A plain data URL needs no rewriting: nothing to fetch or decompress.
bool IsInline(const schema::Resource& ca) {
  return ca.source && schema::IsDataUrl(*ca.source) && (!ca.compression || ca.compression->empty()) && ca.http_headers.empty();
}

}  // namespace

size_t CountPemCertificates(std::string_view pem, std::string* error) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    if (error) *error = "out of memory";
    return 0;
  }
  size_t count = 0;
  for (;;) {
    ERR_clear_error();
    std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (cert) {
      ++count;
      continue;
    }
    unsigned long err = ERR_peek_last_error();
    // Running out of input after at least one certificate is the normal end.
    if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE) {
      if (count == 0 && error) *error = "no PEM certificate found";
      ERR_clear_error();
      return count;
    }
    if (error) {
      char text[256];
      ERR_error_string_n(err, text, sizeof(text));
      *error = std::string("malformed PEM certificate: ") + text;
    }
    ERR_clear_error();
    return 0;
  }
}

void InlineCertificateAuthorities(schema::Config& config, Fetcher& fetcher, bool offline) {
  auto& cas = config.ignition.security.tls.certificate_authorities;
  for (size_t i = 0; i < cas.size(); ++i) {
    schema::Resource& ca = cas[i];
    if (!ca.source || ca.source->empty() || IsInline(ca)) continue;
    schema::Path at = schema::Path() / "ignition" / "security" / "tls" / "certificateAuthorities" / i;
    if (offline && UrlNeedsNet(*ca.source)) {
      throw NeedNet("the certificate authority at " + at.String() + " (" + DescribeSource(*ca.source) +
                    ") needs networking");
    }
    std::string pem = fetcher.FetchToString(ca, at);
    std::string error;
    if (CountPemCertificates(pem, &error) == 0) {
      throw Failure("reading the certificate authority").Url(RedactedUrl(*ca.source)).Field(at.String()).Cause(error);
    }
    ca.source = "data:;base64," + EncodeBase64(pem);
    ca.compression.reset();
    ca.http_headers.clear();
  }
}

}  // namespace flint::agent
