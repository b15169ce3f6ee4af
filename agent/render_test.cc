#include "agent/render.h"

#include <catch2/catch.hpp>

#include "agent/error.h"
#include "schema/parse.h"

namespace flint::agent {
namespace {

schema::Config ConfigOf(const std::string& json) {
  schema::ParseResult r = schema::Parse(json);
  INFO(r.report.String());
  REQUIRE(r.config);
  return *r.config;
}

TEST_CASE("render: URL schemes that need networking", "[render]") {
  for (const char* url : {"http://h/x", "https://h/x", "HTTPS://h/x", "tftp://h/x", "s3://b/k", "gs://b/k",
                          "arn:aws:s3:::b/k"}) {
    INFO(url);
    CHECK(UrlNeedsNet(url));
  }
  for (const char* url : {"data:,x", "", "/etc/x", "file:///x"}) {
    INFO(url);
    CHECK_FALSE(UrlNeedsNet(url));
  }
}

TEST_CASE("render: a config without references is returned as is", "[render]") {
  CapturingSink sink;
  Log log(sink);
  schema::Config c = ConfigOf(R"({"ignition":{"version":"3.4.0"},"passwd":{"users":[{"name":"core"}]}})");
  CHECK(RenderConfig(c, false, log) == c);
}

TEST_CASE("render: remote references", "[render]") {
  CapturingSink sink;
  Log log(sink);
  schema::Config c =
      ConfigOf(R"({"ignition":{"version":"3.4.0","config":{"replace":{"source":"http://127.0.0.1:1/c"}}}})");
  CHECK_THROWS_AS(RenderConfig(c, true, log), NeedNet);
  CHECK_THROWS_WITH(RenderConfig(c, false, log),
                    "fetching the config referenced 'http://127.0.0.1:1/c' (at $.ignition.config.replace): "
                    "fetching referenced configs is not implemented");
}

TEST_CASE("render: data references with compression or a hash are refused", "[render]") {
  CapturingSink sink;
  Log log(sink);
  schema::Config gz = ConfigOf(
      R"({"ignition":{"version":"3.4.0","config":{"replace":{"source":"data:;base64,H4sI","compression":"gzip"}}}})");
  CHECK_THROWS_WITH(RenderConfig(gz, false, log),
                    "reading the config referenced (at $.ignition.config.replace): compressed config references "
                    "are not implemented");
  schema::Config hashed = ConfigOf(
      R"({"ignition":{"version":"3.4.0","config":{"replace":{"source":"data:,%7B%7D","verification":{"hash":"sha512-cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"}}}}})");
  CHECK_THROWS_WITH(RenderConfig(hashed, false, log),
                    "reading the config referenced (at $.ignition.config.replace): verifying hashes of config "
                    "references is not implemented");
}

TEST_CASE("render: an invalid referenced config fails", "[render]") {
  CapturingSink sink;
  Log log(sink);
  schema::Config c = ConfigOf(
      R"({"ignition":{"version":"3.4.0","config":{"replace":{"source":"data:,%7B%22ignition%22%3A%7B%22version%22%3A%221.0.0%22%7D%7D"}}}})");
  CHECK_THROWS_AS(RenderConfig(c, false, log), Failure);
  CHECK(sink.Text().find("ERROR: the reference at $.ignition.config.replace: error at $.ignition.version") !=
        std::string::npos);
}

TEST_CASE("render: certificate authorities must be inline", "[render]") {
  CapturingSink sink;
  Log log(sink);
  schema::Config inline_ca = ConfigOf(
      R"({"ignition":{"version":"3.4.0","security":{"tls":{"certificateAuthorities":[{"source":"data:,PEM"}]}}}})");
  CHECK(RenderConfig(inline_ca, false, log) == inline_ca);
  schema::Config remote_ca = ConfigOf(
      R"({"ignition":{"version":"3.4.0","security":{"tls":{"certificateAuthorities":[{"source":"https://127.0.0.1:1/ca.pem"}]}}}})");
  CHECK_THROWS_AS(RenderConfig(remote_ca, true, log), NeedNet);
  CHECK_THROWS_WITH(RenderConfig(remote_ca, false, log),
                    "fetching the certificate authority 'https://127.0.0.1:1/ca.pem' (at "
                    "$.ignition.security.tls.certificateAuthorities.0): fetching certificate authorities is not "
                    "implemented");
}

}  // namespace
}  // namespace flint::agent
