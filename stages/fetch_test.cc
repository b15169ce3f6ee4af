#include <catch2/catch.hpp>

#include "agent/error.h"
#include "schema/parse.h"
#include "stages/stage.h"

namespace flint::stages {
namespace {

schema::Config ConfigOf(const std::string& json) {
  schema::ParseResult r = schema::Parse(json);
  INFO(r.report.String());
  REQUIRE(r.config);
  return *r.config;
}

TEST_CASE("stages: the table, in boot order", "[stages]") {
  CHECK(StageNames() ==
        std::vector<std::string_view>{"fetch-offline", "fetch", "kargs", "disks", "mount", "files", "umount"});
}

TEST_CASE("stages: disks with nothing to do runs nothing; CEX is refused before any change", "[stages]") {
  schema::Config config;
  agent::Flags flags;
  agent::Env env = agent::FakeEnv({});
  agent::FakeRunner runner;
  agent::CapturingSink sink;
  agent::Log log(sink);
  agent::State state;
  std::unique_ptr<agent::Fetcher> fetcher = agent::MakeFetcher(log);
  agent::StageContext ctx{config, flags, env, runner, *fetcher, log, state};
  const agent::StageEntry& disks = StageTable()[3];
  REQUIRE(disks.name == "disks");
  CHECK_NOTHROW(disks.run(ctx));
  schema::Config cex = ConfigOf(
      R"({"ignition":{"version":"3.5.0"},"storage":{"disks":[{"device":"/dev/vda","wipeTable":true}],)"
      R"("luks":[{"name":"r","device":"/dev/vda","cex":{"enabled":true}}]}})");
  agent::StageContext with_cex{cex, flags, env, runner, *fetcher, log, state};
  CHECK_THROWS_WITH(disks.run(with_cex), Catch::Contains("CEX") && Catch::Contains("$.storage.luks.0.cex.enabled"));
  CHECK(runner.calls.empty());
}

TEST_CASE("stages: fetch-offline asks for networking when the config needs it", "[stages]") {
  CHECK_FALSE(ConfigNeedsNet(ConfigOf(R"({"ignition":{"version":"3.4.0"}})")));
  CHECK_FALSE(ConfigNeedsNet(ConfigOf(
      R"({"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/a","contents":{"source":"data:,x"}}]}})")));
  CHECK(ConfigNeedsNet(ConfigOf(
      R"({"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/a","contents":{"source":"data:,x"}},{"path":"/b","append":[{"source":"https://127.0.0.1/b"}]}]}})")));
  CHECK(ConfigNeedsNet(ConfigOf(
      R"({"ignition":{"version":"3.4.0"},"storage":{"luks":[{"name":"root","device":"/dev/vda4","keyFile":{"source":"s3://bucket/key"}}]}})")));
  CHECK(ConfigNeedsNet(ConfigOf(
      R"({"ignition":{"version":"3.4.0","security":{"tls":{"certificateAuthorities":[{"source":"http://127.0.0.1/ca"}]}}}})")));
  CHECK(ConfigNeedsNet(ConfigOf(
      R"({"ignition":{"version":"3.4.0"},"storage":{"luks":[{"name":"root","device":"/dev/vda4","clevis":{"tang":[{"url":"http://127.0.0.1","thumbprint":"x"}]}}]}})")));

  schema::Config config = ConfigOf(
      R"({"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/b","contents":{"source":"tftp://127.0.0.1/b"}}]}})");
  agent::Flags flags;
  agent::Env env = agent::FakeEnv({});
  agent::FakeRunner runner;
  agent::CapturingSink sink;
  agent::Log log(sink);
  agent::State state;
  std::unique_ptr<agent::Fetcher> fetcher = agent::MakeFetcher(log);
  agent::StageContext ctx{config, flags, env, runner, *fetcher, log, state};
  CHECK_THROWS_AS(RunFetchOffline(ctx), agent::NeedNet);
  CHECK_NOTHROW(RunFetch(ctx));
}

TEST_CASE("stages: tang with an advertisement and custom clevis pins", "[stages]") {
  // A tang server whose advertisement is in the config is not contacted.
  CHECK_FALSE(ConfigNeedsNet(ConfigOf(
      R"({"ignition":{"version":"3.4.0"},"storage":{"luks":[{"name":"root","device":"/dev/vda4","clevis":{"tang":[{"url":"http://127.0.0.1","thumbprint":"x","advertisement":"{\"payload\":\"e30\",\"protected\":\"e30\",\"signature\":\"e30\"}"}]}}]}})")));
  CHECK(ConfigNeedsNet(ConfigOf(
      R"({"ignition":{"version":"3.4.0"},"storage":{"luks":[{"name":"root","device":"/dev/vda4","clevis":{"custom":{"pin":"tang","config":"{}","needsNetwork":true}}}]}})")));
  CHECK_FALSE(ConfigNeedsNet(ConfigOf(
      R"({"ignition":{"version":"3.4.0"},"storage":{"luks":[{"name":"root","device":"/dev/vda4","clevis":{"custom":{"pin":"tpm2","config":"{}","needsNetwork":false}}}]}})")));
  CHECK_FALSE(ConfigNeedsNet(ConfigOf(
      R"({"ignition":{"version":"3.4.0"},"storage":{"luks":[{"name":"root","device":"/dev/vda4","clevis":{"custom":{"pin":"tpm2","config":"{}"}}}]}})")));
}

}  // namespace
}  // namespace flint::stages
