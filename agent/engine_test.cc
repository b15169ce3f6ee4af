#include "agent/engine.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "agent/digest.h"
#include "agent/error.h"
#include "schema/encode.h"
#include "schema/parse.h"
#include "tests/fake_fetcher.h"
#include "tests/temp_dir.h"
#include "tests/test_ca_pem.h"

namespace flint::agent {
namespace {

namespace fs = std::filesystem;
using flint::testing::ReadAll;
using flint::testing::TempDir;

constexpr const char* kUserConfig =
    R"({"ignition":{"version":"3.7.0-experimental"},"systemd":{"units":[{"name":"a.service","mask":true}]}})";
const std::string kUserConfigPercent = flint::testing::DataUrl(kUserConfig).substr(6);
const std::string kWorkerPercent = flint::testing::DataUrl(
    R"({"ignition":{"version":"3.2.0"},"systemd":{"units":[{"name":"kubelet.service","enabled":true}]}})").substr(6);

// A scratch machine: system config dirs, cache, state, flag files.
struct Machine {
  TempDir tmp;
  std::map<std::string, std::string> vars{
      {"IGNITION_SYSTEM_RUNTIME_CONFIG_DIR", (tmp / "run-ign").string()},
      {"IGNITION_SYSTEM_LOCAL_CONFIG_DIR", (tmp / "etc-ign").string()},
      {"IGNITION_SYSTEM_CONFIG_DIR", (tmp / "usr-ign").string()},
      {"IGNITION_KERNEL_CMDLINE_PATH", (tmp / "cmdline").string()},
      {"IGNITION_CONFIG_FILE", (tmp / "config.ign").string()},
  };
  CapturingSink sink;
  Log log{sink};
  FakeRunner runner;
  std::vector<std::string> ran;  // stages that ran, with their config's unit names
  StageTable stages{
      {"fetch-offline", [this](StageContext& c) { Record("fetch-offline", c); }},
      {"fetch", [this](StageContext& c) { Record("fetch", c); }},
      {"disks", [this](StageContext& c) { Record("disks", c); }},
      {"broken", [](StageContext&) { throw Failure("mkfs.xfs").Device("/dev/vda4").Cause("exited 1"); }},
      {"netty", [](StageContext&) { throw NeedNet("tang"); }},
  };

  void Record(const std::string& name, StageContext& c) {
    std::string units;
    for (const auto& u : c.config.systemd.units) units += " " + u.name;
    ran.push_back(name + units);
  }

  Flags MakeFlags(const std::string& stage, const std::string& platform = "file") {
    Flags f;
    f.platform = platform;
    f.stage = stage;
    f.root = (tmp / "sysroot").string();
    f.config_cache = (tmp / "ignition.json").string();
    f.neednet = (tmp / "run" / "neednet").string();
    f.config_provided = (tmp / "run" / "config-provided").string();
    f.state_file = (tmp / "run" / "state").string();
    return f;
  }

