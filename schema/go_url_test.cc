#include "schema/go_url.h"

#include <catch2/catch.hpp>

namespace flint::schema {
namespace {

TEST_CASE("ParseGoUrl splits as Go's url.Parse") {
  auto u = ParseGoUrl("HTTPS://user:pw@host.example:8443/a%20b?x=1#frag");
  REQUIRE(u);
  CHECK(u->scheme == "https");
  CHECK(u->host == "host.example:8443");
  CHECK(u->path == "/a b");
  CHECK(u->raw_query == "x=1");
  auto arn = ParseGoUrl("arn:aws:s3:::bucket/key?versionId=3");
  REQUIRE(arn);
  CHECK(arn->opaque == "aws:s3:::bucket/key");
  CHECK(arn->raw_query == "versionId=3");
}

TEST_CASE("ParseGoUrl finds a control character anywhere in a long URL") {
  std::string base = "data:;base64," + std::string(40, 'A');  // 53 bytes: six words and a tail
  CHECK(ParseGoUrl(base));
  CHECK(ParseGoUrl(base + "\xc3\xa9\xff"));  // bytes >= 0x80 are not control characters
  for (size_t at : {size_t{0}, size_t{7}, size_t{8}, size_t{20}, base.size() - 1, base.size()}) {
    for (char ctl : {'\x00', '\x1f', '\x7f', '\n'}) {
      std::string bad = base;
      bad.insert(at, 1, ctl);
      INFO("control character " << int(ctl) << " at " << at);
      CHECK_FALSE(ParseGoUrl(bad));
    }
  }
}

TEST_CASE("ParseGoUrl rejects what Go rejects") {
  for (const char* bad : {"http://h/%zz", "http://h:x/", "http://[::1", "http://a b/", ":x",
                          "a:b", "http://h/\x01", "http://us{er@h/", "http://h/#%zz"}) {
    INFO(bad);
    if (std::string_view(bad) == "a:b") {
      CHECK(ParseGoUrl(bad));  // a scheme with an opaque part
      continue;
    }
    CHECK_FALSE(ParseGoUrl(bad));
  }
  CHECK_FALSE(ParseGoUrl("1a:b/c"));  // a colon in the first segment of a relative URL
  CHECK(ParseGoUrl("b/c:d"));
  CHECK(ParseGoUrl(""));
}

TEST_CASE("GoQueryValues follows url.ParseQuery") {
  bool present = false;
  CHECK(GoQueryValues("a=1&versionId=&b", "versionId", &present) == std::vector<std::string>{""});
  CHECK(present);
  CHECK(GoQueryValues("versionId;x=1", "versionId", &present).empty());
  CHECK_FALSE(present);
  CHECK(GoQueryValues("version%49d=a+b", "versionId", &present) ==
        std::vector<std::string>{"a b"});
}

}  // namespace
}  // namespace flint::schema
