#include "stages/files/files_stage.h"

#include <catch2/catch.hpp>

#include "stages/files/nodes_test_fixture.h"

namespace flint::stages {
namespace {

using flint::testing::ReadAll;
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

TEST_CASE("files stage: steps not written yet fail, in upstream's order", "[files stage]") {
  Target t;
  SECTION("users and groups come before any node") {
    agent::StageContext ctx = t.Context(
        R"({"ignition":{"version":"3.4.0"},"passwd":{"users":[{"name":"core"}]},
            "storage":{"files":[{"path":"/etc/hostname"}]}})");
    REQUIRE_THROWS_WITH(RunFiles(ctx), "creating users and groups is not implemented yet");
    CHECK_FALSE(fs::exists(t / "etc/hostname"));
  }
  SECTION("units come after the nodes") {
    agent::StageContext ctx = t.Context(
        R"({"ignition":{"version":"3.4.0"},"systemd":{"units":[{"name":"a.service","enabled":true}]},
            "storage":{"files":[{"path":"/etc/hostname"}]}})");
    REQUIRE_THROWS_WITH(RunFiles(ctx), "writing systemd units is not implemented yet");
    CHECK(fs::exists(t / "etc/hostname"));
  }
}

}  // namespace
}  // namespace flint::stages
