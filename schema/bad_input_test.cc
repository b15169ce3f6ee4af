// Inputs that are not valid configs at all: each gives a clear report entry
// with line and column, never a crash, a hang or a copy of the input.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "schema/parse.h"

namespace flint::schema {
namespace {

std::string ReportOf(std::string_view bytes) { return Parse(bytes).report.String(); }

const std::string kHead = R"({"ignition": {"version": "3.4.0"}, )";  // 35 bytes

TEST_CASE("bad input: not JSON at all") {
  CHECK(ReportOf("hello") ==
        "error at line 1 col 1: invalid JSON: unexpected character 'h'; expected a value\n");
  CHECK(ReportOf("ignition:\n  version: 3.4.0\n") ==
        "error at line 1 col 1: invalid JSON: unexpected character 'i'; expected a value\n");
  CHECK(ReportOf("{'ignition': 1}") ==
        "error at line 1 col 2: invalid JSON: unexpected character '''; expected a string key or "
        "'}'\n");
  CHECK(ReportOf("{ignition: 1}") ==
        "error at line 1 col 2: invalid JSON: unexpected character 'i'; expected a string key or "
        "'}'\n");
  CHECK(ReportOf("\n\n   @") ==
        "error at line 3 col 4: invalid JSON: unexpected character '@'; expected a value\n");
}

TEST_CASE("bad input: JSON with comments names the rule") {
  CHECK(ReportOf("{\n  \"ignition\": {\"version\": \"3.4.0\"} # the version\n}") ==
        "error at line 2 col 36: invalid JSON: unexpected character '#'; expected ',' or '}' "
        "(comments are not allowed in JSON)\n");
  CHECK(ReportOf("// generated\n{}") ==
        "error at line 1 col 1: invalid JSON: unexpected character '/'; expected a value "
        "(comments are not allowed in JSON)\n");
  CHECK(ReportOf("{\"ignition\": /* v */ {}}") ==
        "error at line 1 col 14: invalid JSON: unexpected character '/'; expected a value "
        "(comments are not allowed in JSON)\n");
  CHECK(ReportOf("{\"a\": 1,\n # x\n \"b\": 2}") ==
        "error at line 2 col 2: invalid JSON: unexpected character '#'; expected a string key "
        "(comments are not allowed in JSON)\n");
}

TEST_CASE("bad input: a truncated file fails at every cut, at the end of the input") {
  const std::string full =
      "{\n  \"ignition\": {\"version\": \"3.4.0\"},\n  \"storage\": {\"files\": [\n"
      "    {\"path\": \"/etc/motd\", \"mode\": 420, \"overwrite\": true,\n"
      "     \"contents\": {\"source\": \"data:,hello%20\\u0041\"}}]}\n}\n";
  REQUIRE(Parse(full).config);
  for (size_t cut = 1; cut + 1 < full.size(); ++cut) {
    std::string prefix = full.substr(0, cut);
    CAPTURE(prefix);
    ParseResult r = Parse(prefix);
    CHECK_FALSE(r.config);
    REQUIRE(r.report.entries().size() == 1);
    const Entry& e = r.report.entries()[0];
    CHECK_THAT(e.message, Catch::StartsWith("invalid JSON: "));
    REQUIRE(e.position);
    // The problem is seen at the cut (or, for a cut literal or number, where
    // the cut token starts on the same line).
    size_t line = 1 + static_cast<size_t>(std::count(prefix.begin(), prefix.end(), '\n'));
    CHECK(e.position->line == line);
  }
  auto cut_after = [&](const std::string& s) {
    return ReportOf(full.substr(0, full.find(s) + s.size()));
  };
  CHECK(cut_after("\"3.4.0\"}") ==
        "error at line 2 col 35: invalid JSON: unexpected end of input; expected ',' or '}'\n");
  CHECK(cut_after("},\n") ==
        "error at line 3 col 1: invalid JSON: unexpected end of input; expected a string key\n");
  CHECK(cut_after("{\"version\": \"3") ==
        "error at line 2 col 29: invalid JSON: unexpected end of input in a string (missing "
        "closing quote)\n");
  CHECK(cut_after("\"mode\": ") ==
        "error at line 4 col 35: invalid JSON: unexpected end of input; expected a value\n");
  CHECK(cut_after("\"mode\": 42") ==
        "error at line 4 col 37: invalid JSON: unexpected end of input; expected ',' or '}'\n");
  CHECK(cut_after("\"overwrite\": tr") ==
        "error at line 4 col 53: invalid JSON: invalid literal; expected true\n");
  CHECK(cut_after("hello%20\\u00") ==
        "error at line 5 col 44: invalid JSON: invalid \\u escape in a string: expected four hex "
        "digits\n");
}

TEST_CASE("bad input: 200 000 levels of nesting are refused at level 1001") {
  std::string arrays(200000, '[');
  arrays += std::string(200000, ']');
  CHECK(ReportOf(arrays) ==
        "error at line 1 col 1001: invalid JSON: nesting deeper than 1000 levels\n");

  std::string objects;
  for (int i = 0; i < 200000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(200000, '}');
  CHECK(ReportOf(objects) ==
        "error at line 1 col 5001: invalid JSON: nesting deeper than 1000 levels\n");

  // Unclosed: the same refusal, not an end-of-input error.
  CHECK(ReportOf(std::string(200000, '[')) ==
        "error at line 1 col 1001: invalid JSON: nesting deeper than 1000 levels\n");
}

TEST_CASE("bad input: 1000 levels are still read") {
  std::string deep = kHead + "\"x\": " + std::string(999, '[') + std::string(999, ']') + "}";
  ParseResult r = Parse(deep);
  CHECK(r.report.String() == "warning at $.x, line 1 col 36: unused key x\n");
  CHECK(r.config);
}

TEST_CASE("bad input: a 100 MB string as a file contents source") {
  const size_t kSize = 100 * 1000 * 1000;
  std::string source = "data:," + std::string(kSize, 'A');
  std::string config = kHead +
                       R"("storage": {"files": [{"path": "/big", "contents": {"source": ")" +
                       source + "\"}}]}}";
  ParseResult ok = Parse(config);
  REQUIRE(ok.config);
  REQUIRE(ok.config->storage.files.size() == 1);
  CHECK(ok.config->storage.files[0].contents.source->size() == source.size());
  CHECK(ok.report.empty());

  // One invalid byte at its very end: reported at that column, and the
  // message does not repeat the string.
  std::string bad = config;
  size_t at = bad.find("\"}}]}}");
  bad[at - 1] = '\xFF';
  std::string report = ReportOf(bad);
  CHECK(report == "error at line 1 col " + std::to_string(at) +
                      ": invalid JSON: invalid UTF-8 byte 0xFF in a string\n");

  // Cut inside the string: reported at the end, without the string.
  CHECK(ReportOf(std::string_view(config).substr(0, at)) ==
        "error at line 1 col " + std::to_string(at + 1) +
            ": invalid JSON: unexpected end of input in a string (missing closing quote)\n");

  // The wrong type for a field: the 100 MB value is not echoed either.
  std::string wrong =
      kHead + R"("storage": {"files": [{"path": ")" + source + "\", \"mode\": \"0644\"}]}}";
  CHECK(ReportOf(wrong) == "error at $.storage.files.0.mode, line 1 col " +
                               std::to_string(wrong.size() - 9) +
                               ": invalid type: expected an integer, found a string\n");
}

TEST_CASE("bad input: invalid UTF-8 in values, keys and between tokens") {
  CHECK(ReportOf(kHead + "\"storage\": {\"files\": [{\"path\": \"/a\xC3\x28\"}]}}") ==
        "error at line 1 col 70: invalid JSON: invalid UTF-8 byte 0xC3 in a string\n");
  CHECK(ReportOf(kHead + "\"stor\xFF\": {}}") ==
        "error at line 1 col 41: invalid JSON: invalid UTF-8 byte 0xFF in a string\n");
  CHECK(ReportOf(kHead + "\"storage\": \xE2\x80\x9C{}\xE2\x80\x9D}") ==
        "error at line 1 col 47: invalid JSON: unexpected byte 0xE2; expected a value\n");
  // Encoded surrogates (CESU-8) and overlong forms are not UTF-8 either.
  CHECK(ReportOf(kHead + "\"x\": \"\xED\xA0\xBD\xED\xB8\x80\"}") ==
        "error at line 1 col 42: invalid JSON: invalid UTF-8 byte 0xED in a string\n");
  CHECK(ReportOf(kHead + "\"x\": \"\xC0\xAF\"}") ==
        "error at line 1 col 42: invalid JSON: invalid UTF-8 byte 0xC0 in a string\n");
  CHECK(ReportOf(kHead + "\"x\": \"\\udead\"}") ==
        "error at line 1 col 42: invalid JSON: invalid \\u escape in a string: a low surrogate "
        "without a "
        "high one before it\n");
  // Well-formed UTF-8 and escapes of it are fine.
  ParseResult ok = Parse(kHead +
                         "\"passwd\": {\"users\": [{\"name\": \"j\xC3\xBCrgen\", \"gecos\": "
                         "\"\\u00fc\\ud83d\\ude00\"}]}}");
  REQUIRE(ok.config);
  CHECK(ok.config->passwd.users[0].name == "j\xC3\xBCrgen");
  CHECK(ok.config->passwd.users[0].gecos == "\xC3\xBC\xF0\x9F\x98\x80");
}

TEST_CASE("bad input: wrong types, each with its path and position") {
  std::string config =
      kHead +
      "\n\"storage\": {\"files\": {\"path\": \"/a\"},"
      "\n \"directories\": [{\"path\": [\"/d\"], \"mode\": \"0755\", \"overwrite\": \"yes\"}],"
      "\n \"links\": [7]},"
      "\n\"systemd\": {\"units\": [{\"name\": \"a.service\", \"enabled\": 1}]},"
      "\n\"passwd\": \"root\"}";
  CHECK(ReportOf(config) ==
        "error at $.passwd, line 6 col 11: invalid type: expected an object, found a string\n"
        "error at $.storage.files, line 2 col 22: invalid type: expected a list, found an object\n"
        "error at $.storage.directories.0.path, line 3 col 27: invalid type: expected a string, "
        "found a list\n"
        "error at $.storage.directories.0.overwrite, line 3 col 64: invalid type: expected a "
        "boolean, found a string\n"
        "error at $.storage.directories.0.mode, line 3 col 43: invalid type: expected an integer, "
        "found a string\n"
        "error at $.storage.links.0, line 4 col 12: invalid type: expected an object, found an "
        "integer\n"
        "error at $.systemd.units.0.enabled, line 5 col 56: invalid type: expected a boolean, "
        "found an integer\n");
  CHECK(ReportOf(R"({"ignition": {"version": 3.4}})") ==
        "error at $.ignition.version, line 1 col 26: invalid config version (couldn't parse)\n");
  CHECK(ReportOf(R"({"ignition": "3.4.0"})") ==
        "error at $.ignition.version, line 1 col 14: invalid config version (couldn't parse)\n");
}

TEST_CASE("bad input: duplicate object keys, at the second key") {
  CHECK(ReportOf(kHead + "\"storage\": {\"files\": [{\"path\": \"/a\",\n \"path\": \"/b\"}]}}") ==
        "error at $.storage.files.0.path, line 2 col 2: duplicate key \"path\"\n");
  CHECK(ReportOf("{\"ignition\": {\"version\": \"3.4.0\", \"version\": \"3.4.0\"}}") ==
        "error at $.ignition.version, line 1 col 35: duplicate key \"version\"\n");
  // Unknown keys too: Go would take the last one silently.
  CHECK(ReportOf(kHead + "\"x\": {\"y\": 1, \"y\": 1}}") ==
        "error at $.x.y, line 1 col 50: duplicate key \"y\"\n");
}

TEST_CASE("bad input: many duplicate keys deep down are listed up to 100") {
  // 1.2 MB that once took minutes and gigabytes: a 1000-element path each.
  std::string members;
  for (int i = 0; i < 200000; ++i) members += i ? ",\"a\":1" : "\"a\":1";
  std::string deep = std::string(999, '[') + "{" + members + "}" + std::string(999, ']');
  ParseResult r = Parse(deep);
  REQUIRE(r.report.entries().size() == 102);
  const Entry& first = r.report.entries()[0];
  CHECK(first.path.size() == 1000);
  CHECK(first.position == Position{1, 1007});
  CHECK(first.message == "duplicate key \"a\"");
  CHECK(r.report.entries()[99].position == Position{1, 1001 + 6 * 100});
  CHECK(r.report.entries()[100].String() ==
        "error at line 1 col 1607: 199899 more duplicate keys are not listed");
  CHECK(r.report.entries()[101].message == "invalid config version (couldn't parse)");
}

TEST_CASE("bad input: numbers beyond 64-bit integers") {
  auto mode = [](const std::string& number) {
    return ReportOf(kHead + "\"storage\": {\"files\": [{\"path\": \"/a\", \"mode\": " + number +
                    "}]}}");
  };
  const std::string at = "error at $.storage.files.0.mode, line 1 col 81: ";
  CHECK(mode("99999999999999999999999") == at + "number is out of range for a 64-bit integer\n");
  CHECK(mode("-99999999999999999999999") == at + "number is out of range for a 64-bit integer\n");
  CHECK(mode("18446744073709551616") == at + "number is out of range for a 64-bit integer\n");
  CHECK(mode("1e400") == at + "number is out of range for a 64-bit integer\n");
  CHECK(mode("-1e99999999999999999999") == at + "number is out of range for a 64-bit integer\n");
  CHECK(mode("46e9223372036854775807") ==
        at + "number is out of range for a 64-bit integer\n");  // fuzz
  CHECK_THAT(mode("-46e-9223372036854775808"),
             Catch::StartsWith(at + "invalid type: expected an integer, found a"));
  CHECK(mode("1" + std::string(100000, '0')) ==
        at + "number is out of range for a 64-bit integer\n");
  CHECK(mode("9223372036854775808") == at + "integer 9223372036854775808 is out of range\n");
  CHECK_THAT(mode("1e-400"), Catch::StartsWith(at + "invalid type: expected an integer, found a"));
  CHECK_THAT(mode("0." + std::string(500, '0') + "1"),
             Catch::StartsWith(at + "invalid type: expected an integer"));
  ParseResult ok =
      Parse(kHead + "\"passwd\": {\"users\": [{\"name\": \"a\", \"uid\": 9223372036854775807}]}}");
  REQUIRE(ok.config);
  CHECK(ok.config->passwd.users[0].uid == 9223372036854775807);
}

TEST_CASE("bad input: malformed numbers and literals") {
  CHECK(ReportOf(kHead + "\"x\": 012}") ==
        "error at line 1 col 42: invalid JSON: invalid number; leading zeros are not allowed\n");
  CHECK(ReportOf(kHead + "\"x\": -}") ==
        "error at line 1 col 42: invalid JSON: invalid number; expected a digit after '-'\n");
  CHECK(ReportOf(kHead + "\"x\": 1.}") ==
        "error at line 1 col 43: invalid JSON: invalid number; expected a digit after '.'\n");
  CHECK(ReportOf(kHead + "\"x\": 1e+}") ==
        "error at line 1 col 44: invalid JSON: invalid number; expected a digit in the exponent\n");
  CHECK(ReportOf(kHead + "\"x\": +1}") ==
        "error at line 1 col 41: invalid JSON: unexpected character '+'; expected a value\n");
  CHECK(ReportOf(kHead + "\"x\": NaN}") ==
        "error at line 1 col 41: invalid JSON: unexpected character 'N'; expected a value\n");
  CHECK(ReportOf(kHead + "\"x\": True}") ==
        "error at line 1 col 41: invalid JSON: unexpected character 'T'; expected a value\n");
  CHECK(ReportOf(kHead + "\"x\": nul}") ==
        "error at line 1 col 41: invalid JSON: invalid literal; expected null\n");
  CHECK(ReportOf(kHead + "\"x\": [1, 2,]}") ==
        "error at line 1 col 47: invalid JSON: unexpected character ']'; expected a value\n");
  CHECK(ReportOf(kHead + "\"x\": 1,}") ==
        "error at line 1 col 43: invalid JSON: unexpected character '}'; expected a string key\n");
  CHECK(ReportOf(kHead + "\"x\" 1}") ==
        "error at line 1 col 40: invalid JSON: unexpected character '1'; expected ':' after an "
        "object key\n");
}

TEST_CASE("bad input: empty, blank, and trailing bytes") {
  CHECK(ReportOf("") == "error: not a config (empty)\n");
  CHECK(ReportOf(" \n\t\r\n") ==
        "error at line 3 col 1: invalid JSON: unexpected end of input; expected a value\n");
  CHECK(ReportOf(std::string("\0", 1)) ==
        "error at line 1 col 1: invalid JSON: unexpected byte 0x00; expected a value\n");
  CHECK(ReportOf("{\"ignition\": {\"version\": \"3.4.0\"}}" + std::string("\0", 1)) ==
        "error at line 1 col 35: invalid JSON: unexpected byte 0x00; expected end of input\n");
  CHECK(ReportOf("{\"ignition\": {\"version\": \"3.4.0\"}}\n{}") ==
        "error at line 2 col 1: invalid JSON: unexpected character '{'; expected end of input\n");
  CHECK(Parse("{\"ignition\": {\"version\": \"3.4.0\"}}\r\n\t ").config);
}

TEST_CASE("bad input: a byte order mark is refused, as Go's JSON decoder does") {
  CHECK(ReportOf("\xEF\xBB\xBF{\"ignition\": {\"version\": \"3.4.0\"}}") ==
        "error at line 1 col 1: invalid JSON: byte order mark (U+FEFF) at the start; JSON must not "
        "have one\n");
  CHECK(ReportOf("\xEF\xBB{}") ==
        "error at line 1 col 1: invalid JSON: unexpected byte 0xEF; expected a value\n");
}

TEST_CASE("bad input: a document that is not an object has no version") {
  for (const char* doc :
       {"[]", "[{\"ignition\": {\"version\": \"3.4.0\"}}]", "\"3.4.0\"", "3", "null", "true"}) {
    CAPTURE(doc);
    CHECK(ReportOf(doc) ==
          "error at $.ignition.version, line 1 col 1: invalid config version (couldn't parse)\n");
  }
}

}  // namespace
}  // namespace flint::schema
