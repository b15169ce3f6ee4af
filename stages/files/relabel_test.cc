#include "stages/files/relabel.h"

#include <catch2/catch.hpp>

#include "stages/files/stage_fixture_test.h"

namespace flint::stages {
namespace {

using agent::Argv;

TEST_CASE("relabel: the policy name from /etc/selinux/config", "[relabel]") {
  CHECK(SelinuxTypeFromConfig("# comment\nSELINUX=enforcing\nSELINUXTYPE=targeted\n") ==
        std::optional<std::string>("targeted"));
  CHECK(SelinuxTypeFromConfig("  SELINUXTYPE=\"mls\"  \r\n") == std::optional<std::string>("mls"));
  CHECK_FALSE(SelinuxTypeFromConfig("SELINUX=disabled\n"));
  CHECK_FALSE(SelinuxTypeFromConfig("SELINUXTYPE=\n"));
  CHECK_FALSE(SelinuxTypeFromConfig("#SELINUXTYPE=targeted\n"));
}

TEST_CASE("relabel: setfiles argv and input", "[relabel]") {
  CHECK(SetfilesArgv("setfiles", "/sysroot", "targeted") ==
        Argv{"setfiles", "-vF0", "-r", "/sysroot", "/sysroot/etc/selinux/targeted/contexts/files/file_contexts",
             "-f", "-"});
  CHECK(SetfilesArgv("setfiles", "/", "targeted")[4] == "/etc/selinux/targeted/contexts/files/file_contexts");
  CHECK(SetfilesInput("/sysroot", {"/etc/passwd*", "/etc/motd", "/etc/passwd*", "/var/../etc/motd"}) ==
        std::string("/sysroot/etc/motd\0/sysroot/etc/passwd*\0", 39));
}

TEST_CASE("relabel: only what changed, and only with a policy", "[relabel]") {
  StageFixture f;
  agent::StageContext ctx = f.Context();
  SECTION("no policy: nothing runs") {
    Relabel(ctx, f.target(), {"/etc/motd"});
    CHECK(f.runner.calls.empty());
  }
  SECTION("a config without its policy files: nothing runs, with a warning") {
    f.root.Write("etc/selinux/config", "SELINUXTYPE=targeted\n");
    Relabel(ctx, f.target(), {"/etc/motd"});
    CHECK(f.runner.calls.empty());
    CHECK(f.sink.Text().find("WARNING") != std::string::npos);
  }
  SECTION("a policy: setfiles gets exactly the changed paths") {
    f.root.Write("etc/selinux/config", "SELINUX=enforcing\nSELINUXTYPE=targeted\n");
    f.root.Write("etc/selinux/targeted/contexts/files/file_contexts", "/.* system_u:object_r:default_t:s0\n");
    Relabel(ctx, f.target(), {});
    CHECK(f.runner.calls.empty());
    Relabel(ctx, f.target(), {"/etc/motd", "/etc/passwd*"});
    const std::string r = f.root.path().string();
    REQUIRE(f.runner.calls.size() == 1);
    CHECK(f.runner.calls[0] ==
          Argv{"setfiles", "-vF0", "-r", r, r + "/etc/selinux/targeted/contexts/files/file_contexts", "-f", "-"});
    CHECK(f.runner.inputs[0] == r + "/etc/motd" + std::string(1, '\0') + r + "/etc/passwd*" + std::string(1, '\0'));
  }
  SECTION("a root given with a trailing slash") {
    f.root.Write("etc/selinux/config", "SELINUXTYPE=targeted\n");
    f.root.Write("etc/selinux/targeted/contexts/files/file_contexts", "");
    f.flags.root = f.root.path().string() + "/";
    Relabel(ctx, f.target(), {"/etc/motd"});
    REQUIRE(f.runner.calls.size() == 1);
    CHECK(f.runner.calls[0][3] == f.root.path().string());
    CHECK(f.runner.inputs[0] == f.root.path().string() + "/etc/motd" + std::string(1, '\0'));
  }
  SECTION("setfiles failing fails the step") {
    f.root.Write("etc/selinux/config", "SELINUXTYPE=targeted\n");
    f.root.Write("etc/selinux/targeted/contexts/files/file_contexts", "");
    f.runner.results.push_back({255, "", "setfiles: bad context\n"});
    CHECK_THROWS_WITH(Relabel(ctx, f.target(), {"/etc/motd"}), Catch::Contains("exited 255: setfiles: bad context"));
  }
}

}  // namespace
}  // namespace flint::stages
