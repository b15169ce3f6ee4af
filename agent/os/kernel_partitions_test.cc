#include "agent/os/kernel_partitions.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "agent/error.h"

namespace flint::agent {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A fake /sys and /dev holding disk "vda".
class FakeSysfs {
 public:
  FakeSysfs() {
    std::string tmpl = (fs::temp_directory_path() / "flint-kernel-XXXXXX").string();
    root_ = ::mkdtemp(tmpl.data());
    fs::create_directories(root_ / "sys/class/block/vda");
    fs::create_directories(root_ / "dev");
  }
  ~FakeSysfs() { fs::remove_all(root_); }

  void Add(int64_t number, int64_t start, int64_t size, bool node = true) {
    fs::path dir = root_ / "sys/class/block/vda" / ("vda" + std::to_string(number));
    fs::create_directories(dir);
    std::ofstream(dir / "start") << start << "\n";
    std::ofstream(dir / "size") << size << "\n";
    std::ofstream(dir / "partition") << number << "\n";  // last: the entry is complete
    if (node) std::ofstream(root_ / "dev" / ("vda" + std::to_string(number)));
  }
  KernelSyncOptions Options(std::chrono::milliseconds timeout) const {
    return {root_ / "sys", root_ / "dev", timeout, 5ms};
  }
  std::string Node(const std::string& name) const { return (root_ / "dev" / name).string(); }

 private:
  fs::path root_;
};

TEST_CASE("kernel partitions: expectations in 512-byte sectors for what the plan changes") {
  PartitionPlan plan;
  plan.partitions = {{PartitionAction::kKeep, "", 1, 256, 256, "", "", ""},
                     {PartitionAction::kCreate, "", 2, 512, 1024, "", "", ""},
                     {PartitionAction::kResize, "", 3, 2048, 100, "", "", ""},
                     {PartitionAction::kDelete, "", 4, 4096, 10, "", "", ""},
                     {PartitionAction::kAbsent, "", 5, 0, 0, "", "", ""}};
  DiskTable before;
  before.sector_size = 4096;
  CHECK(ExpectedKernelPartitions(plan, before) ==
        std::vector<KernelPartition>{{2, true, 4096, 8192}, {3, true, 16384, 800}, {4, false, 0, 0}});
}

TEST_CASE("kernel partitions: a replaced table must lose the old partitions it does not recreate") {
  PartitionPlan plan;
  plan.create_table = true;
  plan.partitions = {{PartitionAction::kCreate, "", 1, 2048, 2048, "", "", ""}};
  DiskTable before;
  before.partitions = {{1, 34, 100, "", "", ""}, {7, 4096, 100, "", "", ""}};
  CHECK(ExpectedKernelPartitions(plan, before) ==
        std::vector<KernelPartition>{{1, true, 2048, 2048}, {7, false, 0, 0}});
}

TEST_CASE("kernel partitions: returns once sysfs and /dev agree") {
  FakeSysfs sys;
  sys.Add(1, 2048, 65536);
  CHECK_NOTHROW(WaitForKernelPartitions("/dev/vda", "vda", {{1, true, 2048, 65536}, {2, false, 0, 0}},
                                        sys.Options(1000ms)));
}

TEST_CASE("kernel partitions: waits for a partition that appears late") {
  FakeSysfs sys;
  std::thread later([&sys] {
    std::this_thread::sleep_for(30ms);
    sys.Add(3, 4096, 8192);
  });
  CHECK_NOTHROW(WaitForKernelPartitions("/dev/vda", "vda", {{3, true, 4096, 8192}}, sys.Options(5000ms)));
  later.join();
}

TEST_CASE("kernel partitions: a wrong size fails after the timeout with the note") {
  FakeSysfs sys;
  sys.Add(1, 2048, 100);
  CHECK_THROWS_WITH(WaitForKernelPartitions("/dev/vda", "vda", {{1, true, 2048, 65536}}, sys.Options(40ms),
                                            "fdisk_reread_changes failed: Device or resource busy"),
                    "waiting for the kernel to show the partitions of '/dev/vda': the kernel has partition 1 "
                    "at start 2048 size "
                    "100 (512-byte sectors), the table at start 2048 size 65536 after 40 ms; "
                    "fdisk_reread_changes failed: Device "
                    "or resource busy");
}

TEST_CASE("kernel partitions: missing, unnoded and leftover partitions are named") {
  FakeSysfs sys;
  sys.Add(2, 2048, 100, false);
  sys.Add(5, 4096, 100);
  CHECK_THROWS_WITH(WaitForKernelPartitions("/dev/vda", "vda", {{1, true, 2048, 100}}, sys.Options(10ms)),
                    Catch::Contains(": partition 1 has not appeared in sysfs after 10 ms"));
  CHECK_THROWS_WITH(WaitForKernelPartitions("/dev/vda", "vda", {{2, true, 2048, 100}}, sys.Options(10ms)),
                    Catch::Contains(": '" + sys.Node("vda2") + "' has not appeared after 10 ms"));
  CHECK_THROWS_WITH(WaitForKernelPartitions("/dev/vda", "vda", {{5, false, 0, 0}}, sys.Options(10ms)),
                    Catch::Contains(": partition 5 ('vda5') is still there after 10 ms"));
}

}  // namespace
}  // namespace flint::agent
