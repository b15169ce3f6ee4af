#include "schema/json_reader.h"

#include <catch2/catch.hpp>

namespace flint::schema {
namespace {

TEST_CASE("ReadJson records where each value and key starts") {
  Report report;
  auto doc = ReadJson("{\n  \"a\": [1, \"x\",\n    {\"b\": true}],\n  \"c\": -2.5\n}", report);
  REQUIRE(doc);
  CHECK(report.empty());
  CHECK(doc->positions.ValuePosition(Path()) == Position{1, 1});
  CHECK(doc->positions.ValuePosition(Path() / "a") == Position{2, 8});
  CHECK(doc->positions.KeyPosition(Path() / "a") == Position{2, 3});
  CHECK(doc->positions.ValuePosition(Path() / "a" / 0) == Position{2, 9});
  CHECK(doc->positions.ValuePosition(Path() / "a" / 1) == Position{2, 12});
  CHECK(doc->positions.ValuePosition(Path() / "a" / 2) == Position{3, 5});
  CHECK(doc->positions.ValuePosition(Path() / "a" / 2 / "b") == Position{3, 11});
  CHECK(doc->positions.ValuePosition(Path() / "c") == Position{4, 8});
  CHECK(doc->root["c"].get<double>() == -2.5);
}

TEST_CASE("ReadJson positions are not fooled by escapes and brackets inside strings") {
  Report report;
  auto doc = ReadJson(R"({"k\"{[": "v\\\"[", "n": 7})", report);
  REQUIRE(doc);
  CHECK(doc->positions.ValuePosition(Path() / "n") == Position{1, 26});
  CHECK(doc->root["k\"{["] == "v\\\"[");
}

TEST_CASE("ReadJson rejects what is not JSON, with line and column") {
  Report report;
  CHECK_FALSE(ReadJson("{\n  # a comment\n  \"a\": 1\n}", report));
  REQUIRE(report.entries().size() == 1);
  const Entry& e = report.entries()[0];
  CHECK(e.position == Position{2, 3});
  CHECK_THAT(e.String(), Catch::StartsWith("error at line 2 col 3: invalid JSON"));
  CHECK_THAT(e.message, Catch::Contains("comments are not allowed"));
}

TEST_CASE("ReadJson rejects truncated input and invalid UTF-8") {
  Report r1;
  CHECK_FALSE(ReadJson("{\"a\": [1, 2", r1));
  CHECK(r1.HasErrors());
  Report r2;
  CHECK_FALSE(ReadJson("{\"a\": \"\xff\xfe\"}", r2));
  CHECK_THAT(r2.String(), Catch::Contains("UTF-8"));
}

TEST_CASE("ReadJson reports duplicate keys at the second key and keeps the last value") {
  Report report;
  auto doc = ReadJson("{\"a\": 1,\n \"a\": 2}", report);
  REQUIRE(doc);
  CHECK(doc->root["a"] == 2);
  REQUIRE(report.entries().size() == 1);
  CHECK(report.entries()[0].String() == "error at $.a, line 2 col 2: duplicate key \"a\"");
}

TEST_CASE("ReadJson refuses absurd nesting without recursion") {
  std::string deep(200000, '[');
  deep += std::string(200000, ']');
  Report report;
  CHECK_FALSE(ReadJson(deep, report));
  CHECK_THAT(report.String(), Catch::Contains("nesting deeper than 1000 levels"));
}

TEST_CASE("ReadJson tells how much input it is done with, after whole strings") {
  std::string big(700000, 'q');
  std::string text = "{\"a\": [\"" + big + "\", \"" + big + "\", 1, \"" + big + "\"], \"b\": \"" + big + "\"}";
  std::vector<size_t> reports;
  Report report;
  auto doc = ReadJson(text, report, [&reports](size_t consumed) { reports.push_back(consumed); });
  REQUIRE(doc);
  CHECK(report.empty());
  CHECK(doc->root["b"] == big);
  CHECK(doc->root["a"][3] == big);
  REQUIRE(reports.size() >= 2);
  for (size_t i = 0; i < reports.size(); ++i) {
    CHECK(reports[i] <= text.size());
    CHECK(text[reports[i] - 1] == '"');  // just after a string
    if (i > 0) CHECK(reports[i] >= reports[i - 1] + (size_t{1} << 20));
  }
}

}  // namespace
}  // namespace flint::schema
