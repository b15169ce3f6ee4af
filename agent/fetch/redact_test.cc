#include "agent/fetch/redact.h"

#include <catch2/catch.hpp>

namespace flint::agent {
namespace {

TEST_CASE("redact: credentials in URLs never reach a message", "[redact]") {
  CHECK(RedactUrl("https://api-int.example:22623/config/worker") == "https://api-int.example:22623/config/worker");
  CHECK(RedactUrl("http://user:secret@proxy:3128") == "http://***@proxy:3128");
  CHECK(RedactUrl("http://user:secret@proxy:3128/a@b") == "http://***@proxy:3128/a@b");
  CHECK(RedactUrl("https://host/path@x") == "https://host/path@x");
  CHECK(RedactUrl("https://a:b@host/p?q=@") == "https://***@host/p?q=@");
  CHECK(RedactUrl("https://b.s3.amazonaws.com/k?versionId=3&X-Amz-Signature=abc&X-Amz-Credential=AK%2F1") ==
        "https://b.s3.amazonaws.com/k?versionId=3&X-Amz-Signature=***&X-Amz-Credential=***");
  CHECK(RedactUrl("https://h/ign?access_token=t0k#frag") == "https://h/ign?access_token=***#frag");
  CHECK(RedactUrl("https://h/ign?a=1&&b") == "https://h/ign?a=1&&b");
  CHECK(RedactUrl("tftp://10.0.0.1/config.ign") == "tftp://10.0.0.1/config.ign");
  CHECK(RedactUrl("data:;base64,c2VjcmV0") == "data:");
  CHECK(RedactUrl("DATA:,secret") == "data:");
  CHECK(RedactUrl("s3://bucket/key") == "s3://bucket/key");
  CHECK(RedactUrl("arn:aws:s3:::bucket/key") == "arn:aws:s3:::bucket/key");
  CHECK(RedactUrl("system") == "system");
}

}  // namespace
}  // namespace flint::agent
