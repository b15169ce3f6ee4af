#include "agent/providers/cmdline.h"

#include <catch2/catch.hpp>

#include "tests/temp_dir.h"

namespace flint::agent {
namespace {

TEST_CASE("cmdline: values as upstream parses them", "[cmdline]") {
  CHECK(CmdlineValue("ro ignition.config.url=http://h/c quiet\n", "ignition.config.url") == "http://h/c");
  CHECK(CmdlineValue("ignition.config.url=a ignition.config.url=b", "ignition.config.url") == "b");
  CHECK(CmdlineValue("ignition.config.url=a ignition.config.url", "ignition.config.url") == "a");
  CHECK_FALSE(CmdlineValue("ignition.config.url=a ignition.config.url=", "ignition.config.url").has_value());
  CHECK_FALSE(CmdlineValue("ro quiet", "ignition.config.url").has_value());
  CHECK_FALSE(CmdlineValue("xignition.config.url=a", "ignition.config.url").has_value());
  CHECK(CmdlineValue("k=v=w", "k") == "v=w");
}

TEST_CASE("cmdline: read from IGNITION_KERNEL_CMDLINE_PATH", "[cmdline]") {
  flint::testing::TempDir dir;
  dir.Write("cmdline", "BOOT_IMAGE=/vmlinuz ignition.firstboot ignition.config.url=https://mcs:22623/config/worker\n");
  Env env = FakeEnv({{"IGNITION_KERNEL_CMDLINE_PATH", (dir / "cmdline").string()}});
  CapturingSink sink;
  Log log(sink);
  ProviderContext ctx{log, env};
  CHECK(CmdlineConfigUrl(ctx) == "https://mcs:22623/config/worker");

  Env missing = FakeEnv({{"IGNITION_KERNEL_CMDLINE_PATH", (dir / "none").string()}});
  ProviderContext ctx2{log, missing};
  CHECK_FALSE(CmdlineConfigUrl(ctx2).has_value());
}

}  // namespace
}  // namespace flint::agent
