// The passwd step with the real shadow tools (useradd, usermod, userdel,
// groupadd, groupmod, groupdel) on a scratch root holding a minimal
// /etc/passwd, group, shadow, gshadow and login.defs. Needs root.

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "stages/files/passwd.h"
#include "stages/files/stage_fixture_test.h"

namespace flint::stages {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;

struct ShadowRoot : StageFixture {
  ShadowRoot() {
    root.Write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nold:x:1500:1500::/home/old:/bin/sh\n");
    root.Write("etc/group", "root:x:0:\nwheel:x:10:\nold:x:1500:\nlegacy:x:1600:\n");
    root.Write("etc/shadow", "root:*:19000:0:99999:7:::\nold:*:19000:0:99999:7:::\n");
    root.Write("etc/gshadow", "root:*::\nwheel:*::\nold:!::\nlegacy:!::\n");
    root.Write("etc/login.defs",
               "UID_MIN 1000\nUID_MAX 60000\nGID_MIN 1000\nGID_MAX 60000\nSYS_UID_MIN 201\nSYS_UID_MAX 999\n"
               "SYS_GID_MIN 201\nSYS_GID_MAX 999\nCREATE_HOME yes\nUSERGROUPS_ENAB yes\nENCRYPT_METHOD SHA512\n");
    fs::permissions(root / "etc/shadow", fs::perms::owner_read | fs::perms::owner_write);
    fs::create_directories(root / "home/old");
    if (::chown((root / "home/old").c_str(), 1500, 1500) != 0) throw std::runtime_error("chown failed");
  }
  agent::StageContext Context() { return {config, flags, env, process, *fetcher, log, state}; }
  agent::ProcessRunner process;
};

struct stat StatOf(const fs::path& p) {
  struct stat st;
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st;
}

TEST_CASE("passwd tools: groups and users created, modified and deleted for real", "[integration][passwd]") {
  if (geteuid() != 0) {
    WARN("needs root: skipped");
    return;
  }
  ShadowRoot f;
  fs::create_directories(f.root / "home/core/.local/share/containers");
  f.state.notated_directories = {"/home/core", "/home/core/.local", "/home/core/.local/share",
                                 "/home/core/.local/share/containers"};
  f.Config(R"({"ignition":{"version":"3.4.0"},"passwd":{
      "groups":[{"name":"docker","gid":990,"system":true},{"name":"wheel","gid":11},{"name":"legacy","shouldExist":false}],
      "users":[{"name":"core","uid":1000,"groups":["wheel","docker"],"passwordHash":"$6$rounds=4096$salt$hash",
                "gecos":"CoreOS Admin","shell":"/bin/bash","sshAuthorizedKeys":["ssh-ed25519 AAAAC3Nza core@example"]},
               {"name":"old","shouldExist":false},
               {"name":"svc","system":true,"noCreateHome":true,"homeDir":"/var/lib/svc"}]}})");
  agent::StageContext ctx = f.Context();
  WriteUsersAndGroups(ctx, f.target());

  std::string passwd = ReadAll(f.root / "etc/passwd");
  std::string group = ReadAll(f.root / "etc/group");
  std::string shadow = ReadAll(f.root / "etc/shadow");
  CHECK(passwd.find("core:x:1000:1000:CoreOS Admin:/home/core:/bin/bash\n") != std::string::npos);
  CHECK(passwd.find("old:") == std::string::npos);
  CHECK(passwd.find("svc:x:") != std::string::npos);
  CHECK(passwd.find(":/var/lib/svc:") != std::string::npos);
  CHECK(group.find("docker:x:990:core\n") != std::string::npos);
  CHECK(group.find("wheel:x:11:core\n") != std::string::npos);
  CHECK(group.find("legacy:") == std::string::npos);
  CHECK(shadow.find("core:$6$rounds=4096$salt$hash:") != std::string::npos);
  CHECK_FALSE(fs::exists(f.root / "home/old"));
  CHECK_FALSE(fs::exists(f.root / "var/lib/svc"));

  fs::path keys = f.root / "home/core/.ssh/authorized_keys.d/ignition";
  CHECK(ReadAll(keys) == "ssh-ed25519 AAAAC3Nza core@example\n");
  CHECK(StatOf(keys).st_uid == 1000);
  CHECK(StatOf(keys).st_gid == 1000);
  CHECK((StatOf(keys).st_mode & 07777) == 0600);
  CHECK((StatOf(f.root / "home/core/.ssh").st_mode & 07777) == 0700);
  // The mount stage's directories inside the home now belong to core.
  CHECK(StatOf(f.root / "home/core/.local/share/containers").st_uid == 1000);
  CHECK((StatOf(f.root / "home/core/.local").st_mode & 07777) == 0700);

  // A second run modifies instead of failing: groupmod and usermod.
  WriteUsersAndGroups(ctx, f.target());
  CHECK(ReadAll(f.root / "etc/group").find("docker:x:990:core\n") != std::string::npos);
  CHECK(f.sink.Text().find("modifying group 'docker'") != std::string::npos);
  CHECK(f.sink.Text().find("$6$rounds") == std::string::npos);
}

TEST_CASE("passwd tools: a tool's refusal reaches the error", "[integration][passwd]") {
  if (geteuid() != 0) {
    WARN("needs root: skipped");
    return;
  }
  ShadowRoot f;
  f.Config(R"({"ignition":{"version":"3.4.0"},"passwd":{"users":[{"name":"core","groups":["nosuchgroup"]}]}})");
  agent::StageContext ctx = f.Context();
  CHECK_THROWS_WITH(WriteUsersAndGroups(ctx, f.target()),
                    Catch::Contains("useradd --root " + f.root.path().string() +
                                    " --create-home --password '*' --groups nosuchgroup core exited 6: useradd: group "
                                    "'nosuchgroup' does not exist"));
}

}  // namespace
}  // namespace flint::stages
