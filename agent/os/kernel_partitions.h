// After a partition table is written: wait, with a bound, until the kernel's
// view (/sys/class/block/<disk>/<part>/{partition,start,size} and the /dev
// node) shows every partition the plan changed exactly where the table has it,
// and no deleted one. Paths and timings are parameters so tests can use a fake
// sysfs tree.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "agent/os/disk_layout.h"

namespace flint::agent {

struct KernelSyncOptions {
  std::filesystem::path sysfs = "/sys";
  std::filesystem::path dev = "/dev";
  std::chrono::milliseconds timeout{10000};
  std::chrono::milliseconds poll{50};
};

// What the kernel should show for one partition, in 512-byte sectors as
// sysfs counts them.
struct KernelPartition {
  int64_t number = 0;
  bool present = true;  // false: must be gone
  int64_t start = 0;
  int64_t size = 0;
  bool operator==(const KernelPartition&) const = default;
};

// The partitions the plan changes, converted from the table's sector size;
// when the plan replaces the table, every partition of `before` it does not
// recreate must be gone. Pure.
std::vector<KernelPartition> ExpectedKernelPartitions(const PartitionPlan& plan, const DiskTable& before);

// Polls until disk `name` shows `expected`, or throws after the timeout naming
// `device` and the first partition still wrong. `note` (may be empty) is
// appended to that message, e.g. why re-reading the table failed.
void WaitForKernelPartitions(const std::string& device, const std::string& name,
                             const std::vector<KernelPartition>& expected, const KernelSyncOptions& options,
                             const std::string& note = "");

}  // namespace flint::agent
