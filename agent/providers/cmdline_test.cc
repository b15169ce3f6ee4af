#include "agent/providers/cmdline.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "agent/error.h"
#include "tests/fake_fetcher.h"
#include "tests/fake_mount.h"
#include "tests/temp_dir.h"

namespace flint::agent {
namespace {

namespace fs = std::filesystem;
using flint::testing::FakeDrives;
using flint::testing::FakeFetcher;
using flint::testing::TempDir;

TEST_CASE("cmdline: values as upstream parses them", "[cmdline]") {
  CHECK(CmdlineValue("ro ignition.config.url=http://h/c quiet\n", "ignition.config.url") == "http://h/c");
  CHECK(CmdlineValue("ignition.config.url=a ignition.config.url=b", "ignition.config.url") == "b");
  CHECK(CmdlineValue("ignition.config.url=a ignition.config.url", "ignition.config.url") == "a");
  // An empty value is skipped (upstream: "url flag found but no value provided").
  CHECK(CmdlineValue("ignition.config.url=a ignition.config.url=", "ignition.config.url") == "a");
  CHECK_FALSE(CmdlineValue("ignition.config.url=", "ignition.config.url").has_value());
  CHECK_FALSE(CmdlineValue("ro quiet", "ignition.config.url").has_value());
  CHECK_FALSE(CmdlineValue("xignition.config.url=a", "ignition.config.url").has_value());
  CHECK(CmdlineValue("k=v=w", "k") == "v=w");
  CHECK(CmdlineValue("a=1\tk=tab\r\n", "k") == "tab");
}

TEST_CASE("cmdline: what the command line names", "[cmdline]") {
  CHECK(ParseCmdlineConfigSource("ro quiet") == CmdlineConfigSource{});
  CHECK(ParseCmdlineConfigSource("ignition.config.url=https://h/a coreos.inst.ignition_url=http://h/b") ==
        CmdlineConfigSource{"https://h/a", "ignition.config.url", std::nullopt, std::nullopt});
  // S1: the installer's argument, on a live boot, names the config too.
  CHECK(ParseCmdlineConfigSource(
            "ip=192.168.120.104::192.168.120.101:255.255.255.0:worker1.okd.example:ens786f1:none "
            "coreos.inst.install_dev=sda coreos.inst.ignition_url=http://192.168.120.101:8080/ignition/worker.ign") ==
        CmdlineConfigSource{"http://192.168.120.101:8080/ignition/worker.ign", "coreos.inst.ignition_url", std::nullopt,
                            std::nullopt});
  CHECK(ParseCmdlineConfigSource("ignition.config.device=CONFIG ignition.config.path=/ignition/config.ign") ==
        CmdlineConfigSource{std::nullopt, "", "CONFIG", "/ignition/config.ign"});
}

TEST_CASE("cmdline: flint.config_drive_timeout", "[cmdline]") {
  CapturingSink sink;
  Log log(sink);
  CHECK(ConfigDriveTimeoutSeconds("ro", log) == 300);
  CHECK(ConfigDriveTimeoutSeconds("flint.config_drive_timeout=45", log) == 45);
  CHECK(ConfigDriveTimeoutSeconds("flint.config_drive_timeout=0", log) == 0);
  CHECK(sink.entries.empty());
  CHECK(ConfigDriveTimeoutSeconds("flint.config_drive_timeout=5m", log) == 300);
  CHECK(sink.Text() == "WARNING: flint.config_drive_timeout=5m is not a number of seconds: using 300");
}

// A scratch machine: command line, by-label dir, fake mount, fake fetcher.
struct Machine {
  TempDir tmp;
  FakeDrives drives{tmp};
  std::map<std::string, std::string> vars{{"IGNITION_KERNEL_CMDLINE_PATH", (tmp / "cmdline").string()},
                                          {"FLINT_DISK_BY_LABEL_DIR", drives.by_label()},
                                          {"FLINT_TOOL_MOUNT", "/bin/mount"},
                                          {"FLINT_TOOL_UMOUNT", "/bin/umount"}};
  Env env = FakeEnv(vars);
  CapturingSink sink;
  Log log{sink};
  FakeFetcher fetcher;
  FakeRunner runner;
  int sleeps = 0;
  std::function<void()> on_sleep;
  ProviderContext ctx{log, env, false, &fetcher, &runner, [this] {
                        ++sleeps;
                        if (on_sleep) on_sleep();
                      }};

