#include "schema/data_url.h"

#include <catch2/catch.hpp>

namespace flint::schema {
namespace {

std::optional<std::string> Bytes(std::string_view url) { return DecodeDataUrl(url).bytes; }

TEST_CASE("data url decode: plain and percent-encoded", "[data-url]") {
  CHECK(Bytes("data:,hello") == "hello");
  CHECK(Bytes("data:,") == "");
  CHECK(Bytes("data:text/plain;charset=utf-8,a%20b%0A") == "a b\n");
  CHECK(Bytes("data:text/plain;charset=\"utf-8\",x%00y") == std::string("x\0y", 3));
  CHECK(Bytes("DATA:,x") == "x");
  CHECK(Bytes("Data:text/plain,%e2%82%ac") == "\xe2\x82\xac");
  CHECK(Bytes("data:,a+b") == "a+b");  // '+' is not a space here
}

TEST_CASE("data url decode: base64", "[data-url]") {
  CHECK(Bytes("data:;base64,aGVsbG8=") == "hello");
  CHECK(Bytes("data:text/plain;charset=utf-8;base64,aGk=") == "hi");
  CHECK(Bytes("data:application/octet-stream;base64,+/+/") == std::string("\xfb\xff\xbf", 3));
  CHECK(Bytes("data:;base64,Zm9vYg==") == "foob");
  CHECK(Bytes("data:;base64,Zm9vYmE=") == "fooba");
  CHECK(Bytes("data:;base64,Zm9vYmFy") == "foobar");
  CHECK(Bytes("data:;base64,") == "");
  // Whole quantums, then a padded one, of more than one quantum.
  CHECK(Bytes("data:;base64,QUJDREVGR0g=") == "ABCDEFGH");
  CHECK(Bytes("data:;base64,QUJDREVGRw==") == "ABCDEFG");
}

TEST_CASE("data url decode: malformed ones carry the validation message", "[data-url]") {
  struct Case {
    const char* url;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {"data:nocomma", "missing media type slash"},
           {"http://x/,y", "missing data prefix"},
           {"data:,%zz", "rfc2396: invalid char 0x25 in unescape sequence"},
           {"data:,%4", "rfc2396: unexpected end of unescape sequence"},
           {"data:;base64,aGVsbG8", "illegal base64 data at input byte 4"},
           {"data:;base64,a===", "illegal base64 data at input byte 1"},
           // Go's padded decoder: an incomplete last quantum fails at its
           // start, a lone '=' after two characters at the input's end,
           // anything after the padding at the byte that follows it.
           {"data:;base64,QQ", "illegal base64 data at input byte 0"},
           {"data:;base64,QUFBQUFBQQ", "illegal base64 data at input byte 8"},
           {"data:;base64,QUFBQQ=", "illegal base64 data at input byte 7"},
           {"data:;base64,QQ==QQ==", "illegal base64 data at input byte 4"},
           {"data:;base64,QUFBQUE=QQ==", "illegal base64 data at input byte 8"},
           {"data:;base64,QUFB=QUF", "illegal base64 data at input byte 4"},
           {"data:;base64,QUFBQUFBQUF", "illegal base64 data at input byte 8"},
           {"data:;base64,aGVsbG8gd29ybGQ%3D", "invalid data character"},
           {"data:;BASE64,YQ==", "expected base64, got BASE64"},
       }) {
    INFO(c.url);
    DecodedDataUrl d = DecodeDataUrl(c.url);
    CHECK_FALSE(d.bytes.has_value());
    CHECK(d.error == c.error);
    CHECK(DataUrlError(c.url) == c.error);
  }
}

TEST_CASE("data url: scheme check", "[data-url]") {
  CHECK(IsDataUrl("data:,x"));
  CHECK(IsDataUrl("Data:,x"));
  CHECK_FALSE(IsDataUrl("https://x"));
  CHECK_FALSE(IsDataUrl("dat"));
  CHECK_FALSE(IsDataUrl("data\x1a,x"));
}

}  // namespace
}  // namespace flint::schema