  int Run(const std::string& stage, const std::string& platform = "file") {
    Env env = FakeEnv(vars);
    return RunStage(MakeFlags(stage, platform), EngineDeps{stages, log, runner, env});
  }
};

mode_t ModeOf(const fs::path& p) {
  struct stat st;
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

TEST_CASE("engine: fetch-offline caches the platform config and records it", "[engine]") {
  Machine m;
  m.tmp.Write("config.ign", kUserConfig);
  REQUIRE(m.Run("fetch-offline") == kExitOk);
  CHECK(m.ran == std::vector<std::string>{"fetch-offline a.service"});
  std::string cached = ReadAll(m.tmp / "ignition.json");
  CHECK(cached == schema::EncodeString(*schema::Parse(kUserConfig).config));
  CHECK(ModeOf(m.tmp / "ignition.json") == 0640);
  CHECK(fs::exists(m.tmp / "run" / "config-provided"));
  CHECK_FALSE(fs::exists(m.tmp / "run" / "neednet"));
  CHECK(LoadState(m.tmp / "run" / "state").fetched_configs ==
        std::vector<FetchedConfig>{{"user", "file", false, Sha512Hex(kUserConfig)}});
  CHECK(m.sink.Text().find("INFO: fetch-offline: fetched user config from \"file\" (SHA-512 " + Sha512Hex(kUserConfig) +
                           ")") != std::string::npos);
  CHECK(m.sink.Text().find("INFO: fetch-offline: fetch-offline passed") != std::string::npos);
}

TEST_CASE("engine: later stages read the cache", "[engine]") {
  Machine m;
  m.tmp.Write("config.ign", kUserConfig);
  REQUIRE(m.Run("fetch") == kExitOk);
  m.tmp.Write("config.ign", "garbage: the cache must be used, not the platform");
  REQUIRE(m.Run("disks") == kExitOk);
  CHECK(m.ran == std::vector<std::string>{"fetch a.service", "disks a.service"});
}

TEST_CASE("engine: a missing cache is a clear failure", "[engine]") {
  Machine m;
  CHECK(m.Run("disks") == kExitFailed);
  CHECK(m.ran.empty());
  CHECK(m.sink.Text().find("CRITICAL: disks: reading the config cache '" + (m.tmp / "ignition.json").string() +
                           "': No such file or directory (the fetch-offline or fetch stage writes it and must run "
                           "first)") != std::string::npos);
}

TEST_CASE("engine: a corrupt cache is a failure", "[engine]") {
  Machine m;
  m.tmp.Write("ignition.json", "{");
  CHECK(m.Run("disks") == kExitFailed);
  CHECK(m.sink.Text().find("parsing the config cache") != std::string::npos);
}

TEST_CASE("engine: the system user.ign wins over the platform", "[engine]") {
  Machine m;
  m.tmp.Write("config.ign", "not even JSON");
  m.tmp.Write("etc-ign/user.ign", kUserConfig);
  REQUIRE(m.Run("fetch") == kExitOk);
  CHECK(m.ran == std::vector<std::string>{"fetch a.service"});
  CHECK(LoadState(m.tmp / "run" / "state").fetched_configs ==
        std::vector<FetchedConfig>{{"user", "system", false, Sha512Hex(kUserConfig)}});
}

TEST_CASE("engine: an empty provider config continues with an empty config", "[engine]") {
  Machine m;
  m.tmp.Write("config.ign", "");
  REQUIRE(m.Run("fetch-offline") == kExitOk);
  CHECK(ReadAll(m.tmp / "ignition.json") == R"({"ignition":{"version":"3.7.0-experimental"}})");
  CHECK_FALSE(fs::exists(m.tmp / "run" / "config-provided"));
  CHECK(m.Run("fetch-offline", "metal") == kExitOk);
  CHECK(ReadAll(m.tmp / "ignition.json") == R"({"ignition":{"version":"3.7.0-experimental"}})");
}

TEST_CASE("engine: an invalid user config fails with its report logged", "[engine]") {
  Machine m;
  m.tmp.Write("config.ign", R"({"ignition":{"version":"9.9.9"}})");
  CHECK(m.Run("fetch-offline") == kExitFailed);
  CHECK_FALSE(fs::exists(m.tmp / "ignition.json"));
  CHECK(m.sink.Text().find("ERROR: fetch-offline: platform file: error at $.ignition.version") != std::string::npos);
  CHECK(m.sink.Text().find("CRITICAL: fetch-offline: parsing the config from platform file: ") != std::string::npos);
}

TEST_CASE("engine: an unreadable platform config names the file", "[engine]") {
  Machine m;
  CHECK(m.Run("fetch") == kExitFailed);
  CHECK(m.sink.Text().find("CRITICAL: fetch: reading the config file '" + (m.tmp / "config.ign").string() +
                           "': No such file or directory") != std::string::npos);
}

TEST_CASE("engine: platforms this build does not support fail at fetch time", "[engine]") {
  Machine m;
  CHECK(m.Run("fetch", "vmware") == kExitFailed);
  CHECK(m.sink.Text().find("CRITICAL: fetch: platform vmware is not supported by this build") != std::string::npos);
  CHECK_FALSE(fs::exists(m.tmp / "ignition.json"));
}

TEST_CASE("engine: a config URL on the kernel command line", "[engine]") {
  Machine m;
  m.tmp.Write("config.ign", kUserConfig);
  m.tmp.Write("cmdline", "ro ignition.config.url=http://127.0.0.1:1/config.ign\n");
  // Offline: ask for networking, succeed, cache nothing.
  CHECK(m.Run("fetch-offline") == kExitOk);
  CHECK(fs::exists(m.tmp / "run" / "neednet"));
  CHECK_FALSE(fs::exists(m.tmp / "ignition.json"));
  CHECK(m.ran.empty());
  CHECK(m.sink.Text().find("INFO: fetch-offline: ignition.config.url ('http://127.0.0.1:1/config.ign') needs "
                           "networking: signalling that networking is needed") != std::string::npos);
}

TEST_CASE("engine: a data: config URL on the kernel command line wins over the platform", "[engine]") {
  Machine m;
  m.tmp.Write("config.ign", "not even JSON");
  m.tmp.Write("cmdline", "ro ignition.config.url=data:," + kUserConfigPercent + "\n");
  REQUIRE(m.Run("fetch-offline") == kExitOk);
  CHECK(m.ran == std::vector<std::string>{"fetch-offline a.service"});
  CHECK(LoadState(m.tmp / "run" / "state").fetched_configs ==
        std::vector<FetchedConfig>{{"user", "cmdline", false, Sha512Hex(kUserConfig)}});
}

TEST_CASE("engine: a remote config reference needs networking offline", "[engine]") {
  Machine m;
  m.tmp.Write("config.ign",
              R"({"ignition":{"version":"3.4.0","config":{"merge":[{"source":"https://127.0.0.1:1/x.ign"}]}}})");
  CHECK(m.Run("fetch-offline") == kExitOk);
  CHECK(fs::exists(m.tmp / "run" / "neednet"));
  CHECK_FALSE(fs::exists(m.tmp / "ignition.json"));
  CHECK(m.ran.empty());
}

TEST_CASE("engine: a config that merges a CA and a data reference is cached rendered and recorded", "[engine]") {
  Machine m;
  // The pointer config of S1, with the worker config inline.
  std::string worker = R"({"ignition":{"version":"3.2.0"},"systemd":{"units":[{"name":"kubelet.service","enabled":true}]}})";
  // The CA must be a real certificate: the fetcher loads it before fetching.
  const std::string ca = flint::testing::DataUrl(flint::testing::kTestCa1);
  std::string pointer = R"({"ignition":{"version":"3.2.0","config":{"merge":[{"source":"data:,)" +
                        kWorkerPercent + R"("}]},"security":{"tls":{"certificateAuthorities":[{"source":")" + ca +
                        R"("}]}}}})";
  m.tmp.Write("config.ign", pointer);
  REQUIRE(m.Run("fetch-offline") == kExitOk);
  CHECK_FALSE(fs::exists(m.tmp / "run" / "neednet"));
  schema::ParseResult cached = schema::Parse(ReadAll(m.tmp / "ignition.json"));
  REQUIRE(cached.config);
  REQUIRE(cached.config->systemd.units.size() == 1);
  CHECK(cached.config->systemd.units[0].name == "kubelet.service");
  CHECK(cached.config->ignition.security.tls.certificate_authorities.at(0).source == ca);
  CHECK(LoadState(m.tmp / "run" / "state").fetched_configs ==
        std::vector<FetchedConfig>{{"user", "file", false, Sha512Hex(pointer)},
                                   {"user", "data:", true, Sha512Hex(worker)}});
}

