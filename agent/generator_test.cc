#include "agent/generator.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "agent/error.h"
#include "tests/temp_dir.h"

namespace flint::agent {
namespace {

namespace fs = std::filesystem;
using flint::testing::TempDir;

TEST_CASE("generator: ignition.firstboot as a boolean, last one wins", "[generator]") {
  CHECK_FALSE(FirstbootRequested(""));
  CHECK_FALSE(FirstbootRequested("root=LABEL=root ro quiet"));
  CHECK(FirstbootRequested("ignition.firstboot"));
  CHECK(FirstbootRequested("root=x ignition.firstboot ro"));
  CHECK(FirstbootRequested("ignition.firstboot=1"));
  CHECK(FirstbootRequested("ignition.firstboot=yes"));
  CHECK(FirstbootRequested("ignition.firstboot=true"));
  for (const char* off : {"0", "no", "off", ""}) {
    INFO(off);
    CHECK_FALSE(FirstbootRequested(std::string("ignition.firstboot=") + off));
  }
  CHECK_FALSE(FirstbootRequested("ignition.firstboot ignition.firstboot=0"));
  CHECK(FirstbootRequested("ignition.firstboot=off\tignition.firstboot\n"));
  // Other words that merely start with the key are not it.
  CHECK_FALSE(FirstbootRequested("ignition.firstbootx ignition.firstboot.foo=1 xignition.firstboot"));
}

TEST_CASE("generator: the plan names the target and the platform", "[generator]") {
  CHECK(PlanGenerator("ignition.firstboot ignition.platform.id=metal") ==
        GeneratorPlan{true, "ignition-complete.target", "PLATFORM_ID=metal\n"});
  CHECK(PlanGenerator("ignition.platform.id=qemu ignition.platform.id=kubevirt") ==
        GeneratorPlan{false, "ignition-subsequent.target", "PLATFORM_ID=kubevirt\n"});
  // As upstream: no platform id gives an empty one (the stages then refuse).
  CHECK(PlanGenerator("ignition.firstboot=1").env_text == "PLATFORM_ID=\n");
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("generator: applying links the target and writes the env file", "[generator]") {
  TempDir tmp;
  GeneratorPlan plan = PlanGenerator("ignition.firstboot ignition.platform.id=qemu");
  ApplyGenerator(plan, tmp / "gen", "/usr/lib/systemd/system", tmp / "run/ignition.env");
  fs::path link = tmp / "gen/initrd.target.requires/ignition-complete.target";
  REQUIRE(fs::is_symlink(link));
  CHECK(fs::read_symlink(link) == "/usr/lib/systemd/system/ignition-complete.target");
  CHECK(Slurp(tmp / "run/ignition.env") == "PLATFORM_ID=qemu\n");
  CHECK((fs::status(tmp / "run/ignition.env").permissions() & fs::perms::all) == fs::perms(0644));
  // Running again (systemctl daemon-reload) replaces both.
  ApplyGenerator(plan, tmp / "gen", "/usr/lib/systemd/system", tmp / "run/ignition.env");
  CHECK(fs::is_symlink(link));
}

TEST_CASE("generator: an unwritable directory is an error naming it", "[generator]") {
  TempDir tmp;
  tmp.Write("gen", "a file where a directory should be");
  GeneratorPlan plan = PlanGenerator("");
  CHECK_THROWS_AS(ApplyGenerator(plan, tmp / "gen", "/usr/lib/systemd/system", tmp / "ignition.env"), Failure);
}

}  // namespace
}  // namespace flint::agent
