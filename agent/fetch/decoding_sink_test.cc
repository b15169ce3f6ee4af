#include "agent/fetch/decoding_sink.h"

#include <catch2/catch.hpp>

#include "agent/fetch/gzip_for_tests.h"

namespace flint::agent {
namespace {

using testing::Gzip;

// sha512 / sha256 of "hello\n" (as sha512sum / sha256sum print them).
constexpr const char* kHelloSha512 =
    "e7c22b994c59d9cf2b48e549b1e24666636045930d3da7c1acb299d1c3b7f931f94aae41edda2c2b207a36e10f8bcb8d45223e54878f5b316e7ce3b6bc019629";
constexpr const char* kHelloSha256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

TEST_CASE("hash: parsing verification.hash", "[hash]") {
  auto h = ParseExpectedHash(std::string("sha512-") + kHelloSha512);
  REQUIRE(h);
  CHECK(h->algorithm == "sha512");
  CHECK(h->hex == kHelloSha512);
  auto upper = ParseExpectedHash("sha256-5891B5B522D5DF086D0FF0B110FBD9D21BB4FC7163AF34D08286A2E846F6BE03");
  REQUIRE(upper);
  CHECK(upper->hex == kHelloSha256);
  CHECK_FALSE(ParseExpectedHash("sha512-00"));
  CHECK_FALSE(ParseExpectedHash("md5-d41d8cd98f00b204e9800998ecf8427e"));
  CHECK_FALSE(ParseExpectedHash(std::string("sha256-") + std::string(63, '0') + "g"));
  CHECK_FALSE(ParseExpectedHash("sha512"));
}

TEST_CASE("hash: streaming digests match sha512sum and sha256sum", "[hash]") {
  Hasher h512("sha512");
  h512.Update("hel");
  h512.Update("lo\n");
  CHECK(h512.HexDigest() == kHelloSha512);
  Hasher h256("sha256");
  h256.Update("hello\n");
  CHECK(h256.HexDigest() == kHelloSha256);
  h256.Update("junk");
  h256.Reset();
  h256.Update("hello\n");
  CHECK(h256.HexDigest() == kHelloSha256);
}

TEST_CASE("decoding sink: gzip then hash over the decompressed bytes", "[decoding-sink]") {
  StringSink out;
  DecodingSink sink(out, "gzip", std::string("sha512-") + kHelloSha512, 1 << 20);
  std::string gz = Gzip("hello\n");
  for (char c : gz) sink.Write(std::string_view(&c, 1));
  sink.Finish();
  CHECK(out.bytes() == "hello\n");
  CHECK(sink.raw_bytes() == gz.size());
}

TEST_CASE("decoding sink: a mismatch names both sums", "[decoding-sink]") {
  StringSink out;
  std::string wrong(64, '0');
  DecodingSink sink(out, "", "sha256-" + wrong, 1 << 20);
  sink.Write("hello\n");
  CHECK_THROWS_WITH(sink.Finish(), std::string("hash verification failed (calculated ") + kHelloSha256 +
                                       " but expected " + wrong + ")");
}

TEST_CASE("decoding sink: Reset starts over, sink included", "[decoding-sink]") {
  StringSink out;
  DecodingSink sink(out, "gzip", std::string("sha256-") + kHelloSha256, 1 << 20);
  std::string gz = Gzip("hello\n");
  sink.Write(gz.substr(0, gz.size() / 2));
  sink.Reset();
  CHECK(out.bytes().empty());
  sink.Write(gz);
  sink.Finish();
  CHECK(out.bytes() == "hello\n");
}

TEST_CASE("decoding sink: refuses unknown compression and bad content", "[decoding-sink]") {
  StringSink out;
  CHECK_THROWS_WITH(DecodingSink(out, "zstd", "", 1), "unsupported compression 'zstd'");
  CHECK_THROWS_WITH(DecodingSink(out, "", "sha1-00", 1), "unsupported verification hash 'sha1-00'");
  DecodingSink sink(out, "gzip", "", 1 << 20);
  CHECK_THROWS_AS(sink.Write("plain text"), ContentError);
}

}  // namespace
}  // namespace flint::agent
