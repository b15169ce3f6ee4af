#include "schema/unit_file.h"

#include <catch2/catch.hpp>

namespace flint::schema {
namespace {

TEST_CASE("ParseUnitFile keeps sections, options and continuation lines") {
  UnitFile u = ParseUnitFile(
      "# comment \\\n  continued\n[Unit]\nDescription = a b \n\n[Service]\nExecStart=/bin/x \\\n"
      "  --flag\n; note\n[Install]\nWantedBy=multi-user.target\n");
  REQUIRE_FALSE(u.error);
  REQUIRE(u.options.size() == 3);
  CHECK(u.options[0].section == "Unit");
  CHECK(u.options[0].name == "Description");
  CHECK(u.options[0].value == "a b");
  CHECK(u.options[1].section == "Service");
  CHECK(u.options[1].value == "/bin/x \\\n  --flag");
  CHECK(u.options[2].section == "Install");
}

TEST_CASE("ParseUnitFile ignores text before the first section") {
  UnitFile u = ParseUnitFile("Foo=bar\n[Unit]\n");
  CHECK_FALSE(u.error);
  CHECK(u.options.empty());
}

TEST_CASE("ParseUnitFile reports go-systemd's errors") {
  CHECK(ParseUnitFile("[Unit").error == "unable to find end of section");
  CHECK(ParseUnitFile("[Unit] x\n").error == "found garbage after section name : [120]");
  CHECK(ParseUnitFile("[Unit]\nFoo").error == "EOF");
  CHECK(ParseUnitFile("[Unit]\nFoo\nBar=1\n").error ==
        "unexpected newline encountered while parsing option name");
  CHECK_FALSE(ParseUnitFile("").error);
}

TEST_CASE("ParseUnitFile refuses lines of 2048 bytes or more, as go-systemd's bufio check") {
  std::string ok = "[Unit]\nDescription=" + std::string(2030, 'x') + "\n";
  CHECK_FALSE(ParseUnitFile(ok).error);
  std::string longer = "[Unit]\nDescription=" + std::string(2100, 'x') + "\n";
  CHECK(ParseUnitFile(longer).error == "line too long (max 2048 bytes)");
  // The check only sees what is buffered: a long line that starts when
  // less than 2048 bytes are left in the 4096-byte buffer slips through.
  std::string head = "[Unit]\n";
  while (head.size() < 3000) head += "A=" + std::string(60, 'y') + "\n";
  std::string slips = head + "B=" + std::string(2500, 'z') + "\n";
  CHECK_FALSE(ParseUnitFile(slips).error);
}

TEST_CASE("GoTrimSpace trims Unicode white space") {
  CHECK(GoTrimSpace(" \t\xC2\xA0 x y\r\n\xE3\x80\x80") == "x y");
  CHECK(GoTrimSpace("") == "");
}

}  // namespace
}  // namespace flint::schema