TEST_CASE("engine: a merge that makes the config invalid fails validation", "[engine]") {
  Machine m;
  // The child's link and the parent's file claim the same path.
  std::string child = R"({"ignition":{"version":"3.4.0"},"storage":{"links":[{"path":"/etc/a","target":"/b"}]}})";
  m.tmp.Write("config.ign", R"({"ignition":{"version":"3.4.0","config":{"merge":[{"source":")" +
                                flint::testing::DataUrl(child) +
                                R"("}]}},"storage":{"files":[{"path":"/etc/a/b"}]}})");
  CHECK(m.Run("fetch") == kExitFailed);
  CHECK(m.sink.Text().find("CRITICAL: fetch: validating the rendered config: merging configs resulted in an invalid "
                           "config: ") != std::string::npos);
  CHECK_FALSE(fs::exists(m.tmp / "ignition.json"));
}

TEST_CASE("engine: a data: replace reference is resolved", "[engine]") {
  Machine m;
  // data:,{"ignition":{"version":"3.4.0"},"systemd":{"units":[{"name":"r.service","mask":true}]}}
  m.tmp.Write("config.ign",
              R"({"ignition":{"version":"3.4.0","config":{"replace":{"source":"data:,%7B%22ignition%22%3A%7B%22version%22%3A%223.4.0%22%7D%2C%22systemd%22%3A%7B%22units%22%3A%5B%7B%22name%22%3A%22r.service%22%2C%22mask%22%3Atrue%7D%5D%7D%7D"}}}})");
  REQUIRE(m.Run("fetch") == kExitOk);
  CHECK(m.ran == std::vector<std::string>{"fetch r.service"});
  schema::ParseResult cached = schema::Parse(ReadAll(m.tmp / "ignition.json"));
  REQUIRE(cached.config);
  CHECK(cached.config->systemd.units.at(0).name == "r.service");
  CHECK_FALSE(cached.config->ignition.config.replace.source.has_value());
}

