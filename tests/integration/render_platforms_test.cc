// Where the config comes from, through the flint binary: the kernel command
// line (a data: URL, a labelled device), the kubevirt cloud-init disk and
// QEMU's fw_cfg, with devices and sysfs staged in a scratch directory
// (FLINT_DISK_BY_LABEL_DIR, FLINT_SYSFS_DIR) and mount/umount replaced by
// scripts that copy a staged drive into the mount point.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>

#include "agent/digest.h"
#include "agent/os/runner.h"
#include "agent/state.h"
#include "schema/parse.h"
#include "tests/fake_fetcher.h"
#include "tests/temp_dir.h"

namespace flint {
namespace {

namespace fs = std::filesystem;
using agent::RunResult;
using testing::ReadAll;
using testing::TempDir;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

constexpr const char* kWorker =
    R"({"ignition":{"version":"3.4.0"},"systemd":{"units":[{"name":"kubelet.service","enabled":true}]}})";

class Machine {
 public:
  Machine() {
    tmp_.Write("cmdline", "BOOT_IMAGE=/vmlinuz ro\n");
    fs::create_directories(tmp_ / "by-label");
    // mount -o ro -t auto DEVICE DIR: copy the staged drive named like DEVICE.
    Script("mount",
           "#!/bin/sh\nset -e\nsrc=\"" + (tmp_ / "staged").string() +
               "/$(basename \"$5\")\"\n[ -d \"$src\" ] || { echo \"mount: $5: wrong fs type\" >&2; exit 32; }\n"
               "cp -R \"$src/.\" \"$6\"\necho \"$*\" >> \"" +
               (tmp_ / "mount.log").string() + "\"\n");
    Script("umount", "#!/bin/sh\nset -e\nfind \"$1\" -mindepth 1 -delete\necho \"umount $*\" >> \"" +
                         (tmp_ / "mount.log").string() + "\"\n");
  }

  void Drive(const std::string& label, const std::string& file, const std::string& bytes) {
    tmp_.Write("staged/" + label + "/" + file, bytes);
    tmp_.Write("by-label/" + label, "");
  }

  RunResult Flint(const std::string& stage, const std::string& platform) {
    agent::Argv argv = {"env",
                        "-i",
                        "PATH=/usr/bin:/bin",
                        "IGNITION_SYSTEM_RUNTIME_CONFIG_DIR=" + (tmp_ / "sys/run").string(),
                        "IGNITION_SYSTEM_LOCAL_CONFIG_DIR=" + (tmp_ / "sys/etc").string(),
                        "IGNITION_SYSTEM_CONFIG_DIR=" + (tmp_ / "sys/usr").string(),
                        "IGNITION_KERNEL_CMDLINE_PATH=" + (tmp_ / "cmdline").string(),
                        "FLINT_DISK_BY_LABEL_DIR=" + (tmp_ / "by-label").string(),
                        "FLINT_SYSFS_DIR=" + (tmp_ / "sys").string(),
                        "FLINT_TOOL_MOUNT=" + (tmp_ / "bin/mount").string(),
                        "FLINT_TOOL_UMOUNT=" + (tmp_ / "bin/umount").string(),
                        "FLINT_TOOL_MODPROBE=/bin/false",
                        FLINT_BINARY,
                        "-platform",
                        platform,
                        "-stage",
                        stage,
                        "-log-to-stdout",
                        "-config-cache",
                        (tmp_ / "ignition.json").string(),
                        "-state-file",
                        (tmp_ / "run/state").string(),
                        "-neednet",
                        (tmp_ / "run/neednet").string(),
                        "-config-provided-flag",
                        (tmp_ / "run/config-provided").string()};
    return runner_.Run(argv);
  }

  std::vector<std::string> CachedUnits() const {
    schema::ParseResult parsed = schema::Parse(ReadAll(tmp_ / "ignition.json"));
    std::vector<std::string> names;
    if (parsed.config) {
      for (const auto& u : parsed.config->systemd.units) names.push_back(u.name);
    }
    return names;
  }

  TempDir& dir() { return tmp_; }

 private:
  void Script(const std::string& name, const std::string& text) {
    fs::path p = tmp_.Write("bin/" + name, text);
    fs::permissions(p, fs::perms::owner_all);
  }

