#include "schema/version.h"

#include <catch2/catch.hpp>

#include "schema/parse.h"

namespace flint::schema {
namespace {

TEST_CASE("exactly the eight spec versions are accepted") {
  const char* accepted[] = {"3.0.0", "3.1.0", "3.2.0", "3.3.0",
                            "3.4.0", "3.5.0", "3.6.0", "3.7.0-experimental"};
  int i = 0;
  for (const char* s : accepted) {
    INFO(s);
    auto v = VersionFromString(s);
    REQUIRE(v);
    CHECK(static_cast<int>(*v) == i++);
    CHECK(VersionString(*v) == s);
  }
  for (const char* s : {"3.6.0-experimental", "3.4.0-experimental", "3.8.0", "2.2.0", "3.0",
                        "3.0.0 ", "v3.0.0", ""}) {
    INFO(s);
    CHECK_FALSE(VersionFromString(s));
  }
}

TEST_CASE("IsSemver separates unparseable versions from unsupported ones") {
  for (const char* s : {"3.0.0", "2.2.0", "3.8.0", "3.4.0-experimental", "10.20.30",
                        "1.0.0-alpha.1", "1.0.0+build.5"})
    CHECK(IsSemver(s));
  for (const char* s : {"", "3", "3.0", "3.0.0.0", "v3.0.0", "03.0.0", "3.0.0-", "3.0.0-a..b",
                        "a.b.c", " 3.0.0"})
    CHECK_FALSE(IsSemver(s));
}

std::string Report(std::string_view config) { return Parse(config).report.String(); }

TEST_CASE("version problems get upstream's messages") {
  CHECK(Report(R"({"ignition":{"version":"2.2.0"}})") ==
        "error at $.ignition.version, line 1 col 24: unsupported config version\n");
  CHECK(Report(R"({"ignition":{"version":"3.8.0"}})") ==
        "error at $.ignition.version, line 1 col 24: unsupported config version\n");
  CHECK(Report(R"({"ignition":{"version":"3.4.0-experimental"}})") ==
        "error at $.ignition.version, line 1 col 24: unsupported config version\n");
  CHECK(Report(R"({"ignition":{"version":"three"}})") ==
        "error at $.ignition.version, line 1 col 24: invalid config version (couldn't parse)\n");
  // Without a version the deepest existing node is the whole document.
  CHECK(Report(R"({"storage":{}})") ==
        "error at $.ignition.version, line 1 col 1: invalid config version (couldn't parse)\n");
  CHECK(Report("") == "error: not a config (empty)\n");
}

TEST_CASE("every accepted version parses and is translated to the newest") {
  for (int i = 0; i < kVersionCount; ++i) {
    std::string v(VersionString(static_cast<Version>(i)));
    INFO(v);
    ParseResult r = Parse(R"({"ignition":{"version":")" + v + R"("}})");
    REQUIRE(r.config);
    CHECK(r.version == static_cast<Version>(i));
    CHECK(r.config->ignition.version == "3.7.0-experimental");
  }
}

}  // namespace
}  // namespace flint::schema
