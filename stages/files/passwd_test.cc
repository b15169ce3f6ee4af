#include "stages/files/passwd.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "agent/error.h"
#include "stages/files/stage_fixture_test.h"

namespace flint::stages {
namespace {

namespace fs = std::filesystem;
using agent::Argv;
using testing::ReadAll;

struct PasswdFixture : StageFixture {
  PasswdFixture() {
    root.Write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
    root.Write("etc/group", "root:x:0:\nwheel:x:10:\n");
    // useradd stands in: it adds the passwd line a real one would.
    runner.handler = [this](const Argv& argv) {
      if (argv[0] == "useradd") {
        std::ofstream(root / "etc/passwd", std::ios::app) << argv.back() << ":x:1000:1000::/home/" << argv.back()
                                                          << ":/bin/bash\n";
      }
      return agent::RunResult{};
    };
  }
  void Run() {
    agent::StageContext ctx = Context();
    WriteUsersAndGroups(ctx, target());
  }
};

mode_t ModeOf(const fs::path& p) {
  struct stat st;
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

uid_t OwnerOf(const fs::path& p) {
  struct stat st;
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_uid;
}

TEST_CASE("passwd step: nothing to do runs nothing", "[passwd]") {
  PasswdFixture f;
  f.Config(R"({"ignition":{"version":"3.4.0"}})");
  f.Run();
  CHECK(f.runner.calls.empty());
  CHECK(f.target().changed().empty());
}

TEST_CASE("passwd step: groups first, added, modified or deleted as they exist", "[passwd]") {
  PasswdFixture f;
  f.Config(R"({"ignition":{"version":"3.4.0"},"passwd":{
      "users":[{"name":"core"}],
      "groups":[{"name":"docker","gid":990},{"name":"wheel","gid":10},
                {"name":"root","shouldExist":false},{"name":"gone","shouldExist":false}]}})");
  f.Run();
  const std::string r = f.root.path().string();
  REQUIRE(f.runner.calls.size() == 4);
  CHECK(f.runner.calls[0] == Argv{"groupadd", "--root", r, "--gid", "990", "--password", "*", "docker"});
  CHECK(f.runner.calls[1] == Argv{"groupmod", "--root", r, "--gid", "10", "wheel"});
  CHECK(f.runner.calls[2] == Argv{"groupdel", "--root", r, "root"});
  CHECK(f.runner.calls[3] == Argv{"useradd", "--root", r, "--create-home", "--password", "*", "core"});
  CHECK(f.Changed("/etc/passwd*"));
  CHECK(f.Changed("/home/core"));
}

TEST_CASE("passwd step: existing users are modified, unwanted ones deleted", "[passwd]") {
  PasswdFixture f;
  f.root.Write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\nold:x:1001:1001::/home/old:/bin/sh\n");
  f.Config(R"({"ignition":{"version":"3.4.0"},"passwd":{"users":[
      {"name":"root","passwordHash":"$6$abc","shell":"/bin/zsh"},
      {"name":"old","shouldExist":false},{"name":"never","shouldExist":false}]}})");
  f.Run();
  const std::string r = f.root.path().string();
  REQUIRE(f.runner.calls.size() == 3);
  CHECK(f.runner.calls[0] == Argv{"usermod", "--root", r, "--password", "$6$abc", "--shell", "/bin/zsh", "root"});
  CHECK(f.runner.calls[1] == Argv{"usermod", "--root", r, "--password", "$6$abc", "root"});
  CHECK(f.runner.calls[2] == Argv{"userdel", "--remove", "--root", r, "old"});
}