  Machine() {
    runner.handler = [this](const Argv& argv) { return drives.Handle(argv); };
  }
  void Cmdline(const std::string& text) { tmp.Write("cmdline", text); }
};

TEST_CASE("cmdline: no command line, or one naming no config", "[cmdline]") {
  Machine m;
  CHECK_FALSE(FetchCmdlineConfig(m.ctx).has_value());
  m.Cmdline("BOOT_IMAGE=/vmlinuz ro quiet\n");
  CHECK_FALSE(FetchCmdlineConfig(m.ctx).has_value());
  CHECK(m.fetcher.calls.empty());
  CHECK(m.runner.calls.empty());
}

TEST_CASE("cmdline: a config URL is fetched", "[cmdline]") {
  Machine m;
  m.fetcher.responses["https://mcs:22623/config/worker"] = "{}";
  m.Cmdline("BOOT_IMAGE=/vmlinuz ignition.firstboot ignition.config.url=https://mcs:22623/config/worker\n");
  std::optional<CmdlineConfig> c = FetchCmdlineConfig(m.ctx);
  REQUIRE(c);
  CHECK(c->bytes == "{}");
  CHECK(c->url == "https://mcs:22623/config/worker");
  CHECK(m.fetcher.Urls() == std::vector<std::string>{"https://mcs:22623/config/worker"});
}

TEST_CASE("cmdline: coreos.inst.ignition_url when ignition.config.url is absent", "[cmdline]") {
  Machine m;
  m.fetcher.responses["http://192.168.120.101:8080/ignition/worker.ign"] = "W";
  m.Cmdline("coreos.inst.install_dev=sda coreos.inst.ignition_url=http://192.168.120.101:8080/ignition/worker.ign");
  std::optional<CmdlineConfig> c = FetchCmdlineConfig(m.ctx);
  REQUIRE(c);
  CHECK(c->bytes == "W");
  CHECK(m.sink.Text().find("fetching the config named by coreos.inst.ignition_url "
                           "'http://192.168.120.101:8080/ignition/worker.ign'") != std::string::npos);
  CHECK(c->described == "coreos.inst.ignition_url 'http://192.168.120.101:8080/ignition/worker.ign'");
}

TEST_CASE("cmdline: offline, a URL that needs networking asks for it", "[cmdline]") {
  Machine m;
  m.ctx.offline = true;
  m.Cmdline("ignition.config.url=http://127.0.0.1:1/c.ign");
  CHECK_THROWS_AS(FetchCmdlineConfig(m.ctx), NeedNet);
  CHECK(m.fetcher.calls.empty());
  // A data URL does not.
  m.Cmdline("ignition.config.url=data:,%7B%7D");
  std::optional<CmdlineConfig> c = FetchCmdlineConfig(m.ctx);
  REQUIRE(c);
  CHECK(c->bytes == "{}");
}

TEST_CASE("cmdline: a failed fetch names the argument and the URL", "[cmdline]") {
  Machine m;
  m.Cmdline("ignition.config.url=https://user:pw@h/missing?sig=1");
  CHECK_THROWS_WITH(FetchCmdlineConfig(m.ctx),
                    "fetching the config named by ignition.config.url 'https://***@h/missing?sig=***': resource not found");
}

TEST_CASE("cmdline: the URL takes precedence over a device", "[cmdline]") {
  Machine m;
  m.Cmdline("ignition.config.device=CONFIG ignition.config.url=data:,x ignition.config.path=/c.ign");
  std::optional<CmdlineConfig> c = FetchCmdlineConfig(m.ctx);
  REQUIRE(c);
  CHECK(c->bytes == "x");
  CHECK(m.sink.Text().find("WARNING: \"ignition.config.url\" takes precedence; ignoring \"ignition.config.device\" "
                           "and \"ignition.config.path\"") != std::string::npos);
  CHECK(m.runner.calls.empty());
}

TEST_CASE("cmdline: a device and a path go together", "[cmdline]") {
  Machine m;
  m.Cmdline("ignition.config.device=CONFIG");
  CHECK_THROWS_WITH(FetchCmdlineConfig(m.ctx),
                    "both \"ignition.config.device\" and \"ignition.config.path\" must be provided together");
  m.Cmdline("ignition.config.path=/c.ign");
  CHECK_THROWS_WITH(FetchCmdlineConfig(m.ctx),
                    "both \"ignition.config.device\" and \"ignition.config.path\" must be provided together");
}

TEST_CASE("cmdline: the config file on a labelled device, mounted read-only", "[cmdline]") {
  Machine m;
  m.drives.Add("CONFIG", {{"ignition/config.ign", "DEVICE-CONFIG"}});
  m.Cmdline("ignition.config.device=CONFIG ignition.config.path=/ignition/config.ign");
  std::optional<CmdlineConfig> c = FetchCmdlineConfig(m.ctx);
  REQUIRE(c);
  CHECK(c->bytes == "DEVICE-CONFIG");
  CHECK(c->url.empty());
  REQUIRE(m.runner.calls.size() == 2);
  const Argv& mount = m.runner.calls[0];
  REQUIRE(mount.size() == 7);
  CHECK(Argv(mount.begin(), mount.begin() + 6) ==
        Argv{"/bin/mount", "-o", "ro", "-t", "auto", m.drives.by_label() + "/CONFIG"});
  CHECK(m.runner.calls[1] == Argv{"/bin/umount", mount[6]});
  CHECK_FALSE(fs::exists(mount[6]));  // the mount point is removed
  CHECK(m.sleeps == 0);
}

TEST_CASE("cmdline: the config path cannot leave the device", "[cmdline]") {
  Machine m;
  m.drives.Add("CONFIG", {{"c.ign", "INSIDE"}});
  m.Cmdline("ignition.config.device=CONFIG ignition.config.path=../../../c.ign");
  std::optional<CmdlineConfig> c = FetchCmdlineConfig(m.ctx);
  REQUIRE(c);
  CHECK(c->bytes == "INSIDE");
}

TEST_CASE("cmdline: a device that appears late is waited for", "[cmdline]") {
  Machine m;
  m.drives.Stage("CONFIG", {{"c.ign", "LATE"}});
  m.on_sleep = [&] {
    if (m.sleeps == 3) m.drives.Attach("CONFIG");
  };
  m.Cmdline("ignition.config.device=CONFIG ignition.config.path=/c.ign");
  std::optional<CmdlineConfig> c = FetchCmdlineConfig(m.ctx);
  REQUIRE(c);
  CHECK(c->bytes == "LATE");
  CHECK(m.sleeps == 3);
}

TEST_CASE("cmdline: a device that never appears fails after 30 s", "[cmdline]") {
  Machine m;
  m.Cmdline("ignition.config.device=CONFIG ignition.config.path=/c.ign");
  CHECK_THROWS_WITH(FetchCmdlineConfig(m.ctx), "waiting for the config device named by ignition.config.device '" +
                                                   m.drives.by_label() +
                                                   "/CONFIG': device \"CONFIG\" did not appear within 30s");
  CHECK(m.sleeps == 30);
  CHECK(m.runner.calls.empty());
}

TEST_CASE("cmdline: a missing file on the device, and bad labels", "[cmdline]") {
  Machine m;
  m.drives.Add("CONFIG", {{"other.ign", "x"}});
  m.Cmdline("ignition.config.device=CONFIG ignition.config.path=/c.ign");
  CHECK_THROWS_WITH(FetchCmdlineConfig(m.ctx),
                    Catch::StartsWith("reading the config named by ignition.config.path '/c.ign': No such file on "
                                      "the device labelled \"CONFIG\" ('") &&
                        Catch::EndsWith("/CONFIG')"));
  CHECK(m.runner.calls.size() == 2);  // mounted and unmounted
  m.Cmdline("ignition.config.device=../sda ignition.config.path=/c.ign");
  CHECK_THROWS_WITH(FetchCmdlineConfig(m.ctx), "invalid device label \"../sda\"");
}

TEST_CASE("cmdline: a failed mount names the command and its stderr", "[cmdline]") {
  Machine m;
  m.drives.Attach("CONFIG");  // present, but nothing staged: the fake mount fails
  m.Cmdline("ignition.config.device=CONFIG ignition.config.path=/c.ign");
  try {
    FetchCmdlineConfig(m.ctx);
    FAIL("no failure");
  } catch (const Failure& f) {
    CHECK(std::string(f.what()).rfind("/bin/mount -o ro -t auto " + m.drives.by_label() + "/CONFIG ", 0) == 0);
    CHECK(f.cause() == "mount: " + m.drives.by_label() + "/CONFIG: wrong fs type");
  }
  CHECK(m.runner.calls.size() == 1);  // no umount of what was never mounted
}

}  // namespace
}  // namespace flint::agent
