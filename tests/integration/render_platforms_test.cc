// Where the config comes from, through the flint binary: the kernel command
// line (a data: URL, a labelled device), the kubevirt cloud-init disk and
// QEMU's fw_cfg, with devices and sysfs staged in a scratch directory
// (FLINT_DISK_BY_LABEL_DIR, FLINT_SYSFS_DIR) and mount/umount replaced by
// scripts that copy a staged drive into the mount point; a metadata cloud and
// config URLs against the test HTTP server, with -fetch-timeout.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>

#include "agent/digest.h"
#include "agent/os/runner.h"
#include "agent/state.h"
#include "schema/parse.h"
#include "tests/fake_fetcher.h"
#include "tests/integration/fetch_fixture.h"
#include "tests/servers.h"
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

  // `env`: more NAME=value settings; `flags`: more flint flags.
  RunResult Flint(const std::string& stage, const std::string& platform, const std::vector<std::string>& env = {},
                  const std::vector<std::string>& flags = {}) {
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
                        "FLINT_TOOL_MODPROBE=/bin/false"};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.insert(argv.end(), {FLINT_BINARY,
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
                        (tmp_ / "run/config-provided").string()});
    argv.insert(argv.end(), flags.begin(), flags.end());
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

TEST_CASE("platforms: aws through a metadata server on 127.0.0.1 (IMDSv2 token, never logged)",
          "[integration][platforms]") {
  Machine m;
  TempDir served;
  served.Write("2019-10-01/user-data", kWorker);
  testing::HttpServer imds(served.path());
  std::string base = "http://127.0.0.1:" + std::to_string(imds.port());
  RunResult r = m.Flint("fetch", "aws", {"FLINT_METADATA_URL=" + base});
  INFO(r.out + r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(m.CachedUnits() == std::vector<std::string>{"kubelet.service"});
  std::string requests = imds.RequestLog();
  CHECK(Contains(requests, R"("method": "PUT", "path": "/latest/api/token")"));
  CHECK(Contains(requests, R"(["X-aws-ec2-metadata-token", "imds-token"])"));
  CHECK_FALSE(Contains(r.out + r.err, "imds-token"));
  CHECK(agent::LoadState(m.dir() / "run/state").fetched_configs ==
        std::vector<agent::FetchedConfig>{{"user", "aws", false, agent::Sha512Hex(kWorker)}});
}

TEST_CASE("platforms: -fetch-timeout bounds fetching the provider's config and is named", "[integration][platforms]") {
  Machine m;
  TempDir served;
  testing::HttpServer server(served.path());
  std::string url = server.Url("fail/1000/cmdline/config.ign");
  m.dir().Write("cmdline", "ro ignition.config.url=" + url + "\n");
  auto start = std::chrono::steady_clock::now();
  RunResult r = m.Flint("fetch", "metal", {}, {"-fetch-timeout", "2s"});
  double took = testing::SecondsSince(start);
  INFO(r.out + r.err);
  CHECK(r.exit_code == 1);
  CHECK(took < 4.5);
  CHECK_FALSE(fs::exists(m.dir() / "ignition.json"));
  CHECK(Contains(r.out, "WARNING: fetch: GET " + url + ": attempt #1 failed: the server answered HTTP 500 Internal "
                        "Server Error; next try in "));
  CHECK(Contains(r.out, "CRITICAL: fetch: fetching the config named by ignition.config.url '" + url +
                            "': gave up after "));
  CHECK(Contains(r.out, " attempts within -fetch-timeout (2s); last error: the server answered HTTP 500 Internal "
                        "Server Error"));
}

TEST_CASE("platforms: configs referenced by the provider's config follow its timeouts, not -fetch-timeout",
          "[integration][platforms]") {
  TempDir served;
  served.Write("worker.ign", kWorker);
  testing::HttpServer server(served.path());
  auto pointer = [&](const std::string& url, const std::string& timeouts) {
    return R"({"ignition":{"version":"3.4.0",)" + timeouts + R"("config":{"merge":[{"source":")" + url + R"("}]}}})";
  };
  // Four 500s take longer than -fetch-timeout 1s, but the pointer sets no
  // httpTotal: upstream retries for as long as it takes.
  Machine patient;
  patient.dir().Write("config.ign", pointer(server.Url("fail/4/ref/worker.ign"), ""));
  std::string config_file = "IGNITION_CONFIG_FILE=" + (patient.dir() / "config.ign").string();
  RunResult ok = patient.Flint("fetch", "file", {config_file}, {"-fetch-timeout", "1s"});
  INFO(ok.out + ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(patient.CachedUnits() == std::vector<std::string>{"kubelet.service"});
  // Its own httpTotal bounds the reference, and is named.
  Machine bounded;
  bounded.dir().Write("config.ign", pointer(server.Url("fail/1000/ref2/worker.ign"), R"("timeouts":{"httpTotal":1},)"));
  config_file = "IGNITION_CONFIG_FILE=" + (bounded.dir() / "config.ign").string();
  RunResult r = bounded.Flint("fetch", "file", {config_file}, {"-fetch-timeout", "30s"});
  INFO(r.out + r.err);
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.out, "CRITICAL: fetch: fetching the referenced config '" + server.Url("fail/1000/ref2/worker.ign") +
                            "' (at $.ignition.config.merge.0): gave up after "));
  CHECK(Contains(r.out, " attempts within timeouts.httpTotal (1s); last error: the server answered HTTP 500"));
}

}  // namespace
}  // namespace flint
