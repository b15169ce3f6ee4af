#include "stages/files/passwd_db.h"

#include <catch2/catch.hpp>

namespace flint::stages {
namespace {

constexpr const char* kPasswd =
    "root:x:0:0:root:/root:/bin/bash\n"
    "# a comment\n"
    "broken:x:notanumber:0::/:/bin/sh\n"
    "short:x:5\n"
    "core:x:1000:1001:CoreOS Admin:/var/home/core:/bin/bash";  // no final newline

TEST_CASE("passwd db: users by name", "[passwd]") {
  CHECK(FindUser(kPasswd, "core") == PasswdEntry{"core", 1000, 1001, "/var/home/core"});
  CHECK(FindUser(kPasswd, "root") == PasswdEntry{"root", 0, 0, "/root"});
  CHECK_FALSE(FindUser(kPasswd, "broken"));
  CHECK_FALSE(FindUser(kPasswd, "short"));
  CHECK_FALSE(FindUser(kPasswd, "cor"));
  CHECK_FALSE(FindUser("", "core"));
}

TEST_CASE("passwd db: groups by name", "[passwd]") {
  constexpr const char* kGroup = "root:x:0:\nwheel:x:10:core,admin\ndocker:x:990:\n";
  CHECK(FindGroup(kGroup, "wheel") == std::optional<gid_t>(10));
  CHECK(FindGroup(kGroup, "docker") == std::optional<gid_t>(990));
  CHECK_FALSE(FindGroup(kGroup, "core"));
}

}  // namespace
}  // namespace flint::stages
