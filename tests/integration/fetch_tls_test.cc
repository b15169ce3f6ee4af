// HTTPS with certificates made at test time: the config's CA trusted on top
// of the system store; unknown authority, expired, not yet valid and wrong
// name refused, each with a message that says which.

#include <catch2/catch.hpp>

#include "agent/fetch/hash.h"
#include "tests/integration/fetch_fixture.h"

namespace flint::testing {
namespace {

TEST_CASE("fetch tls: the config's CA makes the server trusted", "[fetch][tls]") {
  FetchFixture f;
  f.files().Write("master", "{\"ignition\":{\"version\":\"3.2.0\"}}");
  HttpServer server(f.files().path(), "good");
  f.Configure(0, 5, {DataCa("ca.crt")});
  CHECK(f.Fetch(Source(server.Url("files/master"))) == "{\"ignition\":{\"version\":\"3.2.0\"}}");
  CHECK(f.Fetch(Source(server.Url("files/master", "localhost"))) == "{\"ignition\":{\"version\":\"3.2.0\"}}");
  CHECK(f.LogText().find("INFO: trusting the certificate authority 'CN=flint test root CA,O=flint tests' from "
                         "$.ignition.security.tls.certificateAuthorities.0") != std::string::npos);
  // Configured again (as after every config merge): still trusted, said once.
  f.Configure(0, 5, {DataCa("ca.crt")});
  CHECK(f.Fetch(Source(server.Url("files/master"))) == "{\"ignition\":{\"version\":\"3.2.0\"}}");
  std::string log = f.LogText();
  std::string said = "trusting the certificate authority";
  CHECK(log.find(said) == log.rfind(said));
}

TEST_CASE("fetch tls: without the CA, or with another one, the authority is unknown", "[fetch][tls]") {
  HttpServer server(TestCerts::Get().Path(""), "good");
  std::string url = server.Url("files/ca.crt");
  std::string expected = "TLS: the certificate of 127.0.0.1:" + std::to_string(server.port()) +
                         " ('O=flint tests,CN=localhost') is signed by an unknown authority ('CN=flint test root "
                         "CA,O=flint tests'; unable to get local issuer certificate): add the CA to "
                         "ignition.security.tls.certificateAuthorities";
  FetchFixture none;
  none.Configure(0, 1);
  CHECK_THAT(none.FetchError(Source(url)), Catch::EndsWith(expected));
  FetchFixture other;
  other.Configure(0, 1, {DataCa("other-ca.crt")});
  CHECK_THAT(other.FetchError(Source(url)), Catch::EndsWith(expected));
  CHECK(other.LogText().find("WARNING: GET " + url + ": attempt #1 failed: " + expected + "; next try in") !=
        std::string::npos);
}

TEST_CASE("fetch tls: an expired certificate shows its validity window and the clock", "[fetch][tls]") {
  HttpServer server(TestCerts::Get().Path(""), "expired");
  FetchFixture f;
  f.Configure(0, 1, {DataCa("ca.crt")});
  std::string error = f.FetchError(Source(server.Url("files/ca.crt")));
  CHECK_THAT(error, Catch::Matches(".*last error: TLS: the certificate of 127.0.0.1:[0-9]+ \\('O=flint tests,CN=localhost"
                                   "'\\) has expired: it is valid from 2020-01-01 00:00:00 UTC until 2020-01-02 "
                                   "00:00:00 UTC, and the local clock says 20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] "
                                   "[0-9:]{8} UTC \\(if the clock is wrong, fix the time\\)"));
}

TEST_CASE("fetch tls: a certificate that is not valid yet says so", "[fetch][tls]") {
  HttpServer server(TestCerts::Get().Path(""), "future");
  FetchFixture f;
  f.Configure(0, 1, {DataCa("ca.crt")});
  CHECK_THAT(f.FetchError(Source(server.Url("files/ca.crt"))),
             Catch::Contains("('O=flint tests,CN=localhost') is not valid yet: it is valid from 2099-01-01 00:00:00 "
                             "UTC until 2099-12-31 00:00:00 UTC, and the local clock says "));
}

TEST_CASE("fetch tls: a certificate for another name is refused with the names it has", "[fetch][tls]") {
  HttpServer server(TestCerts::Get().Path(""), "wrong-name");
  FetchFixture f;
  f.Configure(0, 1, {DataCa("ca.crt")});
  // Retried until httpTotal (1 s), which may cut the last attempt short: the
  // TLS error is then "the error before" rather than the "last error".
  CHECK_THAT(f.FetchError(Source(server.Url("files/ca.crt", "localhost"))),
             Catch::Contains("error: TLS: the certificate of localhost:" + std::to_string(server.port()) +
                             " is not valid for the name 'localhost' (it is for DNS:wrong.example)"));
  CHECK_THAT(f.FetchError(Source(server.Url("files/ca.crt"))),
             Catch::Contains("is not valid for the name '127.0.0.1' (it is for DNS:wrong.example)"));
}

TEST_CASE("fetch tls: a CA fetched over HTTP is hash-verified before it is trusted", "[fetch][tls]") {
  HttpServer plain(TestCerts::Get().Path(""));
  FetchFixture f;
  f.files().Write("x", "secret payload");
  HttpServer secure(f.files().path(), "good");
  agent::Hasher h("sha512");
  h.Update(TestCerts::Get().Pem("ca.crt"));
  schema::Resource ca = Source(plain.Url("files/ca.crt"));
  ca.verification.hash = "sha512-" + h.HexDigest();
  f.Configure(0, 5, {ca});
  CHECK(f.Fetch(Source(secure.Url("files/x"))) == "secret payload");

  FetchFixture g;
  ca.verification.hash = "sha512-" + std::string(128, '0');
  try {
    g.Configure(0, 5, {ca});
    FAIL("Configure accepted a CA with the wrong hash");
  } catch (const agent::Failure& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("fetching '" + plain.Url("files/ca.crt") +
                                           "' (at $.ignition.security.tls.certificateAuthorities.0): hash "
                                           "verification failed (calculated "));
  }
}

TEST_CASE("fetch tls: a trust store that cannot be loaded fails at once, not at the deadline", "[fetch][tls]") {
  HttpServer server(TestCerts::Get().Path(""), "good");
  TempDir scratch;
  agent::FetcherOptions options;
  options.ca_bundle = scratch.Write("broken-bundle.pem", "this is not a certificate\n").string();
  FetchFixture f(options);
  f.Configure(0, 30, {DataCa("ca.crt")});
  auto start = std::chrono::steady_clock::now();
  std::string error = f.FetchError(Source(server.Url("files/ca.crt")));
  CHECK(SecondsSince(start) < 2.0);
  CHECK_THAT(error, Catch::StartsWith("fetching '" + server.Url("files/ca.crt") +
                                      "' (at $.storage.files.0.contents): TLS: could not load the trusted "
                                      "certificates: "));
  CHECK_THAT(error, Catch::Contains(options.ca_bundle));
  CHECK(Occurrences(f.LogText(), ": attempt #") == 1);  // tried once, never retried
  CHECK(f.LogText().find("next try in") == std::string::npos);
  // A readable bundle with the test CA: trusted without the config's CAs.
  agent::FetcherOptions good;
  good.ca_bundle = TestCerts::Get().Path("ca.crt");
  FetchFixture g(good);
  g.Configure(0, 5);
  CHECK(g.Fetch(Source(server.Url("files/ca.crt"))) == TestCerts::Get().Pem("ca.crt"));
}

TEST_CASE("fetch tls: without a system trust store the config's CAs are trusted, as upstream", "[fetch][tls]") {
  HttpServer server(TestCerts::Get().Path(""), "good");
  TempDir scratch;
  agent::FetcherOptions options;
  options.ca_bundle = (scratch / "no-such-bundle.pem").string();
  FetchFixture f(options);
  f.Configure(0, 5, {DataCa("ca.crt")});
  CHECK(f.Fetch(Source(server.Url("files/ca.crt"))) == TestCerts::Get().Pem("ca.crt"));
  // Without them the authority is unknown, and the message says why.
  FetchFixture bare(options);
  bare.Configure(0, 1);
  CHECK_THAT(bare.FetchError(Source(server.Url("files/ca.crt"))),
             Catch::EndsWith("add the CA to ignition.security.tls.certificateAuthorities (there is no system trust "
                             "store: '" + options.ca_bundle + "' does not exist)"));
}

}  // namespace
}  // namespace flint::testing
