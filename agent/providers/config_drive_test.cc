// The config-drive platforms with their drives staged in a scratch
// directory (FLINT_DISK_BY_LABEL_DIR) and a fake mount.
#include "agent/providers/config_drive.h"

#include <catch2/catch.hpp>

#include "agent/error.h"
#include "tests/fake_fetcher.h"
#include "tests/fake_mount.h"
#include "tests/temp_dir.h"

namespace flint::agent {
namespace {

using flint::testing::FakeDrives;
using flint::testing::FakeFetcher;
using flint::testing::TempDir;

struct Machine {
  TempDir tmp;
  FakeDrives drives{tmp};
  std::map<std::string, std::string> vars{{"IGNITION_KERNEL_CMDLINE_PATH", (tmp / "cmdline").string()},
                                          {"FLINT_DISK_BY_LABEL_DIR", drives.by_label()},
                                          {"FLINT_METADATA_URL", "http://127.0.0.1:9"}};
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
    tmp.Write("cmdline", "ro\n");
  }
};

TEST_CASE("config drive: labels described", "[providers]") {
  CHECK(DescribeLabels({kConfigDrive}) == "'config-2'");
  CHECK(DescribeLabels({kConfigDrive, kNoCloud}) == "'config-2' or 'cidata'");
  CHECK(DescribeLabels({{"a", {}}, {"b", {}}, {"c", {}}}) == "'a', 'b' or 'c'");
}

TEST_CASE("kubevirt: a config drive (config-2) or NoCloud (cidata), whichever is there", "[providers]") {
  SECTION("config drive") {
    Machine m;
    m.drives.Add("config-2", {{"openstack/latest/user_data", "CONFIG-DRIVE"}});
    CHECK(FetchKubevirtConfig(m.ctx) == "CONFIG-DRIVE");
  }
  SECTION("NoCloud") {
    Machine m;
    m.drives.Add("cidata", {{"user-data", "NOCLOUD"}, {"meta-data", "instance-id: x"}});
    CHECK(FetchKubevirtConfig(m.ctx) == "NOCLOUD");
    REQUIRE(m.runner.calls.size() == 2);
    CHECK(m.runner.calls[0][5] == m.drives.by_label() + "/cidata");
  }
  SECTION("a drive without user data is an empty config") {
    Machine m;
    m.drives.Add("cidata", {{"meta-data", "instance-id: x"}});
    CHECK(FetchKubevirtConfig(m.ctx) == "");
  }
  SECTION("one that appears after a while") {
    Machine m;
    m.drives.Stage("cidata", {{"user-data", "LATE"}});
    m.on_sleep = [&] {
      if (m.sleeps == 12) m.drives.Attach("cidata");
    };
    CHECK(FetchKubevirtConfig(m.ctx) == "LATE");
    CHECK(m.sleeps == 12);
    // The console says what it waits for, every 10 s.
    CHECK(m.sink.Text().find("INFO: waiting for a config drive labelled 'config-2' or 'cidata' in '" +
                             m.drives.by_label() + "' (10s of 300s)") != std::string::npos);
  }
}

TEST_CASE("kubevirt: no cloud-init disk fails in bounded time, clearly", "[providers]") {
  Machine m;
  m.tmp.Write("cmdline", "ro flint.config_drive_timeout=20\n");
  CHECK_THROWS_WITH(FetchKubevirtConfig(m.ctx),
                    "waiting for the kubevirt config drive '" + m.drives.by_label() +
                        "': no filesystem labelled 'config-2' or 'cidata' appeared within 20s; attach the cloud-init "
                        "disk to the machine, or set flint.config_drive_timeout=SECONDS on the kernel command line "
                        "to wait longer");
  CHECK(m.sleeps == 20);
  CHECK(m.runner.calls.empty());
}

TEST_CASE("kubevirt: the default wait is 5 minutes", "[providers]") {
  Machine m;
  CHECK_THROWS_AS(FetchKubevirtConfig(m.ctx), Failure);
  CHECK(m.sleeps == 300);
}

TEST_CASE("nutanix and powervs: config-2, bounded wait", "[providers]") {
  for (FetchConfigFn fetch : {FetchNutanixConfig, FetchPowervsConfig}) {
    Machine m;
    m.drives.Add("config-2", {{"openstack/latest/user_data", "CD"}});
    CHECK(fetch(m.ctx) == "CD");
    Machine none;
    none.tmp.Write("cmdline", "flint.config_drive_timeout=3");
    CHECK_THROWS_AS(fetch(none.ctx), Failure);
    CHECK(none.sleeps == 3);
    // A NoCloud drive is not theirs.
    Machine other;
    other.tmp.Write("cmdline", "flint.config_drive_timeout=1");
    other.drives.Add("cidata", {{"user-data", "X"}});
    CHECK_THROWS_AS(fetch(other.ctx), Failure);
  }
}

TEST_CASE("ibmcloud: cidata, or no config after 30 s", "[providers]") {
  Machine m;
  m.drives.Add("cidata", {{"user-data", "IBM"}});
  CHECK(FetchIbmcloudConfig(m.ctx) == "IBM");
  Machine none;
  CHECK(FetchIbmcloudConfig(none.ctx) == "");
  CHECK(none.sleeps == 30);
  CHECK(none.sink.Text().find("no drive labelled \"cidata\" appeared within 30s: continuing without a config") !=
        std::string::npos);
}

TEST_CASE("proxmoxve: user-data, else vendor-data, never cloud-config", "[providers]") {
  Machine m;
  m.drives.Add("cidata", {{"user-data", "#cloud-config\nusers: []\n"}, {"vendor-data", "{\"ignition\":{}}"}});
  CHECK(FetchProxmoxveConfig(m.ctx) == "{\"ignition\":{}}");
  Machine first;
  first.drives.Add("cidata", {{"user-data", "USER"}, {"vendor-data", "VENDOR"}});
  CHECK(FetchProxmoxveConfig(first.ctx) == "USER");
  Machine empty;
  empty.drives.Add("cidata", {{"user-data", ""}, {"vendor-data", "#cloud-config\n"}});
  CHECK(FetchProxmoxveConfig(empty.ctx) == "");
  Machine none;
  CHECK(FetchProxmoxveConfig(none.ctx) == "");
  CHECK(none.sleeps == 30);
}

TEST_CASE("openstack: the config drive, else the metadata service", "[providers]") {
  SECTION("config-2") {
    Machine m;
    m.drives.Add("config-2", {{"openstack/latest/user_data", "OS"}});
    CHECK(FetchOpenstackConfig(m.ctx) == "OS");
    CHECK(m.fetcher.calls.empty());
  }
  SECTION("CONFIG-2 (vfat labels are upper case)") {
    Machine m;
    m.drives.Add("CONFIG-2", {{"openstack/latest/user_data", "VFAT"}});
    CHECK(FetchOpenstackConfig(m.ctx) == "VFAT");
  }
  SECTION("metadata service") {
    Machine m;
    m.fetcher.responses["http://127.0.0.1:9/openstack/latest/user_data"] = "MDS";
    CHECK(FetchOpenstackConfig(m.ctx) == "MDS");
    CHECK(m.sleeps == 0);
  }
  SECTION("metadata service without user data (404)") {
    Machine m;
    CHECK(FetchOpenstackConfig(m.ctx) == "");
  }
  SECTION("always needs the fetch stage") {
    Machine m;
    m.ctx.offline = true;
    m.drives.Add("config-2", {{"openstack/latest/user_data", "OS"}});
    CHECK_THROWS_AS(FetchOpenstackConfig(m.ctx), NeedNet);
  }
}

TEST_CASE("metal: no platform config", "[providers]") {
  Machine m;
  CHECK(FetchMetalConfig(m.ctx) == "");
  CHECK(m.fetcher.calls.empty());
  CHECK(m.runner.calls.empty());
}

TEST_CASE("platforms: upstream's names; the unsupported ones say so", "[providers]") {
  std::vector<std::string> unsupported;
  for (const Platform& p : Platforms()) {
    if (p.fetch == nullptr) unsupported.emplace_back(p.name);
  }
  CHECK(unsupported == std::vector<std::string>{"applehv", "azurestack", "cloudstack", "hyperv", "ionoscloud",
                                                "nvidiabfb", "outscale", "packet", "stackit", "virtualbox", "vmware",
                                                "zvm"});
  Machine m;
  CHECK_THROWS_WITH(FetchPlatformConfig(*FindPlatform("zvm"), m.ctx), "platform zvm is not supported by this build");
  CHECK(FindPlatform("brightbox")->fetch == FindPlatform("openstack")->fetch);
  CHECK(FindPlatform("bogus") == nullptr);
}

}  // namespace
}  // namespace flint::agent
