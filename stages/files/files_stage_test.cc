#include "stages/files/files_stage.h"

#include <catch2/catch.hpp>
#include <fstream>

#include "stages/files/nodes_test_fixture.h"

namespace flint::stages {
namespace {

using flint::testing::ReadAll;
using testing::StatOf;
using testing::Target;
namespace fs = std::filesystem;

TEST_CASE("files stage: the nodes step, logged once", "[files stage]") {
  Target t;
  agent::StageContext ctx = t.Context(
      R"({"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/etc/hostname","contents":{"source":"data:,node1"}}]}})");
  RunFiles(ctx);
  CHECK(ReadAll(t / "etc/hostname") == "node1");
  std::string log = t.sink.Text();
  CHECK(log.find("INFO: files: creating files, directories and links: started\n"
                 "INFO: files: creating file '/etc/hostname'\n"
                 "INFO: files: creating files, directories and links: finished\n") != std::string::npos);
}

TEST_CASE("files stage: users, then nodes owned by them, then units and the result file", "[files stage]") {
  Target t;
  t.Write("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
  t.Write("etc/group", "root:x:0:\n");
  // useradd stands in and records that the file was not there yet: users
  // come before the nodes so that an owner by name resolves.
  bool file_existed_at_useradd = true;
  t.runner.handler = [&](const agent::Argv& argv) {
    if (argv[0] == "useradd") {
      file_existed_at_useradd = fs::exists(t / "etc/app.conf");
      std::ofstream(t / "etc/passwd", std::ios::app) << "app:x:1234:1234::/home/app:/bin/bash\n";
    }
    return agent::RunResult{};
  };
  agent::StageContext ctx = t.Context(
      R"({"ignition":{"version":"3.4.0"},"passwd":{"users":[{"name":"app"}]},
          "storage":{"files":[{"path":"/etc/app.conf","contents":{"source":"data:,x"},"user":{"name":"app"}}]},
          "systemd":{"units":[{"name":"app.service","enabled":true,"contents":"[Service]\nExecStart=/bin/true\n"}]}})");
  RunFiles(ctx);
  CHECK_FALSE(file_existed_at_useradd);
  CHECK(StatOf(t / "etc/app.conf").st_uid == 1234);
  CHECK(ReadAll(t / "etc/systemd/system/app.service") == "[Service]\nExecStart=/bin/true\n");
  CHECK(ReadAll(t / "etc/systemd/system-preset/20-ignition.preset") == "enable app.service\n");
  CHECK(fs::exists(t / "etc/.ignition-result.json"));
  CHECK((StatOf(t / "etc/.ignition-result.json").st_mode & 07777) == 0600);
}

TEST_CASE("files stage: LUKS volumes the disks stage did not record fail before anything is written",
          "[files stage]") {
  Target t;
  agent::StageContext ctx = t.Context(
      R"({"ignition":{"version":"3.4.0"},"storage":{
          "files":[{"path":"/etc/hostname","contents":{"source":"data:,node1"}}],
          "luks":[{"name":"data","device":"/dev/vdb"}]}})");
  REQUIRE_THROWS_WITH(RunFiles(ctx), Catch::Contains("storage.luks volume(s) but the state file") &&
                                         Catch::Contains("the disks stage did not run"));
  CHECK_FALSE(fs::exists(t / "etc/hostname"));
}

}  // namespace
}  // namespace flint::stages
