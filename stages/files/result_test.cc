#include "stages/files/result.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "agent/os/files.h"
#include "stages/files/stage_fixture_test.h"

namespace flint::stages {
namespace {

namespace fs = std::filesystem;
using testing::ReadAll;

TEST_CASE("result: dates and the report's shape", "[result]") {
  CHECK(Rfc3339Utc(0) == "1970-01-01T00:00:00Z");
  CHECK(Rfc3339Utc(1714564800) == "2024-05-01T12:00:00Z");
  CHECK(ResultJson("b1", "2024-05-01T12:00:00Z", true, std::nullopt) ==
        R"({"provisioningBootID":"b1","provisioningDate":"2024-05-01T12:00:00Z","userConfigProvided":true})");
  nlohmann::ordered_json prev = nlohmann::ordered_json::parse(R"({"provisioningBootID":"b0"})");
  CHECK(ResultJson("b1", "d", false, prev) ==
        R"({"provisioningBootID":"b1","provisioningDate":"d","userConfigProvided":false,)"
        R"("prevReport":{"provisioningBootID":"b0"}})");
}

struct ResultFixture : StageFixture {
  ResultFixture() {
    sources.boot_id_path = run.Write("boot_id", "4c5d8a2e-1f3b-4a7c-9e2d-0b1c2d3e4f50\n").string();
    sources.now = [] { return std::time_t{1714564800}; };
  }
  void Run() {
    agent::StageContext ctx = Context();
    WriteResultFile(ctx, target(), sources);
  }
  ResultSources sources;
};

TEST_CASE("result: written 0600 with the boot id and date", "[result]") {
  ResultFixture f;
  f.Run();
  fs::path p = f.root / "etc/.ignition-result.json";
  CHECK(ReadAll(p) == R"({"provisioningBootID":"4c5d8a2e-1f3b-4a7c-9e2d-0b1c2d3e4f50",)"
                      R"("provisioningDate":"2024-05-01T12:00:00Z","userConfigProvided":false})");
  struct stat st;
  REQUIRE(::stat(p.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(f.target().changed() == ChangedPaths{"/etc", kResultPath});  // /etc was created
}

TEST_CASE("result: a provided user config, and the previous report nested", "[result]") {
  ResultFixture f;
  agent::TouchFile(f.flags.config_provided, "test");
  f.root.Write("etc/.ignition-result.json", R"({"provisioningBootID":"old","provisioningDate":"2020-01-01T00:00:00Z","userConfigProvided":false})");
  f.Run();
  CHECK(ReadAll(f.root / "etc/.ignition-result.json") ==
        R"({"provisioningBootID":"4c5d8a2e-1f3b-4a7c-9e2d-0b1c2d3e4f50","provisioningDate":"2024-05-01T12:00:00Z",)"
        R"("userConfigProvided":true,"prevReport":{"provisioningBootID":"old","provisioningDate":)"
        R"("2020-01-01T00:00:00Z","userConfigProvided":false}})");
}

TEST_CASE("result: a previous report that is not JSON is dropped with a warning", "[result]") {
  ResultFixture f;
  f.root.Write("etc/.ignition-result.json", "garbage");
  f.Run();
  CHECK(ReadAll(f.root / "etc/.ignition-result.json").find("prevReport") == std::string::npos);
  CHECK(f.sink.Text().find("WARNING") != std::string::npos);
}

TEST_CASE("result: a missing boot id fails, naming the file", "[result]") {
  ResultFixture f;
  f.sources.boot_id_path = (f.run / "nope").string();
  CHECK_THROWS_WITH(f.Run(), "reading the boot ID '" + (f.run / "nope").string() + "': No such file or directory");
}

}  // namespace
}  // namespace flint::stages