  TempDir tmp_;
  agent::ProcessRunner runner_;
};

TEST_CASE("platforms: a data: URL on the kernel command line (metal)", "[integration][platforms]") {
  Machine m;
  m.dir().Write("cmdline", "ro ignition.firstboot ignition.config.url=" + testing::DataUrl(kWorker) + "\n");
  RunResult r = m.Flint("fetch-offline", "metal");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(m.CachedUnits() == std::vector<std::string>{"kubelet.service"});
  CHECK(agent::LoadState(m.dir() / "run/state").fetched_configs ==
        std::vector<agent::FetchedConfig>{{"user", "cmdline", false, agent::Sha512Hex(kWorker)}});
  CHECK(Contains(r.out, "fetching the config named by ignition.config.url (a data URL)"));
  CHECK_FALSE(Contains(r.out, "kubelet"));  // contents are never logged
}

TEST_CASE("platforms: ignition.config.device and ignition.config.path", "[integration][platforms]") {
  Machine m;
  m.Drive("IGNCONFIG", "ignition/config.ign", kWorker);
  m.dir().Write("cmdline", "ro ignition.config.device=IGNCONFIG ignition.config.path=/ignition/config.ign\n");
  RunResult r = m.Flint("fetch-offline", "metal");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(m.CachedUnits() == std::vector<std::string>{"kubelet.service"});
  std::string mounts = ReadAll(m.dir() / "mount.log");
  CHECK(Contains(mounts, "-o ro -t auto " + (m.dir() / "by-label/IGNCONFIG").string() + " "));
  CHECK(Contains(mounts, "umount "));
}

TEST_CASE("platforms: kubevirt with a NoCloud disk holding a hosted cluster's pointer config",
          "[integration][platforms]") {
  Machine m;
  // S2: the user data merges the worker config over HTTPS with a bearer token.
  m.Drive(
      "cidata", "user-data",
      R"({"ignition":{"version":"3.2.0","config":{"merge":[{"source":"https://ignition-server.hcp.example/ignition","httpHeaders":[{"name":"Authorization","value":"Bearer s3cret-token"}]}]}}})");
  m.Drive("cidata", "meta-data", "instance-id: worker-0\n");
  RunResult r = m.Flint("fetch-offline", "kubevirt");
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK(fs::exists(m.dir() / "run/neednet"));  // the merge needs the fetch stage
  CHECK(Contains(r.out, "read 'user-data' from the config drive"));
  CHECK_FALSE(Contains(r.out, "s3cret-token"));
}

TEST_CASE("platforms: kubevirt with a config drive", "[integration][platforms]") {
  Machine m;
  m.Drive("config-2", "openstack/latest/user_data", kWorker);
  RunResult r = m.Flint("fetch", "kubevirt");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(m.CachedUnits() == std::vector<std::string>{"kubelet.service"});
}

TEST_CASE("platforms: kubevirt without a cloud-init disk fails in bounded time", "[integration][platforms]") {
  Machine m;
  m.dir().Write("cmdline", "ro flint.config_drive_timeout=2\n");
  auto start = std::chrono::steady_clock::now();
  RunResult r = m.Flint("fetch-offline", "kubevirt");
  auto took = std::chrono::steady_clock::now() - start;
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(took < std::chrono::seconds(10));
  CHECK(Contains(r.out, "CRITICAL: fetch-offline: waiting for the kubevirt config drive '" +
                            (m.dir() / "by-label").string() +
                            "': no filesystem labelled 'config-2' or 'cidata' appeared within 2s; attach the "
                            "cloud-init disk to the machine, or set flint.config_drive_timeout=SECONDS on the kernel "
                            "command line to wait longer\n"));
  CHECK_FALSE(fs::exists(m.dir() / "ignition.json"));
}

TEST_CASE("platforms: qemu fw_cfg", "[integration][platforms]") {
  Machine m;
  m.dir().Write("sys/firmware/qemu_fw_cfg/by_name/opt/com.coreos/config/raw", kWorker);
  m.dir().Write("sys/firmware/qemu_fw_cfg/by_name/opt/com.coreos/config/size",
                std::to_string(std::string(kWorker).size()) + "\n");
  RunResult r = m.Flint("fetch-offline", "qemu");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(m.CachedUnits() == std::vector<std::string>{"kubelet.service"});
  // Without fw_cfg, the module cannot be loaded (modprobe is /bin/false here).
  Machine bare;
  RunResult none = bare.Flint("fetch-offline", "qemu");
  CHECK(none.exit_code == 1);
  CHECK(Contains(none.out, "CRITICAL: fetch-offline: /bin/false qemu_fw_cfg exited 1: (no stderr)"));
}

TEST_CASE("platforms: metadata clouds ask for networking in fetch-offline", "[integration][platforms]") {
  for (const char* platform : {"aws", "gcp", "azure", "digitalocean", "exoscale", "hetzner", "upcloud", "vultr",
                               "oraclecloud", "aliyun", "akamai", "scaleway", "openstack"}) {
    INFO(platform);
    Machine m;
    RunResult r = m.Flint("fetch-offline", platform);
    CHECK(r.exit_code == 0);
    CHECK(fs::exists(m.dir() / "run/neednet"));
    CHECK_FALSE(fs::exists(m.dir() / "ignition.json"));
  }
}

}  // namespace
}  // namespace flint
