#include "agent/fetch/data_url.h"

#include <catch2/catch.hpp>

namespace flint::agent {
namespace {

TEST_CASE("data url: plain and percent-encoded", "[data-url]") {
  CHECK(DecodeDataUrl("data:,hello") == "hello");
  CHECK(DecodeDataUrl("data:,") == "");
  CHECK(DecodeDataUrl("data:text/plain;charset=utf-8,a%20b%0A") == "a b\n");
  CHECK(DecodeDataUrl("DATA:,x") == "x");
  CHECK(DecodeDataUrl("data:,a+b") == "a+b");  // '+' is not a space here
}

TEST_CASE("data url: base64", "[data-url]") {
  CHECK(DecodeDataUrl("data:;base64,aGVsbG8=") == "hello");
  CHECK(DecodeDataUrl("data:text/plain;charset=utf-8;base64,aGk=") == "hi");
  CHECK(DecodeDataUrl("data:;base64,aGVsbG8gd29ybGQ%3D") == "hello world");
  CHECK(DecodeDataUrl("data:;BASE64,YQ==") == "a");
}

TEST_CASE("data url: malformed", "[data-url]") {
  CHECK_FALSE(DecodeDataUrl("data:nocomma").has_value());
  CHECK_FALSE(DecodeDataUrl("http://x/,y").has_value());
  CHECK_FALSE(DecodeDataUrl("data:,%zz").has_value());
  CHECK_FALSE(DecodeDataUrl("data:,%4").has_value());
  CHECK_FALSE(DecodeDataUrl("data:;base64,aGVsbG8").has_value());
  CHECK_FALSE(DecodeDataUrl("data:;base64,a===").has_value());
  CHECK_FALSE(DecodeDataUrl("data:;base64,a!b=").has_value());
}

TEST_CASE("data url: base64 alone", "[data-url]") {
  CHECK(DecodeBase64("") == "");
  CHECK(DecodeBase64("Zm9v") == "foo");
  CHECK(DecodeBase64("Zm9vYg==") == "foob");
  CHECK(DecodeBase64("Zm9v\r\nYmE=") == "fooba");
  CHECK(DecodeBase64("+/+/") == std::string("\xfb\xff\xbf", 3));
  CHECK_FALSE(DecodeBase64("Zm=v").has_value());
  CHECK_FALSE(DecodeBase64("Zg==Zg==").has_value());
}

TEST_CASE("data url: scheme check", "[data-url]") {
  CHECK(IsDataUrl("data:,x"));
  CHECK(IsDataUrl("Data:,x"));
  CHECK_FALSE(IsDataUrl("https://x"));
  CHECK_FALSE(IsDataUrl("dat"));
}

}  // namespace
}  // namespace flint::agent
