// The kargs stage and flint's kargs helper through the built binary: the
// helper as `flint kargs-helper` and under upstream's name
// `ignition-kargs-helper`, and `-stage kargs` running it via the tool table
// on scratch BLS entries.

#include <catch2/catch.hpp>
#include <filesystem>

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
