#include "agent/state.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "agent/error.h"
#include "tests/temp_dir.h"

namespace flint::agent {
namespace {

using flint::testing::ReadAll;
using flint::testing::TempDir;

mode_t ModeOf(const std::filesystem::path& p) {
  struct stat st;
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

TEST_CASE("state: a missing file is an empty state", "[state]") {
  TempDir dir;
  State s = LoadState(dir / "nothing" / "state");
  CHECK(s.fetched_configs.empty());
  CHECK(s.luks_persist_key_files.empty());
  CHECK(s.notated_directories.empty());
  CHECK(s.provider_output_files == nlohmann::json::array());
}

TEST_CASE("state: save creates the directory 0700 and the file 0600", "[state]") {
  TempDir dir;
  State s;
  s.RecordFetchedConfig({"user", "file", false});
  SaveState(dir / "run" / "ignition" / "state", s);
  CHECK(ModeOf(dir / "run" / "ignition") == 0700);
  CHECK(ModeOf(dir / "run") == 0700);
  CHECK(ModeOf(dir / "run" / "ignition" / "state") == 0600);
  CHECK(ReadAll(dir / "run" / "ignition" / "state") ==
        "{\"fetchedConfigs\":[{\"kind\":\"user\",\"referenced\":false,\"source\":\"file\"}],"
        "\"luksPersistKeyFiles\":{},\"notatedDirectories\":[],\"providerOutputFiles\":[]}\n");
}

TEST_CASE("state: save then load round-trips every field", "[state]") {
  TempDir dir;
  State s;
  s.RecordFetchedConfig({"base", "system", false});
  s.RecordFetchedConfig({"user", "https://example.test/config", true, "ab12"});
  s.luks_persist_key_files["root"] = "secret";
  s.notated_directories = {"/var/lib/a", "/var/lib/b"};
  s.provider_output_files = nlohmann::json::parse(R"([{"path": "/var/lib/hyperv/.kvp_pool_0"}])");
  SaveState(dir / "state", s);
  State back = LoadState(dir / "state");
  CHECK(back.fetched_configs == s.fetched_configs);
  CHECK(back.luks_persist_key_files == s.luks_persist_key_files);
  CHECK(back.notated_directories == s.notated_directories);
  CHECK(back.provider_output_files == s.provider_output_files);
}

TEST_CASE("state: the SHA-512 of a fetched config is written only when known", "[state]") {
  State s;
  s.RecordFetchedConfig({"base", "system", false});
  s.RecordFetchedConfig({"user", "https://h/w", true, "ab12"});
  CHECK(StateToJson(s)["fetchedConfigs"].dump() ==
        R"([{"kind":"base","referenced":false,"source":"system"},)"
        R"({"kind":"user","referenced":true,"sha512":"ab12","source":"https://h/w"}])");
}

TEST_CASE("state: a later stage merges into what an earlier one wrote", "[state]") {
  TempDir dir;
  State first;
  first.RecordFetchedConfig({"user", "file", false});
  SaveState(dir / "state", first);

  State second = LoadState(dir / "state");
  second.RecordFetchedConfig({"user", "file", false});  // already there: not repeated
  second.notated_directories.push_back("/srv");
  SaveState(dir / "state", second);

  State third = LoadState(dir / "state");
  CHECK(third.fetched_configs == std::vector<FetchedConfig>{{"user", "file", false}});
  CHECK(third.notated_directories == std::vector<std::string>{"/srv"});
}

TEST_CASE("state: reads upstream's file, nulls and unknown keys included", "[state]") {
  TempDir dir;
  dir.Write("state",
            R"({"fetchedConfigs":[{"kind":"user","source":"qemu","referenced":false}],)"
            R"("luksPersistKeyFiles":null,"notatedDirectories":null,"providerOutputFiles":null,"future":{"x":1}})");
  State s = LoadState(dir / "state");
  CHECK(s.fetched_configs == std::vector<FetchedConfig>{{"user", "qemu", false}});
  CHECK(s.luks_persist_key_files.empty());
  SaveState(dir / "state", s);
  nlohmann::json j = nlohmann::json::parse(ReadAll(dir / "state"));
  CHECK(j["future"] == nlohmann::json::parse(R"({"x":1})"));
}

TEST_CASE("state: malformed files are failures naming the file", "[state]") {
  TempDir dir;
  std::string path = (dir / "state").string();
  dir.Write("state", "{not json");
  REQUIRE_THROWS_WITH(LoadState(dir / "state"), "parsing the state file '" + path + "': not JSON");
  dir.Write("state", "[]");
  REQUIRE_THROWS_WITH(LoadState(dir / "state"), "parsing the state file '" + path + "': not a JSON object");
  dir.Write("state", R"({"fetchedConfigs": 3})");
  REQUIRE_THROWS_WITH(LoadState(dir / "state"),
                      "parsing the state file '" + path + "': fetchedConfigs is not a list");
  dir.Write("state", R"({"fetchedConfigs": [{"kind": 3}]})");
  CHECK_THROWS_AS(LoadState(dir / "state"), Failure);
}

}  // namespace
}  // namespace flint::agent
