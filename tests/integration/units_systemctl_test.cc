// The units step, then the real `systemctl --root <scratch> preset-all`:
// exactly the units the config enabled end up enabled, instances of a
// template included, and a unit the image had enabled ends up disabled.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "stages/files/stage_fixture_test.h"
#include "stages/files/units.h"

namespace flint::stages {
namespace {

namespace fs = std::filesystem;

constexpr const char* kInstall = "[Unit]\nDescription=test\n[Service]\nExecStart=/bin/true\n"
                                 "[Install]\nWantedBy=multi-user.target\n";

std::vector<std::string> Wants(const fs::path& root) {
  std::vector<std::string> names;
  fs::path dir = root / "etc/systemd/system/multi-user.target.wants";
  if (!fs::exists(dir)) return names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST_CASE("units: systemctl preset-all enables exactly what the config asked", "[integration][units]") {
  if (geteuid() != 0 || !fs::exists("/usr/bin/systemctl")) {
    WARN("needs root and systemctl: skipped");
    return;
  }
  struct Fixture : StageFixture {
    agent::ProcessRunner process;
    agent::StageContext Context() { return {config, flags, env, process, *fetcher, log, state}; }
  } f;
  // The image: vendor units, a distribution default of "disable *", and one
  // unit the image enabled that the config turns off.
  f.root.Write("usr/lib/systemd/system/vendor.service", kInstall);
  f.root.Write("usr/lib/systemd/system/preenabled.service", kInstall);
  f.root.Write("usr/lib/systemd/system/echo@.service",
               "[Service]\nExecStart=/bin/echo %i\n[Install]\nWantedBy=multi-user.target\n");
  f.root.Write("usr/lib/systemd/system-preset/99-default.preset", "disable *\n");
  fs::create_directories(f.root / "etc/systemd/system/multi-user.target.wants");
  fs::create_symlink("/usr/lib/systemd/system/preenabled.service",
                     f.root / "etc/systemd/system/multi-user.target.wants/preenabled.service");

  nlohmann::json units = nlohmann::json::array({
      {{"name", "kubelet.service"}, {"enabled", true}, {"contents", kInstall}},
      {{"name", "notasked.service"}, {"contents", kInstall}},
      {{"name", "vendor.service"}, {"enabled", true}},
      {{"name", "preenabled.service"}, {"enabled", false}},
      {{"name", "echo@a.service"}, {"enabled", true}},
      {{"name", "echo@b.service"}, {"enabled", true}},
      {{"name", "ghost.service"}, {"enabled", false}},
  });
  f.Config(nlohmann::json({{"ignition", {{"version", "3.4.0"}}}, {"systemd", {{"units", units}}}}).dump());
  agent::StageContext ctx = f.Context();
  WriteUnits(ctx, f.target());
  CHECK(testing::ReadAll(f.root / "etc/systemd/system-preset/20-ignition.preset") ==
        "disable ghost.service\ndisable preenabled.service\nenable echo@.service a b\nenable kubelet.service\n"
        "enable vendor.service\n");
  CHECK(Wants(f.root.path()) == std::vector<std::string>{});  // preenabled's link is gone

  agent::RunResult r = f.process.Run({"systemctl", "--root", f.root.path().string(), "preset-all"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Wants(f.root.path()) ==
        std::vector<std::string>{"echo@a.service", "echo@b.service", "kubelet.service", "vendor.service"});
}

}  // namespace
}  // namespace flint::stages
