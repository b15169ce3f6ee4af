// The kargs stage and flint's kargs helper through the built binary: the
// helper as `flint kargs-helper` and under upstream's name
// `ignition-kargs-helper`, and `-stage kargs` running it via the tool table
// on scratch BLS entries.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "agent/os/runner.h"
#include "tests/temp_dir.h"

namespace flint {
namespace {

namespace fs = std::filesystem;
using agent::RunResult;
using testing::ReadAll;
using testing::TempDir;

struct Boot {
  Boot() {
    dir.Write("boot/loader/entries/ostree-1-fedora-coreos.conf",
              "title Fedora CoreOS 39\nlinux /ostree/vmlinuz\noptions root=UUID=abc rw ignition.firstboot quiet\n");
    dir.Write("cmdline", "root=UUID=abc rw ignition.firstboot quiet\n");
    fs::create_symlink(FLINT_BINARY, dir / "ignition-kargs-helper");
  }
  std::vector<std::string> Where() const {
    return {"--boot-dir", (dir / "boot").string(), "--cmdline", (dir / "cmdline").string(), "--reboot-flag",
            (dir / "run/reboot").string()};
  }
  std::string Entry() const { return ReadAll(dir / "boot/loader/entries/ostree-1-fedora-coreos.conf"); }
  TempDir dir;
  agent::ProcessRunner runner;
};

TEST_CASE("kargs helper: flint kargs-helper edits the entry and requests a reboot", "[integration][kargs]") {
  Boot b;
  agent::Argv argv{FLINT_BINARY, "kargs-helper", "--should-exist", "console=ttyS0,115200n8", "--should-not-exist",
                   "quiet"};
  for (const std::string& w : b.Where()) argv.push_back(w);
  RunResult r = b.runner.Run(argv);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(b.Entry() ==
        "title Fedora CoreOS 39\nlinux /ostree/vmlinuz\noptions root=UUID=abc rw ignition.firstboot "
        "console=ttyS0,115200n8\n");
  CHECK(fs::exists(b.dir / "run/reboot"));
  CHECK(r.out.find("requested a reboot") != std::string::npos);
}

TEST_CASE("kargs helper: under upstream's name, and a second run changes nothing", "[integration][kargs]") {
  Boot b;
  agent::Argv argv{(b.dir / "ignition-kargs-helper").string(), "--should-exist", "rw", "--should-not-exist", "nosmt"};
  for (const std::string& w : b.Where()) argv.push_back(w);
  std::string before = b.Entry();
  RunResult r = b.runner.Run(argv);
  CHECK(r.exit_code == 0);
  CHECK(b.Entry() == before);
  CHECK_FALSE(fs::exists(b.dir / "run/reboot"));
  RunResult bad = b.runner.Run({(b.dir / "ignition-kargs-helper").string(), "--append", "x"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.rfind("kargs-helper: unknown option '--append'\nusage: ignition-kargs-helper ", 0) == 0);
}

TEST_CASE("kargs stage: runs the helper from the tool table with the config's arguments", "[integration][kargs]") {
  Boot b;
  // The tool-table override points at a wrapper that says where the boot
  // partition is, as a distribution's helper would know.
  std::string wrapper = "#!/bin/sh\nexec " + std::string(FLINT_BINARY) + " kargs-helper";
  for (const std::string& w : b.Where()) wrapper += " '" + w + "'";
  wrapper += " \"$@\"\n";
  fs::path helper = b.dir.Write("helper.sh", wrapper);
  fs::permissions(helper, fs::perms::owner_all);
  b.dir.Write("ignition.json",
              R"({"ignition":{"version":"3.4.0"},"kernelArguments":{"shouldExist":["mitigations=auto,nosmt","quiet"],)"
              R"("shouldNotExist":["ignition.firstboot"]}})");
  agent::Argv argv{"env", "FLINT_TOOL_KARGS_HELPER=" + helper.string(), FLINT_BINARY, "-platform", "file", "-stage",
                   "kargs", "-log-to-stdout", "-root", (b.dir / "sysroot").string(), "-config-cache",
                   (b.dir / "ignition.json").string(), "-state-file", (b.dir / "state").string()};
  RunResult r = b.runner.Run(argv);
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK(b.Entry() == "title Fedora CoreOS 39\nlinux /ostree/vmlinuz\noptions root=UUID=abc rw quiet "
                     "mitigations=auto,nosmt\n");
  CHECK(fs::exists(b.dir / "run/reboot"));
  CHECK(r.out.find("INFO: kargs: updating kernel arguments: finished") != std::string::npos);
}

TEST_CASE("kargs helper: mounts the boot device itself, and leaves nothing mounted", "[integration][kargs]") {
  agent::ProcessRunner runner;
  if (geteuid() != 0 || runner.Run({"losetup", "--find"}).exit_code != 0) {
    WARN("needs root and loop devices: skipped");
    return;
  }
  Boot b;
  fs::path image = b.dir / "boot.img";
  std::ofstream(image).close();
  fs::resize_file(image, 32 << 20);
  REQUIRE(runner.Run({"mkfs.ext4", "-q", "-F", "-d", (b.dir / "boot").string(), image.string()}).exit_code == 0);
  RunResult loop = runner.Run({"losetup", "--find", "--show", image.string()});
  REQUIRE(loop.exit_code == 0);
  std::string device = loop.out.substr(0, loop.out.find('\n'));
  RunResult r = runner.Run({FLINT_BINARY, "kargs-helper", "--should-exist", "fips=1", "--boot-device", device,
                            "--cmdline", (b.dir / "cmdline").string(), "--reboot-flag",
                            (b.dir / "run/reboot").string()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(fs::exists(b.dir / "run/reboot"));
  // Read the entry back from the device.
  fs::create_directories(b.dir / "check");
  REQUIRE(runner.Run({"mount", "-o", "ro", device, (b.dir / "check").string()}).exit_code == 0);
  std::string entry = ReadAll(b.dir / "check/loader/entries/ostree-1-fedora-coreos.conf");
  runner.Run({"umount", (b.dir / "check").string()});
  runner.Run({"losetup", "-d", device});
  CHECK(entry == "title Fedora CoreOS 39\nlinux /ostree/vmlinuz\noptions root=UUID=abc rw ignition.firstboot quiet "
                 "fips=1\n");
  for (const auto& e : fs::directory_iterator("/run")) {
    CHECK(e.path().filename().string().rfind("flint-kargs-", 0) != 0);
  }
}

TEST_CASE("kargs, mount and umount stages: an empty config does nothing and passes", "[integration][kargs]") {
  TempDir tmp;
  tmp.Write("ignition.json", R"({"ignition":{"version":"3.4.0"}})");
  agent::ProcessRunner runner;
  for (std::string stage : {"kargs", "mount", "umount"}) {
    RunResult r = runner.Run({"env", "FLINT_TOOL_KARGS_HELPER=/nonexistent", FLINT_BINARY, "-platform", "file",
                              "-stage", stage, "-log-to-stdout", "-root", (tmp / "sysroot").string(),
                              "-config-cache", (tmp / "ignition.json").string(), "-state-file",
                              (tmp / "state").string()});
    INFO(r.out);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("INFO: " + stage + ": " + stage + " passed\n") != std::string::npos);
  }
}

}  // namespace
}  // namespace flint
