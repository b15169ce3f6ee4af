#include "schema/json_string.h"

#include <catch2/catch.hpp>

namespace flint::schema {
namespace {

// The decoded value of the literal body `rest` (up to its closing quote), or
// "ERROR@<offset>: <message>".
std::string Read(std::string_view rest) {
  StringScan s = ScanJsonString(rest);
  if (!s.ok) return "ERROR@" + std::to_string(s.error_offset) + ": " + s.error;
  return DecodeJsonString(rest.substr(0, s.length), s.has_escapes);
}

TEST_CASE("ScanJsonString finds the closing quote past escaped quotes") {
  StringScan s = ScanJsonString(R"(a\"b\\" tail")");
  REQUIRE(s.ok);
  CHECK(s.length == 6);
  CHECK(s.has_escapes);
  CHECK(Read(R"(a\"b\\" tail")") == "a\"b\\");
  StringScan plain = ScanJsonString("plain\" x");
  REQUIRE(plain.ok);
  CHECK_FALSE(plain.has_escapes);
}

TEST_CASE("DecodeJsonString decodes every escape, surrogate pairs included") {
  CHECK(Read(R"(\b\f\n\r\t\/\u0041\u00e9\u20ac\ud83d\ude00\u0000")") ==
        std::string("\b\f\n\r\t/A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 16) + std::string(1, '\0'));
}

TEST_CASE("ScanJsonString accepts well-formed UTF-8 at the edges of each range") {
  for (const char* ok : {"\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
                         "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"}) {
    std::string body = std::string(ok) + "\"";
    CAPTURE(body);
    CHECK(Read(body) == ok);
  }
}

TEST_CASE("ScanJsonString rejects ill-formed UTF-8 at the offending byte") {
  CHECK(Read("ab\xFF\"") == "ERROR@2: invalid UTF-8 byte 0xFF in a string");
  CHECK(Read("\xC0\xAF\"") == "ERROR@0: invalid UTF-8 byte 0xC0 in a string");      // overlong '/'
  CHECK(Read("\xE0\x80\xAF\"") == "ERROR@0: invalid UTF-8 byte 0xE0 in a string");  // overlong
  CHECK(Read("\xED\xA0\x80\"") == "ERROR@0: invalid UTF-8 byte 0xED in a string");  // surrogate
  CHECK(Read("\xF4\x90\x80\x80\"") ==
        "ERROR@0: invalid UTF-8 byte 0xF4 in a string");                       // > U+10FFFF
  CHECK(Read("x\x80\"") == "ERROR@1: invalid UTF-8 byte 0x80 in a string");    // lone continuation
  CHECK(Read("x\xE2\x82") == "ERROR@1: invalid UTF-8 byte 0xE2 in a string");  // cut short
}

TEST_CASE("ScanJsonString rejects bad escapes, raw control characters and a missing quote") {
  CHECK(Read(R"(a\x")") == "ERROR@1: invalid escape in a string: \\x");
  CHECK(Read("a\\\x01\"") == "ERROR@1: invalid escape in a string: \\followed by byte 0x01");
  CHECK(Read(R"(\u12G4")") == "ERROR@0: invalid \\u escape in a string: expected four hex digits");
  CHECK(Read(R"(\u12")") == "ERROR@0: invalid \\u escape in a string: expected four hex digits");
  CHECK(Read(R"(x\ud800")") ==
        "ERROR@1: invalid \\u escape in a string: a high surrogate without a low one after it");
  CHECK(Read(R"(\ud800\u0041")") ==
        "ERROR@0: invalid \\u escape in a string: a high surrogate without a low one after it");
  CHECK(Read(R"(\udc00")") ==
        "ERROR@0: invalid \\u escape in a string: a low surrogate without a high one before it");
  CHECK(Read("a\nb\"") == "ERROR@1: control character 0x0A in a string must be escaped");
  CHECK(Read("abc") == "ERROR@3: unexpected end of input in a string (missing closing quote)");
  CHECK(Read("abc\\") == "ERROR@3: unexpected end of input in a string");
}

TEST_CASE("ScanJsonString sees a special byte at every offset of a long plain run") {
  for (size_t i = 0; i < 40; ++i) {
    CAPTURE(i);
    std::string plain(40, 'a');
    std::string quote = plain.substr(0, i) + "\"" + plain;
    StringScan s = ScanJsonString(quote);
    CHECK((s.ok && s.length == i));
    CHECK(Read(plain.substr(0, i) + "\n" + plain) ==
          "ERROR@" + std::to_string(i) + ": control character 0x0A in a string must be escaped");
    CHECK(Read(plain.substr(0, i) + "\x7F\x80" + plain) ==
          "ERROR@" + std::to_string(i + 1) + ": invalid UTF-8 byte 0x80 in a string");
    CHECK(Read(plain.substr(0, i) + "\\t" + plain.substr(i) + "\"") ==
          plain.substr(0, i) + "\t" + plain.substr(i));
    CHECK(Read(plain.substr(0, i) + "\xC3\xA9" + plain + "\"") ==
          plain.substr(0, i) + "\xC3\xA9" + plain);
    CHECK(Read(plain.substr(0, i)) ==
          "ERROR@" + std::to_string(i) +
              ": unexpected end of input in a string (missing closing quote)");
  }
}

}  // namespace
}  // namespace flint::schema