TEST_CASE("passwd step: ssh keys land in the fragment, owned by the user", "[passwd]") {
  PasswdFixture f;
  f.Config(R"({"ignition":{"version":"3.2.0"},"passwd":{"users":[
      {"name":"core","sshAuthorizedKeys":["ssh-rsa AAAA one","ssh-ed25519 BBBB two"]}]}})");
  f.Run();
  fs::path keys = f.root / "home/core/.ssh/authorized_keys.d/ignition";
  CHECK(ReadAll(keys) == "ssh-rsa AAAA one\nssh-ed25519 BBBB two\n");
  CHECK(ModeOf(keys) == 0600);
  CHECK(OwnerOf(keys) == 1000);
  CHECK(ModeOf(f.root / "home/core/.ssh") == 0700);
  CHECK(ModeOf(f.root / "home/core/.ssh/authorized_keys.d") == 0700);
  CHECK(OwnerOf(f.root / "home/core/.ssh/authorized_keys.d") == 1000);
  CHECK(f.Changed("/home/core/.ssh/authorized_keys.d/ignition"));
  CHECK(f.sink.Text().find("AAAA") == std::string::npos);
}

TEST_CASE("passwd step: plain authorized_keys when the fragment is turned off", "[passwd]") {
  PasswdFixture f;
  f.env = agent::FakeEnv({{"IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT", "false"}});
  f.Config(R"({"ignition":{"version":"3.2.0"},"passwd":{"users":[{"name":"core","sshAuthorizedKeys":["k1"]}]}})");
  f.Run();
  CHECK(ReadAll(f.root / "home/core/.ssh/authorized_keys") == "k1\n");
  CHECK_FALSE(fs::exists(f.root / "home/core/.ssh/authorized_keys.d"));
  CHECK_THROWS_WITH(AuthorizedKeysFile(agent::FakeEnv({{"IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT", "maybe"}})),
                    "reading IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT: value 'maybe' cannot be interpreted as a "
                    "boolean");
  CHECK(AuthorizedKeysFile(agent::FakeEnv({{"IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT", "1"}})) ==
        ".ssh/authorized_keys.d/ignition");
}

TEST_CASE("passwd step: mount-stage directories in the home go to the user, 0700", "[passwd]") {
  PasswdFixture f;
  fs::create_directories(f.root / "home/core/.local/share/containers");
  fs::create_directories(f.root / "var/lib/data");
  f.state.notated_directories = {"/home/core", "/home/core/.local", "/home/core/.local/share",
                                 "/home/core/.local/share/containers", "/var/lib/data", "/home/corey"};
  f.Config(R"({"ignition":{"version":"3.2.0"},"passwd":{"users":[{"name":"core"}]}})");
  f.Run();
  CHECK(OwnerOf(f.root / "home/core/.local/share/containers") == 1000);
  CHECK(ModeOf(f.root / "home/core/.local/share/containers") == 0700);
  CHECK(OwnerOf(f.root / "home/core") == 1000);
  CHECK(OwnerOf(f.root / "var/lib/data") == 0);
  CHECK(IsInHome("/home/core/x", "/home/core"));
  CHECK_FALSE(IsInHome("/home/corey", "/home/core"));
  CHECK_FALSE(IsInHome("/x", "/"));
}

TEST_CASE("passwd step: a failing tool names the command, never the hash", "[passwd]") {
  PasswdFixture f;
  f.runner.handler = nullptr;
  f.runner.results.push_back({9, "", "useradd: group 'users' does not exist\n"});
  f.Config(R"({"ignition":{"version":"3.2.0"},"passwd":{"users":[{"name":"core","passwordHash":"$6$secret"}]}})");
  const std::string r = f.root.path().string();
  CHECK_THROWS_WITH(f.Run(), "useradd --root " + r +
                                 " --create-home --password '<hidden>' core exited 9: useradd: group 'users' does "
                                 "not exist");
  CHECK(f.sink.Text().find("secret") == std::string::npos);
}

TEST_CASE("passwd step: a user the tools did not create cannot get keys", "[passwd]") {
  PasswdFixture f;
  f.runner.handler = nullptr;
  f.Config(R"({"ignition":{"version":"3.2.0"},"passwd":{"users":[{"name":"ghost","sshAuthorizedKeys":["k"]}]}})");
  CHECK_THROWS_WITH(f.Run(), "looking up user 'ghost' '" + (f.root / "etc/passwd").string() + "': no such user");
}

}  // namespace
}  // namespace flint::stages
