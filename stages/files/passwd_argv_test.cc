#include "stages/files/passwd_argv.h"

#include <catch2/catch.hpp>

namespace flint::stages {
namespace {

using agent::Argv;

const PasswdTools kTools{"useradd", "usermod", "userdel", "groupadd", "groupmod", "groupdel"};

schema::PasswdUser FullUser() {
  schema::PasswdUser u;
  u.name = "core";
  u.password_hash = "$6$salt$hash";
  u.uid = 1000;
  u.gecos = "CoreOS Admin";
  u.home_dir = "/var/home/core";
  u.no_create_home = false;
  u.primary_group = "wheel";
  u.groups = {"adm", "sudo", "systemd-journal"};
  u.no_user_group = true;
  u.no_log_init = true;
  u.shell = "/bin/bash";
  u.system = true;
  return u;
}

TEST_CASE("passwd argv: useradd with every field, in upstream's order", "[passwd]") {
  CHECK(UseraddArgv(kTools, "/sysroot", FullUser()) ==
        Argv{"useradd", "--root", "/sysroot", "--home-dir", "/var/home/core", "--create-home", "--no-user-group",
             "--system", "--no-log-init", "--password", "$6$salt$hash", "--uid", "1000", "--comment",
             "CoreOS Admin", "--gid", "wheel", "--groups", "adm,sudo,systemd-journal", "--shell", "/bin/bash",
             "core"});
}

TEST_CASE("passwd argv: a bare new user gets a home and no password login", "[passwd]") {
  schema::PasswdUser u;
  u.name = "core";
  CHECK(UseraddArgv(kTools, "/sysroot", u) ==
        Argv{"useradd", "--root", "/sysroot", "--create-home", "--password", "*", "core"});
  u.no_create_home = true;
  u.password_hash = "";
  u.home_dir = "";
  u.system = false;
  CHECK(UseraddArgv(kTools, "/r", u) == Argv{"useradd", "--root", "/r", "--no-create-home", "--password", "*", "core"});
}

TEST_CASE("passwd argv: usermod changes only what is set, and moves the home", "[passwd]") {
  CHECK(UsermodArgv(kTools, "/sysroot", FullUser()) ==
        Argv{"usermod", "--root", "/sysroot", "--home", "/var/home/core", "--move-home", "--password",
             "$6$salt$hash", "--uid", "1000", "--comment", "CoreOS Admin", "--gid", "wheel", "--groups",
             "adm,sudo,systemd-journal", "--shell", "/bin/bash", "core"});
  schema::PasswdUser u;
  u.name = "core";
  CHECK(UsermodArgv(kTools, "/sysroot", u) == Argv{"usermod", "--root", "/sysroot", "core"});
  u.password_hash = "";
  CHECK(UsermodArgv(kTools, "/sysroot", u) == Argv{"usermod", "--root", "/sysroot", "--password", "*", "core"});
}

TEST_CASE("passwd argv: the separate password step, and deletion", "[passwd]") {
  schema::PasswdUser u;
  u.name = "core";
  CHECK(SetPasswordArgv(kTools, "/sysroot", u).empty());
  u.password_hash = "$y$j9T$x";
  CHECK(SetPasswordArgv(kTools, "/sysroot", u) ==
        Argv{"usermod", "--root", "/sysroot", "--password", "$y$j9T$x", "core"});
  CHECK(UserdelArgv(kTools, "/sysroot", u) == Argv{"userdel", "--remove", "--root", "/sysroot", "core"});
}

TEST_CASE("passwd argv: groups", "[passwd]") {
  schema::PasswdGroup g;
  g.name = "docker";
  CHECK(GroupaddArgv(kTools, "/sysroot", g) == Argv{"groupadd", "--root", "/sysroot", "--password", "*", "docker"});
  CHECK(GroupmodArgv(kTools, "/sysroot", g) == Argv{"groupmod", "--root", "/sysroot", "docker"});
  CHECK(GroupdelArgv(kTools, "/sysroot", g) == Argv{"groupdel", "--root", "/sysroot", "docker"});
  g.gid = 1001;
  g.password_hash = "$6$g";
  g.system = true;
  CHECK(GroupaddArgv(kTools, "/sysroot", g) ==
        Argv{"groupadd", "--root", "/sysroot", "--gid", "1001", "--password", "$6$g", "--system", "docker"});
  CHECK(GroupmodArgv(kTools, "/sysroot", g) ==
        Argv{"groupmod", "--root", "/sysroot", "--gid", "1001", "--password", "$6$g", "docker"});
}

TEST_CASE("passwd argv: hashes are hidden in messages, '*' is not", "[passwd]") {
  CHECK(HidePasswords({"useradd", "--password", "$6$secret", "--password", "*", "core"}) ==
        Argv{"useradd", "--password", "<hidden>", "--password", "*", "core"});
}

TEST_CASE("passwd argv: tool names come from the tool table", "[passwd]") {
  PasswdTools t = PasswdToolsFrom(agent::FakeEnv({{"FLINT_TOOL_USERADD", "/opt/bin/useradd"}}));
  CHECK(t.useradd == "/opt/bin/useradd");
  CHECK(t.groupmod == "groupmod");
  CHECK(t.userdel == "userdel");
}

}  // namespace
}  // namespace flint::stages
