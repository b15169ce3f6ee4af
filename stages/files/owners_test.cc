#include "stages/files/owners.h"

#include <catch2/catch.hpp>

#include "agent/error.h"
#include "tests/temp_dir.h"

namespace flint::stages {
namespace {

using flint::testing::TempDir;

constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "# a comment:x:5:5\n"
    "+nis:x:6:6::/:/bin/false\n"
    "broken:x:notanumber:7::/:/bin/false\n"
    "broken:x:77:7::/:/bin/false\n"
    "core:x:1000:1000:CoreOS Admin:/var/home/core:/bin/bash\n"
    "core:x:2000:2000:second entry:/:/bin/false\n"
    "short:x\n"
    "nolf:x:42:42::/:/bin/sh";

TEST_CASE("owners: ids from passwd/group text", "[owners]") {
  CHECK(LookupId(kPasswd, "root") == 0u);
  CHECK(LookupId(kPasswd, "core") == 1000u);  // the first line wins
  CHECK(LookupId(kPasswd, "broken") == 77u);  // a line without a decimal id is skipped
  CHECK(LookupId(kPasswd, "nolf") == 42u);
  CHECK_FALSE(LookupId(kPasswd, "nis").has_value());
  CHECK_FALSE(LookupId(kPasswd, "+nis").has_value());
  CHECK_FALSE(LookupId(kPasswd, "short").has_value());
  CHECK_FALSE(LookupId(kPasswd, "# a comment").has_value());
  CHECK_FALSE(LookupId(kPasswd, "cor").has_value());
  CHECK_FALSE(LookupId(kPasswd, "").has_value());
  CHECK(LookupId("wheel:x:10:core,admin\n", "wheel") == 10u);
}

TEST_CASE("owners: ids, names and defaults", "[owners]") {
  TempDir tmp;
  tmp.Write("etc/passwd", kPasswd);
  tmp.Write("etc/group", "root:x:0:\nwheel:x:10:core\n");
  tmp.Write("usr/lib/passwd", "polkitd:x:998:996::/:/sbin/nologin\ncore:x:3000:3000::/:/bin/sh\n");
  tmp.Write("usr/lib/group", "polkitd:x:996:\n");
  agent::Root root(tmp.path());
  Owners owners(root);
  schema::Path at = schema::Path() / "storage" / "files" / 3 / "user";

  schema::NodeOwner none;
  CHECK(owners.Uid(none, 55, at) == 55u);
  CHECK(owners.Uid({std::nullopt, std::string("")}, 55, at) == 55u);
  CHECK(owners.Uid({1234, std::string("core")}, 55, at) == 1234u);  // the id wins
  CHECK(owners.Uid({std::nullopt, std::string("core")}, 55, at) == 1000u);
  CHECK(owners.Gid({std::nullopt, std::string("wheel")}, 55, at) == 10u);
  // Not in /etc: the altfiles databases of CoreOS.
  CHECK(owners.Uid({std::nullopt, std::string("polkitd")}, 55, at) == 998u);
  CHECK(owners.Gid({std::nullopt, std::string("polkitd")}, 55, at) == 996u);

  REQUIRE_THROWS_WITH(owners.Uid({std::nullopt, std::string("nobody")}, 0, at),
                      "looking up user 'nobody' (at $.storage.files.3.user.name): no such user in '" +
                          (tmp / "etc/passwd").string() + "' or '" + (tmp / "usr/lib/passwd").string() + "'");
  REQUIRE_THROWS_WITH(owners.Gid({std::nullopt, std::string("core")}, 0, at / "x"),
                      Catch::StartsWith("looking up group 'core' (at $.storage.files.3.user.x.name): no such group"));

  SECTION("a changed file is read again") {
    tmp.Write("etc/passwd", std::string(kPasswd) + "\nnewuser:x:1001:1001::/:/bin/sh\n");
    CHECK(owners.Uid({std::nullopt, std::string("newuser")}, 0, at) == 1001u);
  }
  SECTION("missing databases are no such user") {
    std::filesystem::remove(tmp / "etc/group");
    std::filesystem::remove(tmp / "usr/lib/group");
    CHECK_THROWS_WITH(owners.Gid({std::nullopt, std::string("wheel")}, 0, at), Catch::Contains("no such group"));
  }
}

}  // namespace
}  // namespace flint::stages
