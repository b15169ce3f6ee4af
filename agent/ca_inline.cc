#include "agent/ca_inline.h"

#include <stdexcept>
#include <string>

#include "agent/digest.h"
#include "agent/error.h"
#include "agent/fetch/tls.h"
#include "schema/data_url.h"
#include "agent/fetched_config.h"
#include "agent/render.h"

namespace flint::agent {
namespace {

// A plain data URL needs no rewriting: nothing to fetch or decompress.
bool IsInline(const schema::Resource& ca) {
  return ca.source && schema::IsDataUrl(*ca.source) && (!ca.compression || ca.compression->empty()) && ca.http_headers.empty();
}

}  // namespace

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
    try {
      ParsePemCertificates(pem);
    } catch (const std::runtime_error& e) {
      throw Failure("reading the certificate authority").Url(RedactUrl(*ca.source)).Field(at.String()).Cause(e.what());
    }
    ca.source = "data:;base64," + EncodeBase64(pem);
    ca.compression.reset();
    ca.http_headers.clear();
  }
}

}  // namespace flint::agent
