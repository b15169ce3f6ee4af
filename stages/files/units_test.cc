#include "stages/files/units.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "stages/files/stage_fixture_test.h"

namespace flint::stages {
namespace {

namespace fs = std::filesystem;
using agent::Argv;
using testing::ReadAll;

struct UnitsFixture : StageFixture {
  void Run() {
    agent::StageContext ctx = Context();
    WriteUnits(ctx, target());
  }
};

schema::Unit U(std::string name, std::optional<bool> enabled) {
  schema::Unit u;
  u.name = std::move(name);
  u.enabled = enabled;
  return u;
}

TEST_CASE("units: preset lines are sorted and instances grouped by template", "[units]") {
  std::vector<schema::Unit> units = {U("kubelet.service", true),   U("echo@foo.service", true),
                                     U("zincati.service", false),  U("echo@bar.service", true),
                                     U("echo@baz.service", false), U("plain.service", std::nullopt),
                                     U("echo@foo.service", true)};
  CHECK(PresetLines(units) == std::vector<std::string>{"disable echo@.service baz", "disable zincati.service",
                                                       "enable echo@.service foo bar", "enable kubelet.service"});
  CHECK(PresetLines({U("a.service", std::nullopt)}).empty());
}

TEST_CASE("units: splitting template instances", "[units]") {
  CHECK(SplitInstance("echo@bar.service") == std::make_pair(std::string("echo@.service"), std::string("bar")));
  CHECK(SplitInstance("getty@tty1.service") == std::make_pair(std::string("getty@.service"), std::string("tty1")));
  CHECK_FALSE(SplitInstance("echo@.service"));
  CHECK_FALSE(SplitInstance("kubelet.service"));
}

TEST_CASE("units: files, drop-ins, masks and the preset file", "[units]") {
  UnitsFixture f;
  f.root.Write("etc/systemd/system-preset/20-ignition.preset", "enable from-image.service");
  f.root.Write("etc/systemd/system/old.service", "[Unit]\n");
  std::filesystem::create_symlink("/dev/null", f.root / "etc/systemd/system/unmask.service");
  std::filesystem::create_symlink("/lib/x.service", f.root / "etc/systemd/system/other.service");
  f.Config(R"({"ignition":{"version":"3.4.0"},"systemd":{"units":[
      {"name":"kubelet.service","enabled":true,"contents":"[Service]\nExecStart=/usr/bin/kubelet\n",
       "dropins":[{"name":"10-opts.conf","contents":"[Service]\nEnvironment=A=1\n"},{"name":"empty.conf","contents":""},
                  {"name":"nothing.conf"}]},
      {"name":"empty.service","contents":""},
      {"name":"old.service","mask":true},
      {"name":"unmask.service","mask":false},
      {"name":"other.service","mask":false}]}})");
  f.Run();
  const fs::path sys = f.root / "etc/systemd/system";
  CHECK(ReadAll(sys / "kubelet.service") == "[Service]\nExecStart=/usr/bin/kubelet\n");
  CHECK(ReadAll(sys / "kubelet.service.d/10-opts.conf") == "[Service]\nEnvironment=A=1\n");
  CHECK(fs::is_regular_file(sys / "kubelet.service.d/empty.conf"));
  CHECK(fs::file_size(sys / "kubelet.service.d/empty.conf") == 0);
  CHECK_FALSE(fs::exists(sys / "kubelet.service.d/nothing.conf"));
  CHECK_FALSE(fs::exists(fs::symlink_status(sys / "empty.service")));
  CHECK(fs::read_symlink(sys / "old.service") == "/dev/null");
  CHECK_FALSE(fs::exists(fs::symlink_status(sys / "unmask.service")));
  CHECK(fs::read_symlink(sys / "other.service") == "/lib/x.service");
  CHECK(ReadAll(f.root / "etc/systemd/system-preset/20-ignition.preset") ==
        "enable from-image.service\nenable kubelet.service\n");
  struct stat st;
  REQUIRE(::stat((sys / "kubelet.service").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0644);
  CHECK(f.runner.calls.empty());  // nothing to disable
  CHECK(f.Changed("/etc/systemd/system/kubelet.service.d"));
  CHECK(f.Changed(kPresetPath));
  CHECK(f.Changed("/etc/systemd/system/old.service"));
}

TEST_CASE("units: disabling runs systemctl disable only for enabled units", "[units]") {
  UnitsFixture f;
  f.runner.handler = [](const Argv& argv) {
    bool enabled = argv[3] == "is-enabled" && argv[4] == "enabled.service";
    return agent::RunResult{argv[3] == "is-enabled" && !enabled ? 1 : 0, "", ""};
  };
  f.Config(R"({"ignition":{"version":"3.4.0"},"systemd":{"units":[
      {"name":"enabled.service","enabled":false},{"name":"missing.service","enabled":false},
      {"name":"on.service","enabled":true}]}})");
  f.Run();
  const std::string r = f.root.path().string();
  CHECK(f.runner.calls == std::vector<Argv>{{"systemctl", "--root", r, "is-enabled", "enabled.service"},
                                            {"systemctl", "--root", r, "disable", "enabled.service"},
                                            {"systemctl", "--root", r, "is-enabled", "missing.service"}});
  CHECK(ReadAll(f.root / "etc/systemd/system-preset/20-ignition.preset") ==
        "disable enabled.service\ndisable missing.service\nenable on.service\n");
}

TEST_CASE("units: a failing disable fails the step with systemctl's words", "[units]") {
  UnitsFixture f;
  f.runner.results = {{0, "enabled\n", ""}, {1, "", "Failed to disable unit: Access denied\n"}};
  f.Config(R"({"ignition":{"version":"3.4.0"},"systemd":{"units":[{"name":"a.service","enabled":false}]}})");
  CHECK_THROWS_WITH(f.Run(), Catch::Contains("disable a.service exited 1: Failed to disable unit: Access denied"));
  CHECK_FALSE(fs::exists(f.root / "etc/systemd/system-preset/20-ignition.preset"));
}

}  // namespace
}  // namespace flint::stages
