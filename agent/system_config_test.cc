#include "agent/system_config.h"

#include <catch2/catch.hpp>
#include <stdexcept>

#include "agent/error.h"
#include "schema/merge.h"
#include "tests/temp_dir.h"

namespace flint::agent {
namespace {

namespace fs = std::filesystem;
using flint::testing::TempDir;

// The three directories under a scratch dir, highest priority first.
struct Dirs {
  TempDir tmp;
  std::vector<fs::path> dirs{tmp / "run", tmp / "etc", tmp / "usr"};
};

std::vector<std::string> Relative(const std::vector<fs::path>& paths, const fs::path& base) {
  std::vector<std::string> out;
  for (const fs::path& p : paths) out.push_back(p.lexically_relative(base).string());
  return out;
}

constexpr const char* kEmpty34 = R"({"ignition":{"version":"3.4.0"}})";

TEST_CASE("system config: the directories and their env overrides", "[system-config]") {
  CHECK(SystemConfigDirs(FakeEnv({})) ==
        std::vector<fs::path>{"/run/ignition", "/etc/ignition", "/usr/lib/ignition"});
  CHECK(SystemConfigDirs(FakeEnv({{"IGNITION_SYSTEM_RUNTIME_CONFIG_DIR", "/r"},
                                  {"IGNITION_SYSTEM_LOCAL_CONFIG_DIR", "/l"},
                                  {"IGNITION_SYSTEM_CONFIG_DIR", "/s"}})) == std::vector<fs::path>{"/r", "/l", "/s"});
  // Empty means unset, as upstream.
  CHECK(SystemConfigDirs(FakeEnv({{"IGNITION_SYSTEM_CONFIG_DIR", ""}}))[2] == "/usr/lib/ignition");
}

TEST_CASE("system config: fragments: highest priority per name, sorted by name", "[system-config]") {
  Dirs d;
  d.tmp.Write("usr/base.d/10-vendor.ign", kEmpty34);
  d.tmp.Write("usr/base.d/50-shared.ign", kEmpty34);
  d.tmp.Write("usr/base.d/99-last.ign", kEmpty34);
  d.tmp.Write("etc/base.d/50-shared.ign", kEmpty34);
  d.tmp.Write("etc/base.d/20-admin.ign", kEmpty34);
  d.tmp.Write("run/base.d/50-shared.ign", kEmpty34);
  d.tmp.Write("run/base.d/05-runtime.ign", kEmpty34);
  fs::create_directories(d.tmp / "etc/base.d/30-a-directory");
  CHECK(Relative(FindFragments(d.dirs, "base.d"), d.tmp.path()) ==
        std::vector<std::string>{"run/base.d/05-runtime.ign", "usr/base.d/10-vendor.ign", "etc/base.d/20-admin.ign",
                                 "run/base.d/50-shared.ign", "usr/base.d/99-last.ign"});
}

TEST_CASE("system config: no directories at all means no fragments", "[system-config]") {
  Dirs d;
  CHECK(FindFragments(d.dirs, "base.d").empty());
  CHECK(FindFragments(d.dirs, "base.platform.d/qemu").empty());
  CHECK_FALSE(FindUserConfig(d.dirs).has_value());
}

TEST_CASE("system config: platform fragments come from base.platform.d/<platform>", "[system-config]") {
  Dirs d;
  d.tmp.Write("usr/base.platform.d/qemu/10-qemu.ign", kEmpty34);
  d.tmp.Write("usr/base.platform.d/aws/10-aws.ign", kEmpty34);
  CHECK(Relative(FindFragments(d.dirs, "base.platform.d/qemu"), d.tmp.path()) ==
        std::vector<std::string>{"usr/base.platform.d/qemu/10-qemu.ign"});
}

TEST_CASE("system config: user.ign from the highest-priority directory", "[system-config]") {
  Dirs d;
  d.tmp.Write("usr/user.ign", kEmpty34);
  CHECK(FindUserConfig(d.dirs) == d.tmp / "usr/user.ign");
  d.tmp.Write("etc/user.ign", kEmpty34);
  CHECK(FindUserConfig(d.dirs) == d.tmp / "etc/user.ign");
  d.tmp.Write("run/user.ign", kEmpty34);
  CHECK(FindUserConfig(d.dirs) == d.tmp / "run/user.ign");
}

TEST_CASE("system config: a single fragment is the base config", "[system-config]") {
  Dirs d;
  d.tmp.Write("etc/base.d/10-only.ign",
              R"({"ignition":{"version":"3.4.0"},"systemd":{"units":[{"name":"a.service","mask":true}]}})");
  CapturingSink sink;
  Log log(sink);
  BaseConfig base = LoadBaseConfig(d.dirs, "qemu", log);
  REQUIRE(base.fragments == std::vector<fs::path>{d.tmp / "etc/base.d/10-only.ign"});
  REQUIRE(base.config.systemd.units.size() == 1);
  CHECK(base.config.systemd.units[0].name == "a.service");
}

TEST_CASE("system config: no fragments: an empty base config", "[system-config]") {
  Dirs d;
  CapturingSink sink;
  Log log(sink);
  BaseConfig base = LoadBaseConfig(d.dirs, "qemu", log);
  CHECK(base.fragments.empty());
  CHECK(base.config == schema::Config{});
}

TEST_CASE("system config: a broken base.d fragment fails, naming the file", "[system-config]") {
  Dirs d;
  d.tmp.Write("usr/base.d/10-bad.ign", R"({"ignition":{"version":"2.2.0"}})");
  CapturingSink sink;
  Log log(sink);
  try {
    LoadBaseConfig(d.dirs, "qemu", log);
    FAIL("expected a failure");
  } catch (const Failure& f) {
    CHECK(std::string(f.what()).find((d.tmp / "usr/base.d/10-bad.ign").string()) != std::string::npos);
    CHECK(std::string(f.what()).find("unsupported config version") != std::string::npos);
  }
  d.tmp.Write("usr/base.d/10-bad.ign", "");
  CHECK_THROWS_WITH(LoadBaseConfig(d.dirs, "qemu", log),
                    "reading the base config '" + (d.tmp / "usr/base.d/10-bad.ign").string() +
                        "': the file is empty");
}

TEST_CASE("system config: a broken platform fragment is logged and ignored, as upstream", "[system-config]") {
  Dirs d;
  d.tmp.Write("usr/base.platform.d/qemu/10-bad.ign", "{");
  CapturingSink sink;
  Log log(sink);
  BaseConfig base = LoadBaseConfig(d.dirs, "qemu", log);
  CHECK(base.fragments.empty());
  CHECK(sink.Text().find("WARNING: ignoring the base configs in base.platform.d/qemu") != std::string::npos);
}

TEST_CASE("system config: fragments merge in order, platform last", "[system-config][merge]") {
  Dirs d;
  d.tmp.Write("usr/base.d/10-a.ign",
              R"({"ignition":{"version":"3.4.0"},"systemd":{"units":[{"name":"a.service","enabled":true}]}})");
  d.tmp.Write("etc/base.d/20-b.ign",
              R"({"ignition":{"version":"3.4.0"},"systemd":{"units":[{"name":"a.service","enabled":false}]}})");
  d.tmp.Write("run/base.platform.d/qemu/10-p.ign",
              R"({"ignition":{"version":"3.4.0"},"systemd":{"units":[{"name":"p.service","mask":true}]}})");
  CapturingSink sink;
  Log log(sink);
  BaseConfig base = LoadBaseConfig(d.dirs, "qemu", log);
  CHECK(Relative(base.fragments, d.tmp.path()) ==
        std::vector<std::string>{"usr/base.d/10-a.ign", "etc/base.d/20-b.ign", "run/base.platform.d/qemu/10-p.ign"});
  REQUIRE(base.config.systemd.units.size() == 2);
  CHECK(base.config.systemd.units[0].name == "a.service");
  CHECK(base.config.systemd.units[0].enabled == false);
  CHECK(base.config.systemd.units[1].name == "p.service");
}

}  // namespace
}  // namespace flint::agent
