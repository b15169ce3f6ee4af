#include "schema/report.h"

#include <catch2/catch.hpp>

#include "schema/json_reader.h"

namespace flint::schema {
namespace {

TEST_CASE("entries print in upstream's form") {
  Entry e;
  e.path = Path() / "storage" / "files" / 0 / "path";
  e.message = "path not absolute";
  CHECK(e.String() == "error at $.storage.files.0.path: path not absolute");
  e.position = Position{5, 12};
  CHECK(e.String() == "error at $.storage.files.0.path, line 5 col 12: path not absolute");
  e.severity = Severity::kWarning;
  e.path = Path();
  CHECK(e.String() == "warning at line 5 col 12: path not absolute");
  e.position.reset();
  e.severity = Severity::kInfo;
  CHECK(e.String() == "info: path not absolute");
}

TEST_CASE("Correlate uses the deepest part of the path that exists") {
  Report index_report;
  auto doc = ReadJson("{\"storage\": {\n  \"files\": [{\"path\": \"a\"}]}}", index_report);
  REQUIRE(doc);
  Report r;
  Path file = Path() / "storage" / "files" / 0;
  r.Error(file / "path", "exists");
  r.Error(file / "contents" / "source", "missing");
  r.WarningAtKey(file / "path", "key");
  r.Error(Path() / "passwd", "absent section");
  r.Correlate(doc->positions);
  CHECK(r.String() ==
        "error at $.storage.files.0.path, line 2 col 22: exists\n"
        "error at $.storage.files.0.contents.source, line 2 col 13: missing\n"
        "warning at $.storage.files.0.path, line 2 col 14: key\n"
        "error at $.passwd, line 1 col 1: absent section\n");
  CHECK(r.HasErrors());
}

TEST_CASE("Path prints JSON-path style") {
  CHECK(Path().String() == "$");
  CHECK((Path() / "a" / 3 / "b").String() == "$.a.3.b");
  CHECK((Path() / "a" / 3).Parent() == Path() / "a");
}

}  // namespace
}  // namespace flint::schema
