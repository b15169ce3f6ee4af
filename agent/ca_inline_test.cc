#include "agent/ca_inline.h"

#include <catch2/catch.hpp>

#include "agent/digest.h"
#include "agent/error.h"
#include "agent/fetch/tls.h"
#include "tests/fake_fetcher.h"
#include "tests/test_ca_pem.h"
#include "schema/data_url.h"

namespace flint::agent {
namespace {

using flint::testing::FakeFetcher;

using flint::testing::kTestCa1;
using flint::testing::kTestCa2;
constexpr const char* kCa1 = kTestCa1;
constexpr const char* kCa2 = kTestCa2;

schema::Resource Ca(const std::string& source) {
  schema::Resource r;
  r.source = source;
  return r;
}

TEST_CASE("ca: PEM bundles", "[ca]") {
  CHECK(ParsePemCertificates(kCa1).size() == 1);
  CHECK(ParsePemCertificates(std::string(kCa1) + kCa2).size() == 2);
  CHECK(ParsePemCertificates("# a comment line\n" + std::string(kCa2)).size() == 1);
  CHECK_THROWS_WITH(ParsePemCertificates("not a certificate"),
                    "no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
  std::string broken = kCa1;
  broken.replace(broken.find("MIIB"), 4, "!!!!");
  CHECK_THROWS_WITH(ParsePemCertificates(std::string(kCa2) + broken),
                    "the PEM bundle has a broken certificate after 1 good one(s)");
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
                    "$.ignition.security.tls.certificateAuthorities.1): no PEM certificate found (expected "
                    "-----BEGIN CERTIFICATE-----)");
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