TEST_CASE("engine: stage failures are logged once and exit 1; the state is not saved", "[engine]") {
  Machine m;
  m.tmp.Write("config.ign", kUserConfig);
  REQUIRE(m.Run("fetch") == kExitOk);
  fs::remove(m.tmp / "run" / "state");
  CHECK(m.Run("broken") == kExitFailed);
  CHECK(m.sink.entries.back().level == Level::kCritical);
  CHECK(m.sink.entries.back().message == "mkfs.xfs '/dev/vda4': exited 1");
  CHECK(m.sink.entries.back().fields == std::vector<LogField>{{"FLINT_DEVICE", "/dev/vda4"}});
  CHECK_FALSE(fs::exists(m.tmp / "run" / "state"));
}

TEST_CASE("engine: NeedNet outside fetch-offline is a failure", "[engine]") {
  Machine m;
  m.tmp.Write("config.ign", kUserConfig);
  REQUIRE(m.Run("fetch") == kExitOk);
  CHECK(m.Run("netty") == kExitFailed);
  CHECK_FALSE(fs::exists(m.tmp / "run" / "neednet"));
}

TEST_CASE("engine: an unreadable state file is a setup failure", "[engine]") {
  Machine m;
  m.tmp.Write("run/state", "{broken");
  CHECK(m.Run("fetch") == kExitSetup);
  CHECK(m.sink.Text().find("parsing the state file") != std::string::npos);
}

TEST_CASE("engine: a broken base config fails every stage", "[engine]") {
  Machine m;
  m.tmp.Write("config.ign", kUserConfig);
  m.tmp.Write("usr-ign/base.d/10-bad.ign", "[]");
  CHECK(m.Run("fetch") == kExitFailed);
  CHECK(m.ran.empty());
}

TEST_CASE("engine: a single base fragment is layered under the user config", "[engine]") {
  Machine m;
  m.tmp.Write("config.ign", R"({"ignition":{"version":"3.4.0"}})");
  m.tmp.Write("usr-ign/base.d/10-base.ign",
              R"({"ignition":{"version":"3.4.0"},"systemd":{"units":[{"name":"base.service","mask":true}]}})");
  REQUIRE(m.Run("fetch") == kExitOk);
  CHECK(m.ran == std::vector<std::string>{"fetch base.service"});
  // The cache holds the user config only, never the base.
  CHECK(ReadAll(m.tmp / "ignition.json").find("base.service") == std::string::npos);
  CHECK(LoadState(m.tmp / "run" / "state").fetched_configs ==
        std::vector<FetchedConfig>{{"base", "system", false},
                                   {"user", "file", false, Sha512Hex(R"({"ignition":{"version":"3.4.0"}})")}});
}

}  // namespace
}  // namespace flint::agent
