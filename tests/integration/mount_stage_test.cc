// The mount and umount stages through the flint binary, with two real
// filesystems (ext4 and xfs) on loop devices over sparse image files,
// mounted under a scratch root. Needs root and losetup.

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/os/runner.h"
#include "agent/state.h"
#include "tests/temp_dir.h"

namespace flint {
namespace {

namespace fs = std::filesystem;
using agent::RunResult;
using testing::TempDir;

// A loop device over a sparse image with a fresh filesystem; detached at
// the end.
class LoopDevice {
 public:
  LoopDevice(const fs::path& image, std::uintmax_t size, const agent::Argv& mkfs) {
    std::ofstream(image).close();
    fs::resize_file(image, size);
    agent::Argv argv = mkfs;
    argv.push_back(image.string());
    RunResult made = runner_.Run(argv);
    if (made.exit_code != 0) throw std::runtime_error(argv[0] + " failed: " + made.err);
    RunResult r = runner_.Run({"losetup", "--find", "--show", image.string()});
    if (r.exit_code != 0) throw std::runtime_error("losetup failed: " + r.err);
    device_ = r.out.substr(0, r.out.find('\n'));
  }
  LoopDevice(const LoopDevice&) = delete;
  LoopDevice& operator=(const LoopDevice&) = delete;
  ~LoopDevice() { runner_.Run({"losetup", "-d", device_}); }
  const std::string& device() const { return device_; }

 private:
  agent::ProcessRunner runner_;
  std::string device_;
};

struct MountInfo {
  std::string fstype;
  std::string options;
};

// The mount at exactly `target`, from /proc/self/mountinfo.
std::optional<MountInfo> MountAt(const std::string& target) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  std::optional<MountInfo> found;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, devno, root, point, options;
    fields >> id >> parent >> devno >> root >> point >> options;
    if (point != target) continue;
    std::string sep = line.substr(line.find(" - ") + 3);
    found = MountInfo{sep.substr(0, sep.find(' ')), options};
  }
  return found;
}

// Unmounts everything under a directory when it goes out of scope, so a
// failed test leaves nothing mounted (and the loop devices can detach).
class Unmounter {
 public:
  explicit Unmounter(std::string dir) : dir_(std::move(dir)) {}
  ~Unmounter() {
    agent::ProcessRunner runner;
    if (MountAt(dir_ + "/var/lib/containers")) runner.Run({"umount", dir_ + "/var/lib/containers"});
    if (MountAt(dir_ + "/var")) runner.Run({"umount", dir_ + "/var"});
  }

 private:
  std::string dir_;
};

class Scratch {
 public:
  Scratch() { fs::create_directories(tmp_ / "sysroot"); }

  RunResult Agent(const std::string& stage) {
    return runner_.Run({FLINT_BINARY, "-platform", "file", "-stage", stage, "-log-to-stdout", "-root", sysroot(),
                        "-config-cache", (tmp_ / "ignition.json").string(), "-state-file",
                        (tmp_ / "state/state").string()});
  }
  std::string sysroot() const { return (tmp_ / "sysroot").string(); }
  TempDir& dir() { return tmp_; }

 private:
  TempDir tmp_;
  agent::ProcessRunner runner_;
};

bool CanUseLoopDevices() {
  if (geteuid() != 0) return false;
  agent::ProcessRunner runner;
  return runner.Run({"losetup", "--find"}).exit_code == 0;
}

TEST_CASE("mount stage: ext4 and xfs mounted under the root, shallowest first, then unmounted",
          "[integration][mount]") {
  if (!CanUseLoopDevices()) {
    WARN("needs root and loop devices: skipped");
    return;
  }
  Scratch s;
  LoopDevice var(s.dir() / "var.img", 64 << 20, {"mkfs.ext4", "-q", "-F", "-L", "var"});
  LoopDevice containers(s.dir() / "containers.img", 320 << 20, {"mkfs.xfs", "-q", "-f", "-L", "containers"});
  Unmounter unmount_first(s.sysroot());  // runs before the loop devices are detached
  // Deeper first in the config: the stage must sort.
  s.dir().Write("ignition.json", R"({"ignition":{"version":"3.4.0"},"storage":{"filesystems":[
      {"device":")" + containers.device() + R"(","format":"xfs","path":"/var/lib/containers",
       "mountOptions":["noatime","inode64"]},
      {"device":")" + var.device() + R"(","format":"ext4","path":"/var","mountOptions":["nodev"]},
      {"device":"/dev/flint-test-swap","format":"swap","path":"/swap"}]}})");

  RunResult mounted = s.Agent("mount");
  INFO(mounted.out);
  REQUIRE(mounted.exit_code == 0);
  std::optional<MountInfo> v = MountAt(s.sysroot() + "/var");
  std::optional<MountInfo> c = MountAt(s.sysroot() + "/var/lib/containers");
  REQUIRE(v);
  REQUIRE(c);
  CHECK(v->fstype == "ext4");
  CHECK(v->options.find("nodev") != std::string::npos);
  CHECK(c->fstype == "xfs");
  CHECK(c->options.find("noatime") != std::string::npos);
  CHECK(mounted.out.find("mounting '" + var.device() + "' at '" + s.sysroot() + "/var' with type 'ext4'") <
        mounted.out.find("mounting '" + containers.device() + "'"));
  CHECK_FALSE(fs::exists(s.sysroot() + "/swap"));
  // /var/lib and /var/lib/containers were made on the new ext4 filesystem.
  CHECK(agent::LoadState(s.dir() / "state/state").notated_directories ==
        std::vector<std::string>{"/var", "/var/lib", "/var/lib/containers"});
  CHECK((fs::status(s.sysroot() + "/var/lib").permissions() & fs::perms::all) == static_cast<fs::perms>(0755));

  RunResult unmounted = s.Agent("umount");
  INFO(unmounted.out);
  REQUIRE(unmounted.exit_code == 0);
  CHECK_FALSE(MountAt(s.sysroot() + "/var"));
  CHECK_FALSE(MountAt(s.sysroot() + "/var/lib/containers"));
  CHECK(unmounted.out.find("umounting '" + s.sysroot() + "/var/lib/containers'") <
        unmounted.out.find("umounting '" + s.sysroot() + "/var'"));
  // A second umount finds nothing mounted and still succeeds.
  CHECK(s.Agent("umount").exit_code == 0);
}

TEST_CASE("mount stage: a wrong filesystem type fails with libmount's words", "[integration][mount]") {
  if (!CanUseLoopDevices()) {
    WARN("needs root and loop devices: skipped");
    return;
  }
  Scratch s;
  LoopDevice var(s.dir() / "var.img", 64 << 20, {"mkfs.ext4", "-q", "-F"});
  Unmounter unmount_first(s.sysroot());
  s.dir().Write("ignition.json", R"({"ignition":{"version":"3.4.0"},"storage":{"filesystems":[
      {"device":")" + var.device() + R"(","format":"xfs","path":"/var"}]}})");
  RunResult r = s.Agent("mount");
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("CRITICAL: mount: mounting '" + var.device() + "' at '" + s.sysroot() +
                   "/var' with type 'xfs': wrong fs type") != std::string::npos);
  CHECK_FALSE(MountAt(s.sysroot() + "/var"));
}

}  // namespace
}  // namespace flint
