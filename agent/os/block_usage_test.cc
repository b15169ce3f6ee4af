#include "agent/os/block_usage.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "agent/error.h"

namespace flint::agent {
namespace {

namespace fs = std::filesystem;

// A fake /sys, /proc and /dev for disk "vda" with partitions 1 and 4.
class FakeSystem {
 public:
  FakeSystem() {
    std::string tmpl = (fs::temp_directory_path() / "flint-usage-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    Write("sys/class/block/vda/dev", "253:0\n");
    fs::create_directories(root_ / "sys/class/block/vda/holders");
    for (int n : {1, 4}) {
      std::string part = "sys/class/block/vda/vda" + std::to_string(n);
      Write(part + "/partition", std::to_string(n) + "\n");
      Write(part + "/dev", "253:" + std::to_string(n) + "\n");
      fs::create_directories(root_ / part / "holders");
      Write("dev/vda" + std::to_string(n), "");
    }
    Write("dev/vda", "");
    Write("proc/mountinfo", "22 1 0:21 / /proc rw,nosuid - proc proc rw\n");
    Write("proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
  }
  ~FakeSystem() { fs::remove_all(root_); }

  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::app) << text;
  }
  void Hold(const std::string& dir, const std::string& holder) {
    fs::create_directories(root_ / "sys/class/block/vda" / dir / "holders" / holder);
  }
  std::string Dev(const std::string& name) const { return (root_ / "dev" / name).string(); }
  BlockRoots Roots() const {
    return {root_ / "sys", root_ / "proc/mountinfo", root_ / "proc/swaps", root_ / "dev"};
  }

 private:
  fs::path root_;
};

PartitionPlan PlanWith(PartitionAction action, int64_t number) {
  PartitionPlan plan;
  plan.partitions.push_back({action, "$.storage.disks.0.partitions.0", number, 2048, 4096, "", "", ""});
  return plan;
}

TEST_CASE("block usage: a disk nobody uses has no users") {
  FakeSystem sys;
  CHECK(FindBlockUsers("vda", sys.Roots()).empty());
}

TEST_CASE("block usage: mounts are found by device number and by source") {
  FakeSystem sys;
  sys.Write("proc/mountinfo", "36 25 253:4 / /sys\\040root rw,relatime shared:1 - xfs /dev/vda4 rw\n");
  sys.Write("proc/mountinfo", "37 25 0:45 / /var rw shared:2 - btrfs " + sys.Dev("vda1") + " rw\n");
  CHECK(FindBlockUsers("vda", sys.Roots()) ==
        std::vector<BlockUser>{{"vda1", 1, "mounted at /var"}, {"vda4", 4, "mounted at /sys root"}});
}

TEST_CASE("block usage: holders and swap") {
  FakeSystem sys;
  sys.Hold("", "dm-0");
  sys.Hold("vda4", "md127");
  sys.Write("proc/swaps", sys.Dev("vda1") + "                               partition\t1048572\t\t0\t\t-2\n");
  CHECK(FindBlockUsers("vda", sys.Roots()) == std::vector<BlockUser>{{"vda", 0, "held by dm-0"},
                                                                     {"vda1", 1, "active swap"},
                                                                     {"vda4", 4, "held by md127"}});
}

TEST_CASE("block usage: a missing sysfs entry is an error naming the path") {
  FakeSystem sys;
  CHECK_THROWS_WITH(FindBlockUsers("vdz", sys.Roots()),
                    Catch::StartsWith("checking whether a disk is in use '") &&
                        Catch::EndsWith("vdz/dev': No such file or directory"));
}

TEST_CASE("block usage: the disk itself in use refuses any partitioning") {
  CHECK_THROWS_WITH(CheckNotInUse(PartitionPlan{}, {{"vda", 0, "held by dm-0"}}, "/dev/vda"),
                    "refusing to partition '/dev/vda': 'vda' is held by dm-0");
}

TEST_CASE("block usage: a partition in use refuses replacing the table") {
  PartitionPlan plan;
  plan.wipe_table = plan.create_table = true;
  CHECK_THROWS_WITH(CheckNotInUse(plan, {{"vda4", 4, "mounted at /sysroot"}}, "/dev/vda"),
                    "refusing to replace the partition table of '/dev/vda': 'vda4' is mounted at /sysroot");
}

TEST_CASE("block usage: a partition in use refuses changing it, not others") {
  std::vector<BlockUser> users{{"vda4", 4, "mounted at /sysroot"}};
  CHECK_THROWS_WITH(
      CheckNotInUse(PlanWith(PartitionAction::kResize, 4), users, "/dev/vda"),
      "refusing to resize partition 4 of '/dev/vda' (at $.storage.disks.0.partitions.0): 'vda4' is "
      "mounted at /sysroot");
  CHECK_THROWS_WITH(CheckNotInUse(PlanWith(PartitionAction::kDelete, 4), users, "/dev/vda"),
                    Catch::StartsWith("refusing to delete partition 4 of '/dev/vda'"));
  CHECK_NOTHROW(CheckNotInUse(PlanWith(PartitionAction::kKeep, 4), users, "/dev/vda"));
  CHECK_NOTHROW(CheckNotInUse(PlanWith(PartitionAction::kCreate, 5), users, "/dev/vda"));
}

TEST_CASE("block usage: only block devices have a kernel block name") {
  CHECK_THROWS_WITH(KernelBlockName("/dev/null"), "finding the block device '/dev/null': not a block device");
  CHECK_THROWS_WITH(KernelBlockName("/nonexistent/vda"),
                    "finding the block device '/nonexistent/vda': No such file or directory");
}

}  // namespace
}  // namespace flint::agent
