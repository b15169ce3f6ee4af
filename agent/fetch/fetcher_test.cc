#include "agent/fetch/fetcher.h"

#include <catch2/catch.hpp>

#include "agent/error.h"
#include "agent/fetch/gzip_for_tests.h"
#include "agent/log.h"

namespace flint::agent {
namespace {

schema::Resource Source(std::string url) {
  schema::Resource r;
  r.source = std::move(url);
  return r;
}

const schema::Path kAt = schema::Path() / "storage" / "files" / 0 / "contents";

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    out += std::string{kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += std::string{kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

struct Fixture {
  CapturingSink log_sink;
  Log log{log_sink};
};

TEST_CASE("fetcher: data URLs are decoded; nothing is written for an empty source") {
  Fixture f;
  auto fetcher = MakeFetcher(f.log);
  CHECK(fetcher->FetchToString(Source("data:;base64,aGVsbG8="), kAt) == "hello");
  CHECK(fetcher->FetchToString(Source("data:,a%20b"), kAt) == "a b");
  CHECK(fetcher->FetchToString(Source(""), kAt).empty());
  CHECK(fetcher->FetchToString(schema::Resource(), kAt).empty());
}

TEST_CASE("fetcher: gzip-compressed, hash-verified data URLs (as Butane writes them)") {
  Fixture f;
  auto fetcher = MakeFetcher(f.log);
  schema::Resource r = Source("data:;base64," + Base64(testing::Gzip("hello\n")));
  r.compression = "gzip";
  r.verification.hash =
      "sha512-e7c22b994c59d9cf2b48e549b1e24666636045930d3da7c1acb299d1c3b7f931f94aae41edda2c2b207a36e10f8bcb8d45223e5"
      "4878f5b316e7ce3b6bc019629";
  CHECK(fetcher->FetchToString(r, kAt) == "hello\n");
  r.verification.hash = "sha256-" + std::string(64, 'a');
  CHECK_THROWS_WITH(fetcher->FetchToString(r, kAt),
                    "fetching 'data:' (at $.storage.files.0.contents): hash verification failed "
                    "(calculated 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03 but expected " +
                        std::string(64, 'a') + ")");
}

TEST_CASE("fetcher: a gzip bomb in a data URL stops at the limit") {
  Fixture f;
  FetcherOptions options;
  options.max_decompressed_bytes = 1 << 20;
  auto fetcher = MakeFetcher(f.log, options);
  schema::Resource r = Source("data:;base64," + Base64(testing::Gzip(std::string(4 << 20, 'x'), 9)));
  r.compression = "gzip";
  CHECK_THROWS_WITH(fetcher->FetchToString(r, kAt),
                    Catch::Contains("gzip: refusing to decompress more than 1 MiB"));
}

TEST_CASE("fetcher: malformed data URLs and unknown schemes are refused") {
  Fixture f;
  auto fetcher = MakeFetcher(f.log);
  CHECK_THROWS_WITH(fetcher->FetchToString(Source("data:;base64,aGVsbG8"), kAt),
                    "fetching 'data:' (at $.storage.files.0.contents): malformed data URL: illegal "
                    "base64 data at input byte 4");
  CHECK_THROWS_WITH(fetcher->FetchToString(Source("ftp://example.com/x"), kAt),
                    "fetching 'ftp://example.com/x' (at $.storage.files.0.contents): unsupported source scheme");
  CHECK_THROWS_WITH(fetcher->FetchToString(Source("file:///etc/passwd"), kAt), Catch::EndsWith("unsupported source scheme"));
}

TEST_CASE("fetcher: offline, network sources need networking; data URLs do not") {
  Fixture f;
  FetcherOptions options;
  options.offline = true;
  auto fetcher = MakeFetcher(f.log, options);
  CHECK(fetcher->FetchToString(Source("data:,x"), kAt) == "x");
  for (const char* url : {"http://10.0.0.1/a", "https://h/a", "tftp://h/a", "s3://b/k", "gs://b/o", "arn:aws:s3:::b/k"}) {
    INFO(url);
    CHECK_THROWS_AS(fetcher->FetchToString(Source(url), kAt), NeedNet);
  }
  CHECK_THROWS_AS(fetcher->FetchHttp({"http://169.254.169.254/latest/user-data", "GET", {}, {}, "the aws user data"}),
                  NeedNet);
}

TEST_CASE("fetcher: certificate authorities must be PEM certificates") {
  Fixture f;
  auto fetcher = MakeFetcher(f.log);
  schema::Ignition settings;
  settings.security.tls.certificate_authorities = {Source("data:,not%20a%20certificate")};
  CHECK_THROWS_WITH(fetcher->Configure(settings),
                    "loading the certificate authority 'data:' (at "
                    "$.ignition.security.tls.certificateAuthorities.0): no PEM certificate found (expected -----BEGIN "
                    "CERTIFICATE-----)");
}

TEST_CASE("fetcher: the base class refuses HTTP for providers") {
  class Null : public Fetcher {
   public:
    void Fetch(const schema::Resource&, const schema::Path&, ByteSink&) override {}
    void Configure(const schema::Ignition&) override {}
  } null;
  CHECK_THROWS_WITH(null.FetchHttp({"http://h/x", "GET", {}, {}, "the user data"}),
                    "fetching the user data 'http://h/x': this fetcher cannot fetch over HTTP");
}

}  // namespace
}  // namespace flint::agent
