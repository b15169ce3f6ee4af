// Partitioning a real block device on the host: a loop device with partition
// scanning (losetup -P) takes BLKPG, so the kernel's view after a write
// (sysfs, /dev nodes) and the in-use refusals can be checked without a VM.
// Needs root and loop devices; says so and skips otherwise.
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "agent/error.h"
#include "agent/os/partition_table.h"
#include "agent/os/runner.h"
#include "stages/disks/partition_plan.h"
#include "stages/disks/plan_test_util.h"

namespace flint {
namespace {

namespace fs = std::filesystem;
using agent::PartitionPlan;
using stages::testing::DiskOf;
using stages::testing::P;

agent::RunResult Run(const agent::Argv& argv) { return agent::ProcessRunner().Run(argv); }

// A 64 MiB image attached to a loop device with partition scanning, detached
// (and its mount undone) on destruction.
class Loop {
 public:
  Loop() {
    std::string tmpl = (fs::temp_directory_path() / "flint-loop-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    fs::path image = dir_ / "disk.img";
    std::ofstream(image).close();
    fs::resize_file(image, 64 << 20);
    if (::geteuid() != 0) {
      why_ = "not root";
      return;
    }
    agent::RunResult r = Run({"losetup", "--find", "--show", "--partscan", image.string()});
    if (r.exit_code != 0) why_ = "losetup: " + r.err;
    device_ = r.out.substr(0, r.out.find('\n'));
  }
  ~Loop() {
    if (!mountpoint_.empty()) Run({"umount", mountpoint_.string()});
    if (!device_.empty()) Run({"losetup", "--detach", device_});
    fs::remove_all(dir_);
  }
  bool ok() const { return why_.empty() && !device_.empty(); }
  const std::string& why() const { return why_; }
  const std::string& device() const { return device_; }
  std::string name() const { return fs::path(device_).filename().string(); }
  std::string part(int n) const { return device_ + "p" + std::to_string(n); }

  // The kernel's "start size" of partition n, in 512-byte sectors.
  std::string Kernel(int n) const {
    fs::path dir = fs::path("/sys/class/block") / name() / (name() + "p" + std::to_string(n));
    std::ifstream start(dir / "start");
    std::ifstream size(dir / "size");
    std::string s;
    std::string z;
    start >> s;
    size >> z;
    return s + " " + z;
  }

  void MountExt4(int n) {
    REQUIRE(Run({"mkfs.ext4", "-q", "-F", part(n)}).exit_code == 0);
    mountpoint_ = dir_ / "mnt";
    fs::create_directory(mountpoint_);
    REQUIRE(Run({"mount", part(n), mountpoint_.string()}).exit_code == 0);
  }
  std::string mountpoint() const { return mountpoint_.string(); }

 private:
  fs::path dir_;
  fs::path mountpoint_;
  std::string device_;
  std::string why_;
};

PartitionPlan Apply(const Loop& loop, const schema::Disk& disk) {
  PartitionPlan plan = stages::PlanPartitions(disk, schema::Path() / "storage" / "disks" / 0,
                                              agent::ReadPartitionTable(loop.device()));
  agent::ApplyPartitionPlan(loop.device(), plan);
  return plan;
}

TEST_CASE("loop device: the kernel shows created, resized and deleted partitions") {
  Loop loop;
  if (!loop.ok()) {
    WARN("skipped: " << loop.why());
    return;
  }
  Apply(loop, DiskOf({P(1).Label("a").SizeMiB(8), P(2).Label("b").SizeMiB(8), P(3).Label("c")}));
  CHECK(loop.Kernel(1) == "2048 16384");
  CHECK(loop.Kernel(2) == "18432 16384");
  CHECK(loop.Kernel(3) == "34816 96223");
  CHECK(fs::exists(loop.part(3)));

  Apply(loop, DiskOf({P(1).SizeMiB(16).Resize(), P(2).ShouldExist(false).Wipe()}));
  CHECK(loop.Kernel(1) == "2048 32768");
  CHECK_FALSE(fs::exists(fs::path("/sys/class/block") / loop.name() / (loop.name() + "p2")));
  CHECK(loop.Kernel(3) == "34816 96223");
}

TEST_CASE("loop device: a mounted partition is refused, others still change") {
  Loop loop;
  if (!loop.ok()) {
    WARN("skipped: " << loop.why());
    return;
  }
  Apply(loop, DiskOf({P(1).Label("data").SizeMiB(16)}));
  loop.MountExt4(1);
  std::string mounted = "'" + loop.name() + "p1' is mounted at " + loop.mountpoint();
  CHECK_THROWS_WITH(Apply(loop, DiskOf({P(1).SizeMiB(32).Resize()})),
                    "refusing to resize partition 1 of '" + loop.device() +
                        "' (at $.storage.disks.0.partitions.0): " + mounted);
  CHECK_THROWS_WITH(Apply(loop, DiskOf({}, true)),
                    "refusing to replace the partition table of '" + loop.device() + "': " + mounted);
  Apply(loop, DiskOf({P(2).Label("more").SizeMiB(8)}));
  CHECK(loop.Kernel(2) == "34816 16384");
  CHECK(loop.Kernel(1) == "2048 32768");
}

}  // namespace
}  // namespace flint
