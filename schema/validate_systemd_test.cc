// systemd units and drop-ins: extensions, contents, enabled without [Install]
// (templates too).
#include <catch2/catch.hpp>

#include "schema/validate_test_helpers.h"

namespace flint::schema {
namespace {

using testing::ReportOf;

TEST_CASE("unit names, contents and [Install] of enabled units") {
  CHECK(ReportOf("3.0.0",
                 R"("systemd":{"units":[{"name":"a.service","enabled":true,"contents":"[Unit]\nDescription=a\n[Install]\nWantedBy=multi-user.target\n"},)"
                 R"({"name":"b.timer","enabled":true,"contents":"[Unit]\nA=b\n"},{"name":"c.service","enabled":true},{"name":"d","mask":true},)"
                 R"({"name":"e.service","dropins":[{"name":"x.txt","contents":"[Service"},{"name":"y.conf","contents":"[Service]\nFoo"},{"name":"y.conf"}]}]})") ==
        "warning at $.systemd.units.1.contents, line 1 col 209: unit \"b.timer\" is enabled, but "
        "has no install section so enable does nothing\n"
        "error at $.systemd.units.3.name, line 1 col 270: invalid systemd unit extension\n"
        "error at $.systemd.units.4.dropins.0.contents, line 1 col 345: invalid unit content: "
        "unable to find end of section\n"
        "error at $.systemd.units.4.dropins.0.name, line 1 col 326: invalid systemd drop-in "
        "extension\n"
        "error at $.systemd.units.4.dropins.1.contents, line 1 col 385: invalid unit content: "
        "EOF\n"
        "error at $.systemd.units.4.dropins.2, line 1 col 403: duplicate entry defined\n");
}

TEST_CASE("every unit type extension is accepted") {
  for (std::string_view ext : {"service", "socket", "device", "mount", "automount", "swap",
                               "target", "path", "timer", "snapshot", "slice", "scope"}) {
    INFO(ext);
    CHECK(ReportOf("3.4.0", R"("systemd":{"units":[{"name":"u.)" + std::string(ext) + R"("}]})").empty());
  }
}

TEST_CASE("an [Install] section without options still warns, as upstream") {
  // Upstream looks for an option in [Install], not for the header.
  CHECK(ReportOf("3.4.0",
                 R"("systemd":{"units":[{"name":"i.service","enabled":true,"contents":""},{"name":"j.service","enabled":true,"contents":"[Install]\n"}]})") ==
        "warning at $.systemd.units.1.contents, line 1 col 149: unit \"j.service\" is enabled, but "
        "has no install section so enable does nothing\n");
}

TEST_CASE("unit contents that go-systemd rejects") {
  CHECK(ReportOf("3.4.0",
                 R"("systemd":{"units":[{"name":"g.service","contents":"[Unit] junk\n"},)"
                 R"({"name":"h.service","contents":"Foo=bar\n[Unit]\n# c \\\n cont\nA = b \\\n c\n"}]})") ==
        "error at $.systemd.units.0.contents, line 1 col 84: invalid unit content: found garbage "
        "after section name : [106 117 110 107]\n");
}

TEST_CASE("enabled instances of a template without [Install]") {
  CHECK(ReportOf("3.4.0",
                 R"("systemd":{"units":[{"name":"t@.service","contents":"[Unit]\nDescription=t\n"},{"name":"t@one.service","enabled":true},)"
                 R"({"name":"t@two.service","enabled":false},{"name":"u@.service","contents":"[Install]\nWantedBy=x\n"},)"
                 R"({"name":"u@one.service","enabled":true},{"name":"v@one.service","enabled":true},{"name":"t@one.service"}]})") ==
        "warning at $.systemd.units.1.contents, line 1 col 112: template unit \"t@.service\" for "
        "\"t@one.service\" doesn't have Install section\n"
        "error at $.systemd.units.6, line 1 col 332: duplicate entry defined\n");
}

}  // namespace
}  // namespace flint::schema
