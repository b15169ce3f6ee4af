#include <catch2/catch.hpp>
#include <filesystem>

#include "agent/error.h"
#include "agent/providers/provider.h"
#include "tests/temp_dir.h"

namespace flint::agent {
namespace {

using flint::testing::TempDir;

struct Qemu {
  TempDir tmp;
  Env env = FakeEnv({{"FLINT_SYSFS_DIR", (tmp / "sys").string()}, {"FLINT_TOOL_MODPROBE", "/sbin/modprobe"}});
  CapturingSink sink;
  Log log{sink};
  FakeRunner runner;
  ProviderContext ctx{log, env, false, nullptr, &runner};

  void Blob(const std::string& bytes, const std::string& size) {
    tmp.Write("sys/firmware/qemu_fw_cfg/by_name/opt/com.coreos/config/raw", bytes);
    tmp.Write("sys/firmware/qemu_fw_cfg/by_name/opt/com.coreos/config/size", size);
  }
};

TEST_CASE("qemu: the fw_cfg blob opt/com.coreos/config", "[providers]") {
  Qemu q;
  std::string config(70000, 'x');  // more than one page
  q.Blob(config, std::to_string(config.size()) + "\n");
  CHECK(FetchQemuConfig(q.ctx) == config);
  CHECK(q.runner.calls.empty());  // the module is loaded already
}

TEST_CASE("qemu: the module is loaded when fw_cfg is missing", "[providers]") {
  Qemu q;
  q.runner.handler = [&](const Argv&) {
    q.Blob("{}", "2");
    return RunResult{};
  };
  CHECK(FetchQemuConfig(q.ctx) == "{}");
  CHECK(q.runner.calls == std::vector<Argv>{{"/sbin/modprobe", "qemu_fw_cfg"}});
}

TEST_CASE("qemu: no blob is no config; a failed modprobe is a failure", "[providers]") {
  Qemu q;
  std::filesystem::create_directories(q.tmp / "sys/firmware/qemu_fw_cfg/by_name");
  CHECK(FetchQemuConfig(q.ctx) == "");
  CHECK(q.sink.Text().find("/by_name/opt/com.coreos/config': continuing without a config") != std::string::npos);
  Qemu broken;
  broken.runner.results.push_back({1, "", "modprobe: FATAL: Module qemu_fw_cfg not found"});
  CHECK_THROWS_WITH(FetchQemuConfig(broken.ctx),
                    "/sbin/modprobe qemu_fw_cfg exited 1: modprobe: FATAL: Module qemu_fw_cfg not found");
}

TEST_CASE("qemu: a size that disagrees with the blob", "[providers]") {
  Qemu shorter;
  shorter.Blob("abc", "5");
  CHECK_THROWS_WITH(FetchQemuConfig(shorter.ctx), Catch::Contains("ended after 3 of 5 bytes"));
  Qemu longer;
  longer.Blob("abcdef", "5");
  CHECK_THROWS_WITH(FetchQemuConfig(longer.ctx), Catch::Contains("missing EOF"));
  Qemu garbage;
  garbage.Blob("abc", "three");
  CHECK_THROWS_WITH(FetchQemuConfig(garbage.ctx), Catch::Contains("not a number: \"three\""));
}

}  // namespace
}  // namespace flint::agent
