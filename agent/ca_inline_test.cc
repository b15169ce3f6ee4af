#include "agent/ca_inline.h"

#include <catch2/catch.hpp>

#include "agent/digest.h"
#include "agent/error.h"
#include "tests/fake_fetcher.h"
#include "schema/data_url.h"

namespace flint::agent {
namespace {

using flint::testing::FakeFetcher;

// Two self-signed test CAs (no keys kept): fixtures, not secrets.
constexpr const char* kCa1 = R"(-----BEGIN CERTIFICATE-----
MIIBhjCCAS2gAwIBAgIUXoblZ6tceHr6dimVf1w7IlsT7bUwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNZmxpbnQgdGVzdCBDQTAgFw0yNjExMjIwNjM2MTdaGA8yMTI2
MTAyOTA2MzYxN1owGDEWMBQGA1UEAwwNZmxpbnQgdGVzdCBDQTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABNqXCThrdEN6+NFEo06gyIKc6NjAf+UmHpmNcbqVjCbg
7IHbtVGo3fY8duB7Xl/GJoGn7z9jlc+hb2LwOlA3AnSjUzBRMB0GA1UdDgQWBBQB
JRlVRrkdf/L46Dz0T9/0uPoLOTAfBgNVHSMEGDAWgBQBJRlVRrkdf/L46Dz0T9/0
uPoLOTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIBIpdzClKMp9
KdhbhS3qMuf1KOJ8UspaBjN9BfSl5dx+AiBizkSvTugh4eRM2J0e7WkQxES9fdGO
s5KSJn+czZwzcQ==
-----END CERTIFICATE-----
)";
constexpr const char* kCa2 = R"(-----BEGIN CERTIFICATE-----
MIIBizCCATGgAwIBAgIUClg/ApPcoI6P7Kw+tXa0k6geleswCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPZmxpbnQgdGVzdCBDQSAyMCAXDTI2MTEyMjA2MzYxN1oYDzIx
MjYxMDI5MDYzNjE3WjAaMRgwFgYDVQQDDA9mbGludCB0ZXN0IENBIDIwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAAReeg930KzaQsdqXWtkmY0OBt4GDdIvMP0T+zuS
m3DPlGojYCUFO6tKYAOqd5Qan68EQU/ky+2buBaMDSN1dXhwo1MwUTAdBgNVHQ4E
FgQUIJX3iX3AEcxK5UC6JxdKW1FkQb4wHwYDVR0jBBgwFoAUIJX3iX3AEcxK5UC6
JxdKW1FkQb4wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiAMazU9
Sb4y8FDMVl8rcNLszvwG7p28nNW49sJXrqS4DQIhAPE8vkiOm7IFzcKOpmc1EFi0
Z9xhS5iVVIVa/LWfQiI7
-----END CERTIFICATE-----
)";

schema::Resource Ca(const std::string& source) {
  schema::Resource r;
  r.source = source;
  return r;
}

TEST_CASE("ca: counting PEM certificates", "[ca]") {
  std::string error;
  CHECK(CountPemCertificates(kCa1, &error) == 1);
  CHECK(CountPemCertificates(std::string(kCa1) + kCa2, &error) == 2);
  CHECK(CountPemCertificates("# a comment line\n" + std::string(kCa2), &error) == 1);
  CHECK(CountPemCertificates("not a certificate", &error) == 0);
  CHECK(error == "no PEM certificate found");
  std::string broken = kCa1;
  broken.replace(broken.find("MIIB"), 4, "!!!!");
  error.clear();
  CHECK(CountPemCertificates(broken, &error) == 0);
  CHECK(error.rfind("malformed PEM certificate: ", 0) == 0);
}

TEST_CASE("ca: remote CAs are fetched and inlined as data URLs", "[ca]") {
  FakeFetcher fetcher;
  fetcher.responses["https://h/ca.pem"] = kCa1;
  fetcher.responses["https://h/bundle.pem"] = std::string(kCa1) + kCa2;
  schema::Config config;
  auto& cas = config.ignition.security.tls.certificate_authorities;
  cas = {Ca("https://h/ca.pem"), Ca("data:,inline"), Ca("https://h/bundle.pem")};
  cas[0].http_headers = {{"Authorization", "Bearer x"}};
  cas[0].verification.hash = "sha512-" + Sha512Hex(kCa1);
  InlineCertificateAuthorities(config, fetcher, false);
  CHECK(fetcher.Urls() == std::vector<std::string>{"https://h/ca.pem", "https://h/bundle.pem"});
  CHECK(fetcher.calls[0].at == "$.ignition.security.tls.certificateAuthorities.0");
  CHECK(fetcher.calls[0].headers == std::vector<schema::HttpHeader>{{"Authorization", "Bearer x"}});
  CHECK(cas[0].source == "data:;base64," + EncodeBase64(kCa1));
  CHECK(cas[0].http_headers.empty());
  CHECK(cas[0].verification.hash == "sha512-" + Sha512Hex(kCa1));  // still true of the inlined bytes
  CHECK(cas[1].source == "data:,inline");
  CHECK(cas[2].source == "data:;base64," + EncodeBase64(std::string(kCa1) + kCa2));
  CHECK(schema::DecodeDataUrl(*cas[2].source).bytes == std::string(kCa1) + kCa2);
}

TEST_CASE("ca: a compressed data URL CA is rewritten decompressed", "[ca]") {
  // The fetcher decompresses; the fake one hands the bytes through.
  FakeFetcher fetcher;
  schema::Config config;
  config.ignition.security.tls.certificate_authorities = {Ca(flint::testing::DataUrl(kCa2))};
  config.ignition.security.tls.certificate_authorities[0].compression = "gzip";
  InlineCertificateAuthorities(config, fetcher, false);
  const schema::Resource& ca = config.ignition.security.tls.certificate_authorities[0];
  CHECK(ca.source == "data:;base64," + EncodeBase64(kCa2));
  CHECK_FALSE(ca.compression.has_value());
}

TEST_CASE("ca: what is not a certificate is refused, naming the CA", "[ca]") {
  FakeFetcher fetcher;
  fetcher.responses["https://h/index.html"] = "<html>login</html>";
  schema::Config config;
  config.ignition.security.tls.certificate_authorities = {Ca("data:,x"), Ca("https://h/index.html")};
  CHECK_THROWS_WITH(InlineCertificateAuthorities(config, fetcher, false),
                    "reading the certificate authority 'https://h/index.html' (at "
                    "$.ignition.security.tls.certificateAuthorities.1): no PEM certificate found");
}

TEST_CASE("ca: offline, a CA that needs networking asks for it", "[ca]") {
  FakeFetcher fetcher;
  schema::Config config;
  config.ignition.security.tls.certificate_authorities = {Ca("http://127.0.0.1:1/ca.pem")};
  CHECK_THROWS_AS(InlineCertificateAuthorities(config, fetcher, true), NeedNet);
  CHECK(fetcher.calls.empty());
}

}  // namespace
}  // namespace flint::agent
