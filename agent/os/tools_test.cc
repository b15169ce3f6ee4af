#include "agent/os/tools.h"

#include <catch2/catch.hpp>
#include <set>

namespace flint::agent {
namespace {

TEST_CASE("tools: the table is in enum order with unique keys", "[tools]") {
  std::set<std::string_view> keys;
  for (size_t i = 0; i < ToolTable().size(); ++i) {
    const ToolInfo& info = ToolTable()[i];
    CHECK(static_cast<size_t>(info.tool) == i);
    CHECK(keys.insert(info.key).second);
    CHECK(ToolFromKey(info.key) == info.tool);
  }
  CHECK_FALSE(ToolFromKey("NOT_A_TOOL").has_value());
}

TEST_CASE("tools: upstream's default commands", "[tools]") {
  Env none = FakeEnv({});
  CHECK(ToolPath(Tool::kMkfsExt4, none) == "mkfs.ext4");
  CHECK(ToolPath(Tool::kMkswap, none) == "mkswap");
  CHECK(ToolPath(Tool::kKargsHelper, none) == "ignition-kargs-helper");
  CHECK(ToolPath(Tool::kCryptsetup, none) == "cryptsetup");
  CHECK(ToolPath(Tool::kSystemctl, none) == "systemctl");
}

TEST_CASE("tools: FLINT_TOOL_<KEY> overrides, empty does not", "[tools]") {
  Env env = FakeEnv({{"FLINT_TOOL_MKFS_XFS", "/opt/bin/mkfs.xfs"}, {"FLINT_TOOL_MDADM", ""}});
  CHECK(ToolPath(Tool::kMkfsXfs, env) == "/opt/bin/mkfs.xfs");
  CHECK(ToolPath(Tool::kMdadm, env) == "mdadm");
  CHECK(ToolPath(Tool::kMkfsExt4, env) == "mkfs.ext4");
}

TEST_CASE("tools: build-time defaults list", "[tools]") {
  std::string_view defaults = "MKFS_XFS=/usr/sbin/mkfs.xfs,MDADM=/sbin/mdadm,BROKEN,EMPTY=";
  CHECK(BuildDefaultFor(defaults, "MKFS_XFS") == "/usr/sbin/mkfs.xfs");
  CHECK(BuildDefaultFor(defaults, "MDADM") == "/sbin/mdadm");
  CHECK_FALSE(BuildDefaultFor(defaults, "BROKEN").has_value());
  CHECK_FALSE(BuildDefaultFor(defaults, "EMPTY").has_value());
  CHECK_FALSE(BuildDefaultFor(defaults, "MKFS").has_value());
  CHECK_FALSE(BuildDefaultFor("", "MDADM").has_value());
}

}  // namespace
}  // namespace flint::agent
