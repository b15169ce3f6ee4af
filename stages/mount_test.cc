#include "stages/mount.h"
#include "stages/files/nodes_order.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "agent/error.h"
#include "stages/files/stage_fixture_test.h"

namespace flint::stages {
namespace {

namespace fs = std::filesystem;

TEST_CASE("mount: depth of paths", "[mount]") {
  CHECK(PathDepth("/") == 0);
  CHECK(PathDepth("/var") == 1);
  CHECK(PathDepth("/var/lib/containers/") == 3);
}

TEST_CASE("mount: the plan skips swap, none and unformatted, sorts shallowest first", "[mount]") {
  StageFixture f;
  f.Config(R"({"ignition":{"version":"3.4.0"},"storage":{"filesystems":[
      {"device":"/dev/vdc","format":"xfs","path":"/var/lib/containers","mountOptions":["noatime","prjquota"]},
      {"device":"/dev/vdb","format":"ext4","path":"/var"},
      {"device":"/dev/vdd","format":"swap","path":"/swap"},
      {"device":"/dev/vde","format":"none","path":"/none"},
      {"device":"/dev/vdf","format":"ext4"},
      {"device":"/dev/vdg","format":"vfat","path":"/boot/efi"},
      {"device":"/dev/vdh","format":"ext4","path":"/srv"}]}})");
  CHECK(PlanMounts(f.config) == std::vector<PlannedMount>{{"/dev/vdb", "/var", "ext4", ""},
                                                          {"/dev/vdh", "/srv", "ext4", ""},
                                                          {"/dev/vdg", "/boot/efi", "vfat", ""},
                                                          {"/dev/vdc", "/var/lib/containers", "xfs",
                                                           "noatime,prjquota"}});
}

TEST_CASE("mount: nothing to mount is a no-op, for umount too", "[mount]") {
  StageFixture f;
  f.Config(R"({"ignition":{"version":"3.4.0"},"storage":{"filesystems":[{"device":"/dev/vdd","format":"swap","path":"/swap"}]}})");
  agent::StageContext ctx = f.Context();
  RunMount(ctx);
  RunUmount(ctx);
  CHECK(f.state.notated_directories.empty());
  CHECK(fs::is_empty(f.root.path()));
}

TEST_CASE("mount: a non-directory in the mount path is refused before anything is created", "[mount]") {
  StageFixture f;
  f.root.Write("var/lib", "a file");
  fs::create_symlink("/elsewhere", f.root / "srv");
  agent::StageContext ctx = f.Context();
  f.Config(R"({"ignition":{"version":"3.4.0"},"storage":{"filesystems":[
      {"device":"/dev/vdc","format":"xfs","path":"/var/lib/containers"}]}})");
  CHECK_THROWS_WITH(RunMount(ctx), "mount path '" + (f.root / "var/lib/containers").string() +
                                       "' contains non-directory component '" + (f.root / "var/lib").string() + "'");
  f.Config(R"({"ignition":{"version":"3.4.0"},"storage":{"filesystems":[
      {"device":"/dev/vdc","format":"xfs","path":"/srv/data"}]}})");
  CHECK_THROWS_WITH(RunMount(ctx), "mount path '" + (f.root / "srv/data").string() +
                                       "' contains non-directory component '" + (f.root / "srv").string() + "'");
  CHECK_FALSE(fs::exists(f.root / "elsewhere"));
  CHECK(f.state.notated_directories.empty());
}

TEST_CASE("mount: a device that does not exist fails naming it and the mountpoint", "[mount]") {
  StageFixture f;
  f.Config(R"({"ignition":{"version":"3.4.0"},"storage":{"filesystems":[
      {"device":"/dev/flint-no-such-device","format":"ext4","path":"/var/data","mountOptions":["ro"]}]}})");
  agent::StageContext ctx = f.Context();
  REQUIRE_THROWS_AS(RunMount(ctx), agent::Failure);
  try {
    RunMount(ctx);
  } catch (const agent::Failure& e) {
    CHECK(std::string(e.what()).rfind("mounting '/dev/flint-no-such-device' at '" + (f.root / "var/data").string() +
                                          "' with type 'ext4' and options 'ro'",
                                      0) == 0);
    CHECK(std::string(e.what()).find("with type 'ext4' and options 'ro': ") != std::string::npos);
  }
  // The mountpoint was created and recorded for the files stage.
  CHECK(fs::is_directory(f.root / "var/data"));
  CHECK(f.state.notated_directories == std::vector<std::string>{"/var", "/var/data"});
}

TEST_CASE("mount: with an SELinux policy, the first created directory is relabelled before mounting", "[mount]") {
  StageFixture f;
  f.root.Write("etc/selinux/config", "SELINUXTYPE=targeted\n");
  f.root.Write("etc/selinux/targeted/contexts/files/file_contexts", "");
  fs::create_directories(f.root / "var");
  f.Config(R"({"ignition":{"version":"3.4.0"},"storage":{"filesystems":[
      {"device":"/dev/flint-no-such-device","format":"ext4","path":"/var/lib/data"}]}})");
  agent::StageContext ctx = f.Context();
  CHECK_THROWS_AS(RunMount(ctx), agent::Failure);
  const std::string r = f.root.path().string();
  REQUIRE(f.runner.calls.size() == 1);
  CHECK(f.runner.calls[0][0] == "setfiles");
  CHECK(f.runner.inputs[0] == r + "/var/lib" + std::string(1, '\0'));
  CHECK(f.state.notated_directories == std::vector<std::string>{"/var/lib", "/var/lib/data"});
}

TEST_CASE("umount: filesystems that are not mounted are skipped", "[mount]") {
  StageFixture f;
  f.Config(R"({"ignition":{"version":"3.4.0"},"storage":{"filesystems":[
      {"device":"/dev/vdb","format":"ext4","path":"/var"}]}})");
  agent::StageContext ctx = f.Context();
  RunUmount(ctx);
  CHECK(f.sink.Text().find("is not mounted: nothing to unmount") != std::string::npos);
}

}  // namespace
}  // namespace flint::stages
